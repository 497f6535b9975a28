package io.metaxy.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.GraphJson;
import io.metaxy.spec.FeatureDefinition;
import java.io.InputStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Upstream features named by key are found in the {@code META-INF/metaxy/graph.json} of the class path
 * (here the test resource defining {@code ext/audio}).
 */
class ClasspathGraphTest {
  private static JavaFileObject downstream(String fields) {
    return TestSources.source("down.Transcript", """
        package down;

        import io.metaxy.annotations.*;

        @Feature(key = "down/transcript", idColumns = "video_id")
        @Dep(key = "ext/audio")
        @Field(key = "text", codeVersion = "1", dependsOn = @On(key = "ext/audio", fields = %s))
        public record Transcript(String videoId, String text) {}
        """.formatted(fields));
  }

  @Test
  void upstreamFromTheClassPathGraph() throws Exception {
    Compilation c = TestSources.javac().compile(downstream("\"waveform\""));
    assertThat(c).succeededWithoutWarnings();
    Path out = TestSources.writeOutput(c);
    List<FeatureDefinition> all = new ArrayList<>();
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(GraphJson.RESOURCE)) {
      all.addAll(
          GraphJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "test graph"));
    }
    try (URLClassLoader loader = TestSources.loader(out)) {
      Class<?> companion = loader.loadClass("down.MetaxyTranscript");
      FeatureDefinition def =
          (FeatureDefinition) companion.getField("DEFINITION").get(null);
      all.add(def);
      FeatureGraph graph = FeatureGraph.of(all);
      FeatureKey key = FeatureKey.of("down/transcript");
      assertThat(companion.getField("FEATURE_VERSION").get(null))
          .isEqualTo(graph.featureVersion(key));
      assertThat(companion.getField("FIELD_PARENTS").get(null))
          .isEqualTo(Map.of("text", List.of("ext/audio.waveform")));
    }
  }

  @Test
  void unknownFieldOfAClassPathUpstream() {
    JavaFileObject f = downstream("\"subtitles\"");
    Compilation c = TestSources.javac().compile(f);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining(
            "[Metaxy/UnknownUpstreamField] ext/audio has no field \"subtitles\" (its fields: [waveform])")
        .inFile(f)
        .onLineContaining("\"subtitles\"");
    assertThat(c).hadErrorCount(1);
  }
}
