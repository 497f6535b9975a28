package io.metaxy.processor.model;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.MetaxyException;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.internal.Tables;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.versioning.DefinitionVersions;
import io.metaxy.versioning.Truncation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Computes a feature's plan and versions with the runtime's versioning code; nothing here
 * re-implements a versioning rule.
 */
public final class CompiledFeatures {
  private CompiledFeatures() {}

  /**
   * Compiles a feature.
   *
   * @param model the validated feature
   * @param upstream its transitive upstream definitions
   * @param truncation the hash truncation in force
   * @throws MetaxyException when the versioning rules reject the graph (e.g. a field whose automatic
   *     mapping finds no upstream field)
   */
  public static CompiledFeature compile(
      FeatureModel model, Map<FeatureKey, FeatureDefinition> upstream, Truncation truncation) {
    FeatureDefinition self = model.definition();
    FeatureKey key = self.spec().key();
    Map<FeatureKey, FeatureDefinition> all = new LinkedHashMap<>(upstream);
    all.put(key, self);
    Function<FeatureKey, Optional<FeatureDefinition>> lookup = k -> Optional.ofNullable(all.get(k));
    FeaturePlan plan =
        FeaturePlan.of(self.spec(), k -> lookup.apply(k).map(FeatureDefinition::spec));
    DefinitionVersions versions = new DefinitionVersions(lookup, truncation);
    Map<String, String> fieldVersions = new LinkedHashMap<>();
    for (Map.Entry<FieldKey, String> e : versions.fieldVersions(key).entrySet()) {
      fieldVersions.put(e.getKey().toString(), e.getValue());
    }
    FeatureSpec spec = self.spec();
    return new CompiledFeature(
        model,
        plan,
        truncation.length(),
        versions.featureVersion(key),
        DefinitionVersions.codeVersion(spec, truncation),
        DefinitionVersions.specVersion(spec, truncation),
        DefinitionVersions.definitionVersion(self, truncation),
        fieldVersions,
        Tables.tableName(key),
        Tables.createTable(
            key,
            model.columns().stream().map(ColumnModel::def).toList(),
            self.spec().fields().stream().map(f -> f.key().structKey()).toList()));
  }
}
