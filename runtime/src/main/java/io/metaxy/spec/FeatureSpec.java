package io.metaxy.spec;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The definition of a feature: what Metaxy hashes into its versions. Class-free: the same record comes
 * from annotated Java records (through the processor) or from JSON specs.
 *
 * @param key the feature key
 * @param idColumns the columns identifying a sample
 * @param deps the upstream dependencies, in declaration order
 * @param fields the fields, in declaration order (never empty)
 * @param metadata free-form JSON metadata (values are JSON trees: maps, lists, strings, numbers...)
 * @param description the description, or {@code null}
 */
public record FeatureSpec(
    FeatureKey key,
    List<String> idColumns,
    List<FeatureDep> deps,
    List<FieldSpec> fields,
    Map<String, @Nullable Object> metadata,
    @Nullable String description) {

  /** Checks and copies. */
  public FeatureSpec {
    Objects.requireNonNull(key, "key");
    idColumns = List.copyOf(idColumns);
    deps = List.copyOf(deps);
    fields = fields.isEmpty() ? List.of(FieldSpec.of("default")) : List.copyOf(fields);
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** Whether the feature has no dependencies (its samples are supplied by the user). */
  public boolean isRoot() {
    return deps.isEmpty();
  }

  /** The field with this key, if any. */
  public Optional<FieldSpec> field(FieldKey fieldKey) {
    return fields.stream().filter(f -> f.key().equals(fieldKey)).findFirst();
  }

  /** The dependency on this upstream feature, if any. */
  public Optional<FeatureDep> dep(FeatureKey upstream) {
    return deps.stream().filter(d -> d.feature().equals(upstream)).findFirst();
  }

  /** Starts a builder for a feature with the given key and id columns. */
  public static Builder builder(String key, String... idColumns) {
    return new Builder(FeatureKey.of(key), List.of(idColumns));
  }

  /** Builds a {@link FeatureSpec} in code, for the class-free path. */
  public static final class Builder {
    private final FeatureKey key;
    private final List<String> idColumns;
    private final List<FeatureDep> deps = new ArrayList<>();
    private final List<FieldSpec> fields = new ArrayList<>();
    private final Map<String, @Nullable Object> metadata = new LinkedHashMap<>();
    private @Nullable String description;

    private Builder(FeatureKey key, List<String> idColumns) {
      this.key = key;
      this.idColumns = idColumns;
    }

    /** Adds a plain identity dependency. */
    public Builder dep(String upstream) {
      deps.add(FeatureDep.on(FeatureKey.of(upstream)));
      return this;
    }

    /** Adds a dependency. */
    public Builder dep(FeatureDep dep) {
      deps.add(dep);
      return this;
    }

    /** Adds a field with automatic mapping. */
    public Builder field(String fieldKey, String codeVersion) {
      fields.add(FieldSpec.of(fieldKey, codeVersion));
      return this;
    }

    /** Adds a field. */
    public Builder field(FieldSpec field) {
      fields.add(field);
      return this;
    }

    /** Adds a metadata entry. */
    public Builder metadata(String k, @Nullable Object v) {
      metadata.put(k, v);
      return this;
    }

    /** Sets the description. */
    public Builder description(@Nullable String description) {
      this.description = description;
      return this;
    }

    /** Builds the spec. */
    public FeatureSpec build() {
      return new FeatureSpec(key, idColumns, deps, fields, metadata, description);
    }
  }
}
