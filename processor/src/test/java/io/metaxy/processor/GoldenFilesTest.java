package io.metaxy.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.common.truth.Truth;
import com.google.testing.compile.Compilation;
import io.metaxy.graph.FeatureGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A few golden files: not to test behaviour (the functional tests do), but to see that the generated
 * code is not correct-but-weird, and to review changes to it.
 */
class GoldenFilesTest {
  @Test
  void overview() {
    Compilation c = TestSources.javac().compile(TestSources.OVERVIEW);
    assertThat(c).succeededWithoutWarnings();
    Goldens.assertGolden(c, "GoldenFilesTest", "overview", "example.MetaxyCrop");
    Goldens.assertGolden(c, "GoldenFilesTest", "overview", "example.MetaxyFeatureRegistry");
  }

  @Test
  void allColumnTypesAndLineages() throws Exception {
    Compilation c = TestSources.javac()
        .withOptions("-Ametaxy.project=media", "-Ametaxy.registry=media.Registry")
        .compile(List.of(TestSources.VIDEO, TestSources.source("media.Outer", """
                        package media;

                        import example.Video;
                        import io.metaxy.annotations.*;
                        import java.time.Instant;
                        import java.time.LocalDate;
                        import java.util.List;

                        public class Outer {
                          @interface Nullable {}

                          @Feature(key = "media/clip-stats", idColumns = {"video_id", "clip"},
                              description = "Per-clip statistics",
                              metadata = {@Meta(key = "owner", value = "vision"), @Meta(key = "n", value = "[1, 2.5]", json = true)})
                          @Dep(value = Video.class, lineage = Lineage.EXPANSION, on = "video_id",
                              rename = @Rename(from = "path", to = "video_path"), select = {"video_id", "video_path"},
                              filters = "duration_seconds > 1", optional = true,
                              mapping = @Mapping(type = MappingType.SPECIFIC,
                                  specific = @MapField(field = "stats/audio", from = "audio")))
                          @Field(key = "stats/audio", codeVersion = "2")
                          @Field(key = "everything", dependsOnAll = true)
                          public record ClipStats(
                              String videoId,
                              int clip,
                              long frames,
                              @Nullable Double score,
                              float ratio,
                              boolean ok,
                              @Nullable Instant seenAt,
                              LocalDate day,
                              byte[] thumbnail,
                              @Column(value = "labels", description = "free tags") List<String> tags) {}
                        }
                        """)));
    assertThat(c).succeededWithoutWarnings();
    Goldens.assertGolden(
        c, "GoldenFilesTest", "allColumnTypesAndLineages", "media.MetaxyOuter_ClipStats");
    Goldens.assertGolden(c, "GoldenFilesTest", "allColumnTypesAndLineages", "media.Registry");
    // The definition embedded as JSON (metadata numbers, descriptions, lineage options) reads back
    // to the definition the constants were computed from: load() recomputes and compares them all.
    try (var loader = TestSources.loader(TestSources.writeOutput(c))) {
      var graph = FeatureGraph.load(loader);
      Truth.assertThat(graph.keys()).hasSize(2);
      Truth.assertThat(graph.projects()).containsExactly("media");
    }
  }
}
