package io.metaxy.spark;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import java.util.List;
import java.util.Map;

/** The graph and data of the cluster test: root {@code video} (audio, frames) → {@code clip}. */
final class ClusterData {
  static final int ROWS = 2000;

  private ClusterData() {}

  static FeatureGraph graph() {
    FeatureSpec video = FeatureSpec.builder("video", "sample_uid")
        .field("audio", "1")
        .field("frames", "1")
        .build();
    FeatureSpec clip = FeatureSpec.builder("clip", "sample_uid")
        .dep("video")
        .field("embedding", "1")
        .build();
    return FeatureGraph.of(List.of(
        FeatureDefinition.of(video, "cluster", Map.of()),
        FeatureDefinition.of(clip, "cluster", Map.of())));
  }

  static String audio(long id) {
    return "a" + (id * 7919 % 1000);
  }

  static String frames(long id) {
    return "f" + (id * 104729 % 977);
  }
}
