package io.metaxy.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.MetaxyException;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldDep;
import io.metaxy.spec.FieldDeps;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.FieldsMapping;
import io.metaxy.spec.Lineage;
import io.metaxy.versioning.FieldRef;
import io.metaxy.versioning.Sha256;
import io.metaxy.versioning.Truncation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The overview graph of versioning.md: video → crop → face_detection, video → stt. */
class FeatureGraphTest {
  static FeatureGraph overview() {
    FeatureSpec video = FeatureSpec.builder("example/video", "video_id")
        .field("audio", "1")
        .field("frames", "1")
        .build();
    FeatureSpec crop = FeatureSpec.builder("example/crop", "video_id")
        .dep("example/video")
        .field("audio", "1")
        .field("frames", "1")
        .build();
    FeatureSpec faces = FeatureSpec.builder("example/face_detection", "video_id")
        .dep("example/crop")
        .field(new FieldSpec(
            FieldKey.of("faces"),
            "1",
            new FieldDeps.Explicit(List.of(
                new FieldDep(FeatureKey.of("example/crop"), List.of(FieldKey.of("frames")))))))
        .build();
    FeatureSpec stt = FeatureSpec.builder("example/stt", "video_id")
        .dep("example/video")
        .field(new FieldSpec(
            FieldKey.of("transcription"),
            "1",
            new FieldDeps.Explicit(List.of(
                new FieldDep(FeatureKey.of("example/video"), List.of(FieldKey.of("audio")))))))
        .build();
    return FeatureGraph.of(List.of(video, crop, faces, stt).stream()
        .map(s -> FeatureDefinition.of(s, "example", Map.of()))
        .toList());
  }

  @Test
  void fieldVersionsFollowTheRecordedOverviewValues() {
    FeatureGraph g = overview();
    assertEquals(
        "22742381",
        g.versions().fieldVersion(FeatureKey.of("example/video"), FieldKey.of("audio")));
    assertEquals(
        "4c726c4b", g.versions().fieldVersion(FeatureKey.of("example/crop"), FieldKey.of("audio")));
    // The feature version hashes sorted field keys with their versions.
    String frames =
        g.versions().fieldVersion(FeatureKey.of("example/video"), FieldKey.of("frames"));
    assertEquals(
        Sha256.hex("audio", "22742381", "frames", frames).substring(0, 8),
        g.featureVersion(FeatureKey.of("example/video")));
  }

  @Test
  void parentsAndOrderAreResolved() {
    FeatureGraph g = overview();
    assertEquals(
        List.of(new FieldRef(FeatureKey.of("example/crop"), FieldKey.of("frames"))),
        g.parents(FeatureKey.of("example/face_detection"), FieldKey.of("faces")));
    // Default mapping: crop.audio takes video.audio (same key), not every video field.
    assertEquals(
        List.of(new FieldRef(FeatureKey.of("example/video"), FieldKey.of("audio"))),
        g.parents(FeatureKey.of("example/crop"), FieldKey.of("audio")));
    assertEquals(
        List.of("example/video", "example/crop", "example/face_detection", "example/stt"),
        g.topologicalOrder().stream().map(FeatureKey::toString).toList());
    assertEquals(
        List.of(FeatureKey.of("example/crop"), FeatureKey.of("example/stt")),
        g.downstream(FeatureKey.of("example/video")));
    assertTrue(g.problems().isEmpty(), g.problems().toString());
  }

  @Test
  void changingAnUpstreamCodeVersionChangesOnlyDependentFields() {
    FeatureGraph before = overview();
    FeatureSpec video2 = FeatureSpec.builder("example/video", "video_id")
        .field("audio", "2")
        .field("frames", "1")
        .build();
    List<FeatureDefinition> defs = new ArrayList<>(before.definitions());
    defs.set(0, FeatureDefinition.of(video2, "example", Map.of()));
    FeatureGraph after = FeatureGraph.of(defs);
    FeatureKey faces = FeatureKey.of("example/face_detection");
    FeatureKey stt = FeatureKey.of("example/stt");
    assertEquals(before.featureVersion(faces), after.featureVersion(faces));
    assertTrue(!before.featureVersion(stt).equals(after.featureVersion(stt)));
  }

  @Test
  void roundTripsThroughClassFreeJson() {
    FeatureGraph g = overview();
    FeatureGraph back = FeatureGraph.fromJson(g.toJson());
    for (FeatureKey k : g.keys()) {
      assertEquals(g.featureVersion(k), back.featureVersion(k));
      assertEquals(g.versions().definitionVersion(k), back.versions().definitionVersion(k));
    }
    assertEquals(
        g.projectVersion("example", Truncation.DEFAULT),
        back.projectVersion("example", Truncation.DEFAULT));
  }

  @Test
  void reportsUnknownUpstreamsCyclesAndDuplicates() {
    FeatureSpec a = FeatureSpec.builder("a", "id").dep("b").build();
    FeatureSpec b = FeatureSpec.builder("b", "id").dep("a").build();
    FeatureSpec c = FeatureSpec.builder("c", "id").dep("nowhere").build();
    FeatureGraph g = FeatureGraph.of(List.of(a, b, c).stream()
        .map(s -> FeatureDefinition.of(s, "p", Map.of()))
        .toList());
    assertEquals(
        List.of("feature c depends on unknown feature nowhere", "dependency cycle: a -> b -> a"),
        g.problems());
    MetaxyException e = assertThrows(MetaxyException.class, g::topologicalOrder);
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    FeatureSpec a2 = FeatureSpec.builder("a", "other").build();
    MetaxyException dup = assertThrows(
        MetaxyException.class,
        () -> FeatureGraph.of(List.of(
            FeatureDefinition.of(a, "p", Map.of()), FeatureDefinition.of(a2, "p", Map.of()))));
    assertTrue(dup.getMessage().contains("duplicate feature key a"), dup.getMessage());
  }

  @Test
  void planIntersectsInputIdColumns() {
    FeatureSpec left = FeatureSpec.builder("left", "video_id", "frame").build();
    FeatureSpec right = FeatureSpec.builder("right", "video_id").build();
    FeatureSpec down = FeatureSpec.builder("down", "video_id", "frame")
        .dep("left")
        .dep(new FeatureDep(
            FeatureKey.of("right"),
            null,
            null,
            FieldsMapping.DEFAULT,
            null,
            Lineage.IDENTITY,
            true))
        .build();
    FeatureSpec agg = FeatureSpec.builder("agg", "video_id")
        .dep(new FeatureDep(
            FeatureKey.of("left"),
            null,
            Map.of("video_id", "vid"),
            FieldsMapping.DEFAULT,
            null,
            new Lineage.Aggregation(null),
            false))
        .build();
    FeatureGraph g = FeatureGraph.of(List.of(left, right, down, agg).stream()
        .map(s -> FeatureDefinition.of(s, "p", Map.of()))
        .toList());
    FeaturePlan plan = FeaturePlan.of(g, FeatureKey.of("down"));
    assertEquals(List.of("video_id"), plan.joinColumns());
    assertEquals(List.of("video_id", "frame"), plan.deps().get(0).inputIdColumns());
    FeaturePlan aggPlan = FeaturePlan.of(g, FeatureKey.of("agg"));
    assertEquals(List.of("video_id"), aggPlan.joinColumns());
    assertEquals(List.of("vid", "frame"), aggPlan.deps().get(0).renamedUpstreamIdColumns());
  }
}
