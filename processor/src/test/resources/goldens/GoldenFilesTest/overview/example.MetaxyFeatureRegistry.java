package example;

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
public final class MetaxyFeatureRegistry implements FeatureRegistry {
  /**
   * Called by {@link java.util.ServiceLoader}.
   */
  public MetaxyFeatureRegistry() {
  }

  @Override
  public List<FeatureDefinition> definitions() {
    return List.of(
        MetaxyCrop.DEFINITION,
        MetaxyFaceDetection.DEFINITION,
        MetaxySpeechToText.DEFINITION,
        MetaxyVideo.DEFINITION);
  }

  @Override
  public List<FeatureRegistry.CompiledVersions> compiledVersions() {
    return List.of(
        MetaxyCrop.COMPILED_VERSIONS,
        MetaxyFaceDetection.COMPILED_VERSIONS,
        MetaxySpeechToText.COMPILED_VERSIONS,
        MetaxyVideo.COMPILED_VERSIONS);
  }
}
