package example;

import io.metaxy.internal.GeneratedRegistry;
import java.lang.invoke.MethodHandles;
import javax.annotation.processing.Generated;

/**
 * The Metaxy features of this compilation, found by {@code FeatureGraph.load()} through
 * {@link java.util.ServiceLoader}: their companions, loaded when asked for.
 */
@Generated(
    value = "io.metaxy.processor.FeatureGraphProcessor",
    comments = "Metaxy for Java; see docs/processor.md"
)
public final class MetaxyFeatureRegistry extends GeneratedRegistry {
  /** Called by {@link java.util.ServiceLoader}. */
  public MetaxyFeatureRegistry() {
    super(MethodHandles.lookup(),
        "example.MetaxyCrop",
        "example.MetaxyFaceDetection",
        "example.MetaxySpeechToText",
        "example.MetaxyVideo");
  }
}
