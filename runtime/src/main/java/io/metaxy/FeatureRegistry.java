package io.metaxy;

import io.metaxy.spec.FeatureDefinition;
import java.util.List;

/**
 * The features of one compilation unit. The annotation processor generates one implementation per
 * compilation and registers it for {@link java.util.ServiceLoader}; {@code FeatureGraph.load()} merges
 * every registry on the class path.
 */
public interface FeatureRegistry {
  /** The definitions of this registry's features, in a stable order. */
  List<FeatureDefinition> definitions();
}
