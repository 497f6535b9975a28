package io.metaxy.processor;

import static com.google.common.truth.Truth.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.palantir.javapoet.TypeSpec;
import io.metaxy.annotations.Feature;
import io.metaxy.graph.FeatureGraph;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * The processor runs with the processor path the docs prescribe: the processor, the runtime, the
 * annotations, JavaPoet and Jackson, but no Arrow and no jOOQ (those are only on the compile class
 * path, for the generated code). Found by AutoService registration, as in a user build.
 */
class ProcessorPathTest {
  private static String location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void processorPathWithoutArrowOrJooq() throws Exception {
    Set<String> processorPath = new LinkedHashSet<>();
    for (Class<?> c : List.of(
        FeatureProcessor.class,
        FeatureGraph.class,
        Feature.class,
        TypeSpec.class,
        ObjectMapper.class,
        JsonFactory.class,
        JsonProperty.class)) {
      processorPath.add(location(c));
    }
    assertThat(String.join(File.pathSeparator, processorPath)).doesNotContain("arrow");
    assertThat(String.join(File.pathSeparator, processorPath)).doesNotContain("jooq");
    Set<String> classPath = new LinkedHashSet<>(processorPath);
    for (Class<?> c : List.of(Schema.class, BufferAllocator.class, DSL.class)) {
      classPath.add(location(c));
    }
    Path dir = Files.createTempDirectory("metaxy-procpath");
    Path src = dir.resolve("src/example/Video.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, TestSources.VIDEO.getCharContent(true).toString());
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    List<String> args = new ArrayList<>(List.of(
        "-processorpath",
        String.join(File.pathSeparator, processorPath),
        "-classpath",
        String.join(File.pathSeparator, classPath),
        "-d",
        out.toString(),
        "-s",
        out.toString(),
        "--release",
        "17",
        src.toString()));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
    assertThat(diagnostics.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(rc).isEqualTo(0);
    assertThat(Files.exists(out.resolve("example/MetaxyVideo.class"))).isTrue();
    assertThat(Files.readString(out.resolve("META-INF/services/io.metaxy.graph.FeatureRegistry")))
        .isEqualTo("example.MetaxyFeatureRegistry\n");
  }
}
