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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Computes features' plans and versions with the runtime's versioning code; nothing here
 * re-implements a versioning rule.
 *
 * <p>One instance serves the features of a round: a feature's versions need those of its whole
 * upstream, so the field versions computed for one feature are reused by the next (one {@link
 * DefinitionVersions} memo per round) instead of recomputing the upstream graph per feature, which
 * made the processor quadratic in the graph's depth.
 */
public final class CompiledFeatures {
  private final Truncation truncation;
  /** Every definition the shared memo has seen, by key: the same instance for a key in one round. */
  private final Map<FeatureKey, FeatureDefinition> known = new HashMap<>();
  /** The definitions the feature being compiled may see (itself and its upstream). */
  private Map<FeatureKey, FeatureDefinition> visible = Map.of();

  private final DefinitionVersions shared;

  /** @param truncation the hash truncation in force */
  public CompiledFeatures(Truncation truncation) {
    this.truncation = truncation;
    this.shared = new DefinitionVersions(k -> Optional.ofNullable(visible.get(k)), truncation);
  }

  /**
   * Compiles a feature.
   *
   * @param model the validated feature
   * @param upstream its transitive upstream definitions
   * @throws MetaxyException when the versioning rules reject the graph (e.g. a field whose automatic
   *     mapping finds no upstream field)
   */
  public CompiledFeature compile(FeatureModel model, Map<FeatureKey, FeatureDefinition> upstream) {
    FeatureDefinition self = model.definition();
    FeatureKey key = self.spec().key();
    Map<FeatureKey, FeatureDefinition> all = new LinkedHashMap<>(upstream);
    all.put(key, self);
    // Memoized versions are only valid for the same definitions: a key seen with another definition
    // (duplicate keys, which the graph processor reports) gets versions of its own.
    boolean consistent = true;
    for (Map.Entry<FeatureKey, FeatureDefinition> e : all.entrySet()) {
      FeatureDefinition seen = known.get(e.getKey());
      consistent &= seen == null || seen == e.getValue();
    }
    DefinitionVersions versions;
    if (consistent) {
      known.putAll(all);
      visible = all;
      versions = shared;
    } else {
      versions = new DefinitionVersions(k -> Optional.ofNullable(all.get(k)), truncation);
    }
    FeaturePlan plan = FeaturePlan.of(
        self.spec(), k -> Optional.ofNullable(all.get(k)).map(FeatureDefinition::spec));
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
        Tables.tableName(key));
  }
}
