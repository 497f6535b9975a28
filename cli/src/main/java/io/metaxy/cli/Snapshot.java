package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FieldSpec;
import io.metaxy.versioning.DefinitionVersions;
import io.metaxy.versioning.Truncation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One side of a graph diff (CLI spec §2.4): per feature its versions, field versions and dependencies.
 * Today built from a feature graph (a graph JSON file or the current graph); the store will build it from
 * a pushed project version.
 *
 * @param projectVersion the project version of this side, or {@code null} when unknown
 * @param features feature key → snapshot of the feature, in graph order
 */
record Snapshot(@Nullable String projectVersion, Map<String, Feature> features) {

  /**
   * A feature of a snapshot.
   *
   * @param key the feature key
   * @param project the project
   * @param featureVersion the feature version
   * @param definitionVersion the definition version (spec and schema), or {@code null}
   * @param fields field key → field version, in spec order
   * @param codeVersions field key → code version
   * @param dependencies upstream feature keys, as declared
   */
  record Feature(
      String key,
      String project,
      String featureVersion,
      @Nullable String definitionVersion,
      Map<String, String> fields,
      Map<String, String> codeVersions,
      List<String> dependencies) {}

  /**
   * The features of {@code graph} that belong to {@code project} (its own, not external ones), or all
   * features when {@code project} is {@code null}.
   */
  static Snapshot of(FeatureGraph graph, @Nullable String project, Truncation truncation) {
    DefinitionVersions versions = graph.versions(truncation);
    Map<String, Feature> features = new LinkedHashMap<>();
    for (FeatureDefinition d : graph.definitions()) {
      if (project != null && (d.external() || !project.equals(d.project()))) {
        continue;
      }
      FeatureKey key = d.spec().key();
      Map<String, String> fields = new LinkedHashMap<>();
      Map<String, String> codes = new LinkedHashMap<>();
      for (FieldSpec f : d.spec().fields()) {
        fields.put(f.key().toString(), versions.fieldVersion(key, f.key()));
        codes.put(f.key().toString(), f.codeVersion());
      }
      features.put(
          key.toString(),
          new Feature(
              key.toString(),
              d.project(),
              versions.featureVersion(key),
              versions.definitionVersion(key),
              fields,
              codes,
              d.spec().deps().stream()
                  .map(FeatureDep::feature)
                  .map(FeatureKey::toString)
                  .toList()));
    }
    String pv = new LoadedGraph(graph, Map.of()).projectVersion(project, truncation);
    return new Snapshot(pv, features);
  }
}
