package io.metaxy.versioning;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.MetaxyException;
import io.metaxy.json.CanonicalJson;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.SpecJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Definition-level versions (versioning spec §3): field, feature, code, spec, definition and project
 * versions. The processor computes them at compile time and the runtime recomputes them with this same
 * class, so the two can never disagree.
 *
 * <p>Results are memoized; an instance is safe to share between threads.
 */
public final class DefinitionVersions {
  private final Function<FeatureKey, Optional<FeatureDefinition>> lookup;
  private final Truncation truncation;
  private final Map<FieldRef, String> fieldVersions = new ConcurrentHashMap<>();

  /**
   * @param lookup finds feature definitions by key
   * @param truncation the hash truncation in force
   */
  public DefinitionVersions(
      Function<FeatureKey, Optional<FeatureDefinition>> lookup, Truncation truncation) {
    this.lookup = lookup;
    this.truncation = truncation;
  }

  /** The truncation these versions use. */
  public Truncation truncation() {
    return truncation;
  }

  private FeatureDefinition definition(FeatureKey key) {
    return lookup.apply(key).orElseThrow(() -> new MetaxyException("unknown feature " + key));
  }

  /** The parents of a field, sorted by fully-qualified key. */
  public List<FieldRef> parents(FeatureKey feature, FieldKey field) {
    FeatureSpec spec = definition(feature).spec();
    FieldSpec fs = spec.field(field).orElseThrow(() -> unknownField(feature, field));
    return FieldResolver.parents(spec, fs, k -> lookup.apply(k).map(FeatureDefinition::spec));
  }

  /**
   * {@code T(H_sha(fq, code_version, parent versions...))}; external features with a provenance
   * override use the override as is.
   */
  public String fieldVersion(FeatureKey feature, FieldKey field) {
    return fieldVersion(new FieldRef(feature, field), new HashSet<>());
  }

  private String fieldVersion(FieldRef ref, Set<FieldRef> inProgress) {
    String cached = fieldVersions.get(ref);
    if (cached != null) {
      return cached;
    }
    if (!inProgress.add(ref)) {
      throw new MetaxyException("dependency cycle through field " + ref.fq());
    }
    FeatureDefinition def = definition(ref.feature());
    String override = def.external() ? def.provenanceOverride().get(ref.field().toString()) : null;
    String version;
    if (override != null) {
      version = override;
    } else {
      FieldSpec fs =
          def.spec().field(ref.field()).orElseThrow(() -> unknownField(ref.feature(), ref.field()));
      List<String> parts = new ArrayList<>();
      parts.add(ref.fq());
      parts.add(fs.codeVersion());
      for (FieldRef parent : parents(ref.feature(), ref.field())) {
        parts.add(fieldVersion(parent, inProgress));
      }
      version = truncation.apply(Sha256.hex(parts));
    }
    inProgress.remove(ref);
    fieldVersions.put(ref, version);
    return version;
  }

  /** Field versions of a feature, in the spec's field order. */
  public Map<FieldKey, String> fieldVersions(FeatureKey feature) {
    Map<FieldKey, String> out = new LinkedHashMap<>();
    for (FieldSpec f : definition(feature).spec().fields()) {
      out.put(f.key(), fieldVersion(feature, f.key()));
    }
    return out;
  }

  /** {@code metaxy_feature_version}: {@code T(H_sha(k1, fv1, k2, fv2, ...))} over sorted field keys. */
  public String featureVersion(FeatureKey feature) {
    List<String> parts = new ArrayList<>();
    definition(feature).spec().fields().stream()
        .sorted(Comparator.comparing(f -> f.key().toString()))
        .forEach(f -> {
          parts.add(f.key().toString());
          parts.add(fieldVersion(feature, f.key()));
        });
    return truncation.apply(Sha256.hex(parts));
  }

  /** The feature code version: fields' code versions only, no dependencies. */
  public static String codeVersion(FeatureSpec spec, Truncation truncation) {
    List<String> parts = new ArrayList<>();
    spec.fields().stream().sorted(Comparator.comparing(f -> f.key().toString())).forEach(f -> {
      parts.add(f.key().toString());
      parts.add(f.codeVersion());
    });
    return truncation.apply(Sha256.hex(parts));
  }

  /** The spec version: SHA-256 of the canonical JSON of the spec. */
  public static String specVersion(FeatureSpec spec, Truncation truncation) {
    return truncation.apply(Sha256.hex(CanonicalJson.write(SpecJson.toTree(spec))));
  }

  /** The definition (tracking) version: the spec version and the canonical JSON of the schema. */
  public static String definitionVersion(FeatureDefinition def, Truncation truncation) {
    String spec = specVersion(def.spec(), truncation);
    return truncation.apply(Sha256.hex(spec, CanonicalJson.write(def.featureSchema())));
  }

  /** {@link #codeVersion(FeatureSpec, Truncation)} of a feature in this graph. */
  public String codeVersion(FeatureKey feature) {
    return codeVersion(definition(feature).spec(), truncation);
  }

  /** {@link #specVersion(FeatureSpec, Truncation)} of a feature in this graph. */
  public String specVersion(FeatureKey feature) {
    return specVersion(definition(feature).spec(), truncation);
  }

  /** {@link #definitionVersion(FeatureDefinition, Truncation)} of a feature in this graph. */
  public String definitionVersion(FeatureKey feature) {
    return definitionVersion(definition(feature), truncation);
  }

  /**
   * The project version over the given definitions: non-external features of {@code project}, sorted
   * by key parts, hashed with their definition versions; {@code "empty"} when there are none.
   */
  public static String projectVersion(
      Iterable<FeatureDefinition> all, String project, Truncation truncation) {
    List<FeatureDefinition> mine = new ArrayList<>();
    for (FeatureDefinition d : all) {
      if (!d.external() && project.equals(d.project())) {
        mine.add(d);
      }
    }
    if (mine.isEmpty()) {
      return "empty";
    }
    mine.sort(Comparator.comparing(d -> d.spec().key()));
    List<String> parts = new ArrayList<>();
    for (FeatureDefinition d : mine) {
      parts.add(d.spec().key().toString());
      parts.add(definitionVersion(d, truncation));
    }
    return truncation.apply(Sha256.hex(parts));
  }

  private static MetaxyException unknownField(FeatureKey feature, FieldKey field) {
    return new MetaxyException("feature " + feature + " has no field \"" + field + "\"");
  }
}
