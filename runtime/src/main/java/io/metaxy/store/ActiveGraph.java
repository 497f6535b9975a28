package io.metaxy.store;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.versioning.Truncation;
import java.util.List;

/**
 * The active feature graph of a {@link MetadataStore} (the reference's context-local graph) and the
 * lookups every operation makes in it. Lock-free, unlike {@link MetadataStore#graph()}: the reader
 * threads of a {@code resolveUpdate} use it while the operation's thread holds the store.
 */
final class ActiveGraph {
  private final Truncation truncation;
  private volatile FeatureGraph graph;

  ActiveGraph(FeatureGraph graph, Truncation truncation) {
    this.graph = graph;
    this.truncation = truncation;
  }

  FeatureGraph get() {
    return graph;
  }

  void set(FeatureGraph g) {
    graph = g;
  }

  FeatureDefinition definition(FeatureKey key) {
    return graph
        .find(key)
        .orElseThrow(() -> new IllegalArgumentException(
            "feature " + key + " is not in the store's feature graph"));
  }

  FeatureSpec spec(FeatureKey key) {
    return definition(key).spec();
  }

  /** The feature version under the store's truncation. */
  String featureVersion(FeatureKey key) {
    return graph.versions(truncation).featureVersion(key);
  }

  /** The version of the project the feature belongs to. */
  String projectVersion(FeatureKey key) {
    return graph.projectVersion(definition(key).project(), truncation);
  }

  /** The struct keys of the feature's fields, in spec order: the children of its by-field columns. */
  List<String> fieldKeys(FeatureKey key) {
    return spec(key).fields().stream().map(f -> f.key().structKey()).toList();
  }
}
