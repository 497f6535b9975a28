package io.metaxy.graph;

import io.metaxy.FeatureKey;
import io.metaxy.spec.FeatureDefinition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The features of one compilation unit. The annotation processor generates one implementation per
 * compilation and registers it for {@link java.util.ServiceLoader}; {@code FeatureGraph.load()} merges
 * every registry on the class path.
 */
public interface FeatureRegistry {
  /** The definitions of this registry's features, in a stable order. */
  List<FeatureDefinition> definitions();

  /**
   * The versions the processor computed at compile time, one entry per feature.
   * {@code FeatureGraph.load()} recomputes them and fails when they disagree (a stale or mixed class
   * path). Empty for registries written by hand.
   */
  default List<CompiledVersions> compiledVersions() {
    return List.of();
  }

  /**
   * The versions of one feature as compiled into its generated companion.
   *
   * @param key the feature key
   * @param hashTruncationLength the truncation the versions were computed with (0 = none)
   * @param featureVersion {@code metaxy_feature_version}
   * @param codeVersion the feature code version
   * @param specVersion the feature spec version
   * @param definitionVersion the definition (tracking) version
   * @param fieldVersions field key → field version, in spec field order
   * @param companionClass the generated class holding the constants, for error messages
   */
  record CompiledVersions(
      FeatureKey key,
      int hashTruncationLength,
      String featureVersion,
      String codeVersion,
      String specVersion,
      String definitionVersion,
      Map<String, String> fieldVersions,
      String companionClass) {
    /** Checks for nulls and copies the map. */
    public CompiledVersions {
      Objects.requireNonNull(key, "key");
      fieldVersions = Collections.unmodifiableMap(new LinkedHashMap<>(fieldVersions));
    }
  }
}
