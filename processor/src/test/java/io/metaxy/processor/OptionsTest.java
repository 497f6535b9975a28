package io.metaxy.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.versioning.Truncation;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Processor options change what is compiled in, and the runtime agrees. */
class OptionsTest {
  @Test
  void truncationAndProjectOptions() throws Exception {
    Compilation c = TestSources.javac()
        .withOptions("-Ametaxy.hashTruncationLength=12", "-Ametaxy.project=media")
        .compile(TestSources.OVERVIEW);
    assertThat(c).succeededWithoutWarnings();
    try (URLClassLoader loader = TestSources.loader(TestSources.writeOutput(c))) {
      Class<?> crop = loader.loadClass("example.MetaxyCrop");
      FeatureGraph graph = FeatureGraph.load(loader); // also checks every constant
      String version = (String) crop.getField("FIELD_AUDIO_VERSION").get(null);
      assertThat(version).hasLength(12);
      assertThat(version)
          .isEqualTo(graph
              .versions(new Truncation(12))
              .fieldVersion(FeatureKey.of("example/crop"), FieldKey.of("audio")));
      assertThat(crop.getField("PROJECT").get(null)).isEqualTo("media");
      assertThat(crop.getField("HASH_TRUNCATION_LENGTH").get(null)).isEqualTo(12);
    }
  }

  @Test
  void generatedCodeIsLintClean() {
    // Users who compile with -Werror must not pay for generated code.
    Compilation c = TestSources.javac()
        .withOptions("-Xlint:all,-processing", "-Werror")
        .compile(List.of(
            TestSources.VIDEO,
            TestSources.CROP,
            TestSources.FACE_DETECTION,
            TestSources.SPEECH_TO_TEXT,
            TestSources.source("example.Tagged", """
                        package example;

                        import io.metaxy.annotations.*;

                        @Feature(key = "example/tagged", idColumns = "video_id")
                        @Dep(Video.class)
                        public record Tagged(String videoId, java.util.List<String> tags, byte[] blob) {}
                        """)));
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void noTruncation() throws Exception {
    Compilation c = TestSources.javac()
        .withOptions("-Ametaxy.hashTruncationLength=0")
        .compile(TestSources.OVERVIEW);
    assertThat(c).succeededWithoutWarnings();
    try (URLClassLoader loader = TestSources.loader(TestSources.writeOutput(c))) {
      FeatureGraph.load(loader);
      assertThat((String) loader
              .loadClass("example.MetaxyVideo")
              .getField("FEATURE_VERSION")
              .get(null))
          .hasLength(64);
    }
  }

  @Test
  void undefinedTypesAreReportedAtTheEnd() {
    var f = TestSources.source("bad.Missing", """
            package bad;

            import io.metaxy.annotations.*;

            @Feature(key = "bad/missing", idColumns = "id")
            public record Missing(String id, NotGenerated thing) {}
            """);
    Compilation c = TestSources.javac().compile(f);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining(
            "[Metaxy/UndefinedType] did not generate the Metaxy companion of bad.Missing because it references"
                + " undefined types (NotGenerated); if they are generated, look above for the error that prevented it")
        .inFile(f)
        .onLineContaining("public record Missing");
    assertThat(c).hadErrorContaining("cannot find symbol");
  }
}
