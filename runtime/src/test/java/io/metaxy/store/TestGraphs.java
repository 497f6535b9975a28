package io.metaxy.store;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import java.util.List;
import java.util.Map;

/** Feature graphs the adapters' store-specific tests share (the runtime's test jar). */
public final class TestGraphs {
  private TestGraphs() {}

  /**
   * Root {@code video/raw} (id {@code video_id}, fields {@code audio} and {@code frames}) and {@code
   * video/clip} (field {@code audio}) depending on it, project {@code p}.
   */
  public static FeatureGraph videoClip() {
    return FeatureGraph.of(List.of(
        FeatureDefinition.of(
            FeatureSpec.builder("video/raw", "video_id")
                .field("audio", "1")
                .field("frames", "1")
                .build(),
            "p",
            Map.of()),
        FeatureDefinition.of(
            FeatureSpec.builder("video/clip", "video_id")
                .dep("video/raw")
                .field("audio", "1")
                .build(),
            "p",
            Map.of())));
  }
}
