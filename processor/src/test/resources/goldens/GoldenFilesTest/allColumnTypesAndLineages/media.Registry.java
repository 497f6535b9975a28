package media;

import example.MetaxyVideo;
import io.metaxy.graph.FeatureRegistry;
import io.metaxy.spec.FeatureDefinition;
import java.util.List;
import javax.annotation.processing.Generated;

/**
 * The Metaxy features of this compilation, found by {@code FeatureGraph.load()} through
 * {@link java.util.ServiceLoader}.
 */
@Generated(
    value = "io.metaxy.processor.FeatureGraphProcessor",
    comments = "Metaxy for Java; see docs/processor.md"
)
public final class Registry implements FeatureRegistry {
  /**
   * Called by {@link java.util.ServiceLoader}.
   */
  public Registry() {
  }

  @Override
  public List<FeatureDefinition> definitions() {
    return List.of(
        MetaxyVideo.DEFINITION,
        MetaxyOuter_ClipStats.DEFINITION);
  }

  @Override
  public List<FeatureRegistry.CompiledVersions> compiledVersions() {
    return List.of(
        MetaxyVideo.COMPILED_VERSIONS,
        MetaxyOuter_ClipStats.COMPILED_VERSIONS);
  }
}
