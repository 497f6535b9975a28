package io.metaxy.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureCompanion;
import io.metaxy.graph.FeatureCompanions;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.versioning.DefinitionVersions;
import java.lang.reflect.Field;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The overview graph compiles, and its compile-time constants equal the runtime's computation. */
class OverviewGraphTest {
  private static Compilation compilation;
  private static Path output;
  private static URLClassLoader loader;

  @BeforeAll
  static void compile() {
    compilation = TestSources.javac().compile(TestSources.OVERVIEW);
    assertThat(compilation).succeededWithoutWarnings();
    output = TestSources.writeOutput(compilation);
    loader = TestSources.loader(output);
  }

  @AfterAll
  static void close() throws Exception {
    loader.close();
  }

  private static Object constant(String companion, String name) throws Exception {
    Field f = loader.loadClass("example." + companion).getField(name);
    return f.get(null);
  }

  @Test
  void fieldVersionsMatchTheRecordedReferenceValues() throws Exception {
    // versioning spec §3.1/§3.2, recorded in the reference's examples/example-overview
    assertThat(constant("MetaxyVideo", "FIELD_AUDIO_VERSION")).isEqualTo("22742381");
    assertThat(constant("MetaxyCrop", "FIELD_AUDIO_VERSION")).isEqualTo("4c726c4b");
    assertThat(constant("MetaxyVideo", "FEATURE_VERSION")).isEqualTo("c2ac395f");
  }

  @Test
  void generatesOneCompanionPerFeatureAndARegistry() {
    for (String name : List.of(
        "MetaxyVideo",
        "MetaxyCrop",
        "MetaxyFaceDetection",
        "MetaxySpeechToText",
        "MetaxyFeatureRegistry")) {
      assertThat(compilation).generatedSourceFile("example." + name).isNotNull();
    }
  }

  @Test
  void loadedGraphAgreesWithEveryCompiledConstant() throws Exception {
    // FeatureGraph.load recomputes every compiled constant and throws on a mismatch.
    FeatureGraph graph = FeatureGraph.load(loader);
    assertThat(graph.keys()).hasSize(4);
    DefinitionVersions v = graph.versions();
    for (String c :
        List.of("MetaxyVideo", "MetaxyCrop", "MetaxyFaceDetection", "MetaxySpeechToText")) {
      FeatureKey key = FeatureKey.of((String) constant(c, "KEY"));
      assertThat(constant(c, "FEATURE_VERSION")).isEqualTo(v.featureVersion(key));
      assertThat(constant(c, "FEATURE_CODE_VERSION")).isEqualTo(v.codeVersion(key));
      assertThat(constant(c, "FEATURE_SPEC_VERSION")).isEqualTo(v.specVersion(key));
      assertThat(constant(c, "DEFINITION_VERSION")).isEqualTo(v.definitionVersion(key));
      Map<String, String> fieldVersions = new LinkedHashMap<>();
      v.fieldVersions(key).forEach((k, fv) -> fieldVersions.put(k.toString(), fv));
      assertThat(constant(c, "FIELD_VERSIONS")).isEqualTo(fieldVersions);
    }
  }

  @Test
  void graphJsonResourceGivesTheSameVersions() throws Exception {
    String json =
        Files.readString(output.resolve("META-INF/metaxy/graph.json"), StandardCharsets.UTF_8);
    FeatureGraph fromJson = FeatureGraph.fromJson(json);
    FeatureGraph loaded = FeatureGraph.load(loader);
    assertThat(fromJson.keys()).containsExactlyElementsIn(loaded.keys());
    for (FeatureKey k : loaded.keys()) {
      assertThat(fromJson.versions().featureVersion(k))
          .isEqualTo(loaded.versions().featureVersion(k));
      assertThat(fromJson.versions().definitionVersion(k))
          .isEqualTo(loaded.versions().definitionVersion(k));
      assertThat(fromJson.definition(k)).isEqualTo(loaded.definition(k));
    }
    assertThat(
            Files.readString(output.resolve("META-INF/services/io.metaxy.graph.FeatureRegistry")))
        .isEqualTo("example.MetaxyFeatureRegistry\n");
  }

  @Test
  void planConstantsComeFromFeaturePlan() throws Exception {
    assertThat(constant("MetaxyFaceDetection", "FIELD_PARENTS"))
        .isEqualTo(Map.of("faces", List.of("example/crop.frames")));
    assertThat(constant("MetaxyCrop", "FIELD_PARENTS"))
        .isEqualTo(Map.of(
            "audio", List.of("example/video.audio"), "frames", List.of("example/video.frames")));
    assertThat(constant("MetaxyCrop", "JOIN_COLUMNS")).isEqualTo(List.of("video_id"));
    assertThat(constant("MetaxyCrop", "TABLE_NAME")).isEqualTo("example__crop");
    assertThat(constant("MetaxyFaceDetection", "TABLE_NAME")).isEqualTo("example__face_detection");
  }

  @Test
  void companionIsFoundThroughFeatureCompanions() throws Exception {
    Class<? extends Record> video = loader.loadClass("example.Video").asSubclass(Record.class);
    FeatureCompanion<? extends Record> companion = FeatureCompanions.of(video);
    assertThat(companion.key()).isEqualTo(FeatureKey.of("example/video"));
    assertThat(companion.recordType()).isEqualTo(video);
    assertThat(companion.definition().className()).isEqualTo("example.Video");
  }
}
