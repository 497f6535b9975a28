package io.metaxy.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.annotations.Feature;
import io.metaxy.graph.FeatureGraph;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** Features that appear in later rounds, or come from compiled classes of another module. */
class MultiRoundTest {
  /** Another processor that generates an upstream feature record in the first round. */
  static final class UpstreamGenerator extends AbstractProcessor {
    private boolean generated;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (!generated) {
        generated = true;
        try (Writer w =
            processingEnv.getFiler().createSourceFile("gen.Upstream").openWriter()) {
          w.write("package gen;\n"
              + "@io.metaxy.annotations.Feature(key = \"gen/upstream\", idColumns = \"id\")\n"
              + "@io.metaxy.annotations.Field(key = \"audio\", codeVersion = \"1\")\n"
              + "public record Upstream(String id) {}\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }

  private static final JavaFileObject DOWNSTREAM = TestSources.source("down.Down", """
          package down;

          import io.metaxy.annotations.*;

          @Feature(key = "down/down", idColumns = "id")
          @Dep(gen.Upstream.class)
          @Field(key = "audio", codeVersion = "1")
          public record Down(String id) {}
          """);

  @Test
  void upstreamGeneratedByAnotherProcessorIsWaitedFor() throws Exception {
    Compilation c = Compiler.javac()
        .withProcessors(
            new UpstreamGenerator(), new FeatureProcessor(), new FeatureGraphProcessor())
        .compile(DOWNSTREAM);
    assertThat(c).succeededWithoutWarnings();
    try (URLClassLoader loader = TestSources.loader(TestSources.writeOutput(c))) {
      FeatureGraph graph = FeatureGraph.load(loader);
      assertThat(graph.keys())
          .containsExactly(FeatureKey.of("down/down"), FeatureKey.of("gen/upstream"));
      assertThat(graph.parents(FeatureKey.of("down/down"), FieldKey.of("audio")).toString())
          .isEqualTo("[gen/upstream.audio]");
    }
  }

  private static String location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void upstreamFromCompiledClassesOfAnotherModule() throws Exception {
    Compilation upstream = TestSources.javac()
        .withOptions("-Ametaxy.registry=example.VideoRegistry")
        .compile(TestSources.VIDEO);
    assertThat(upstream).succeeded();
    Path upstreamOut = TestSources.writeOutput(upstream);
    List<File> classpath = new ArrayList<>();
    classpath.add(upstreamOut.toFile());
    for (Class<?> c : List.of(
        FeatureGraph.class,
        Feature.class,
        ObjectMapper.class,
        JsonFactory.class,
        JsonInclude.class,
        Schema.class,
        BufferAllocator.class,
        DSL.class)) {
      classpath.add(new File(location(c)));
    }
    // Only the class files of example.Video are visible now, not its source.
    Compilation downstream = TestSources.javac().withClasspath(classpath).compile(TestSources.CROP);
    assertThat(downstream).succeededWithoutWarnings();
    try (URLClassLoader loader =
        TestSources.loader(TestSources.writeOutput(downstream), upstreamOut)) {
      Class<?> crop = loader.loadClass("example.MetaxyCrop");
      assertThat(crop.getField("FIELD_AUDIO_VERSION").get(null)).isEqualTo("4c726c4b");
      // Both registries together form a consistent graph.
      assertThat(FeatureGraph.load(loader).keys()).hasSize(2);
    }
  }
}
