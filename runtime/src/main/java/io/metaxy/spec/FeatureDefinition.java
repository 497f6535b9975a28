package io.metaxy.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A feature as registered in a graph: its spec plus what is not part of the spec but still enters the
 * definition and project versions.
 *
 * @param spec the spec
 * @param project the project the feature belongs to
 * @param featureSchema the JSON schema of the feature's columns (a JSON tree), hashed into the
 *     definition version; the processor emits the schema the Python reference would emit for the same
 *     columns
 * @param external whether the feature is defined by another project (excluded from project versions)
 * @param provenanceOverride for external features: field key → field version to use as is, or empty
 * @param className the Java class the feature was declared on, or {@code null} for class-free specs
 */
public record FeatureDefinition(
    FeatureSpec spec,
    String project,
    Map<String, Object> featureSchema,
    boolean external,
    Map<String, String> provenanceOverride,
    @Nullable String className) {

  /** Checks and copies. */
  public FeatureDefinition {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(project, "project");
    featureSchema = featureSchema == null
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(featureSchema));
    provenanceOverride = provenanceOverride == null
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(provenanceOverride));
  }

  /** A plain (non-external) definition. */
  public static FeatureDefinition of(
      FeatureSpec spec, String project, Map<String, Object> featureSchema) {
    return new FeatureDefinition(spec, project, featureSchema, false, Map.of(), null);
  }
}
