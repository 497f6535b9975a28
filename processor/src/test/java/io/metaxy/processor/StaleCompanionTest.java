package io.metaxy.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import io.metaxy.MetaxyException;
import io.metaxy.graph.FeatureGraph;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A class path that mixes companions compiled against different definitions (a stale jar) is caught by
 * {@code FeatureGraph.load()}.
 */
class StaleCompanionTest {
  @Test
  void downstreamCompiledAgainstAnOlderUpstreamFailsToLoad() throws Exception {
    Compilation original = TestSources.javac().compile(TestSources.VIDEO, TestSources.CROP);
    assertThat(original).succeeded();
    // The upstream module is rebuilt with a new code version; the downstream jar is not.
    Compilation upstreamV2 = TestSources.javac()
        .withOptions("-Ametaxy.registry=example.video.Registry")
        .compile(TestSources.source("example.Video", """
                    package example;

                    import io.metaxy.annotations.Feature;
                    import io.metaxy.annotations.Field;

                    @Feature(key = "example/video", idColumns = "video_id")
                    @Field(key = "audio", codeVersion = "2")
                    @Field(key = "frames", codeVersion = "1")
                    public record Video(String videoId, String path, double durationSeconds) {}
                    """));
    assertThat(upstreamV2).succeeded();
    Path stale = TestSources.writeOutput(original);
    Path fresh = TestSources.writeOutput(upstreamV2);
    try (URLClassLoader loader = TestSources.loader(fresh, stale)) {
      MetaxyException e = assertThrows(MetaxyException.class, () -> FeatureGraph.load(loader));
      assertThat(e)
          .hasMessageThat()
          .startsWith(
              "feature example/crop: the feature version compiled into example.MetaxyCrop is 34d75856 but the loaded"
                  + " graph gives ");
      assertThat(e)
          .hasMessageThat()
          .endsWith(
              "; the class path mixes classes compiled against different feature definitions (recompile the"
                  + " module that defines example/crop)");
    }
    try (URLClassLoader consistent = TestSources.loader(stale)) {
      assertThat(FeatureGraph.load(consistent).keys()).hasSize(2);
    }
  }
}
