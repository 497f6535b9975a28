package io.metaxy.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import io.metaxy.graph.FeatureCompanions;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.json.Json;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.versioning.Truncation;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Java records written to match features of the Python reference's recorded vectors compile to exactly
 * the recorded versions: field, feature, code, spec, definition (spec + pydantic schema) and project.
 */
class ReferenceVectorsTest {
  private static final Path VECTORS =
      Path.of("../runtime/src/test/resources/conformance/versioning-vectors.json");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "metadata_stores/core/test_provenance_snapshot.py::test_provenance_snapshot[identity]#graph0:all",
            List.of(
                TestSources.source("ref.ParentFeature", """
                    package ref;
                    import io.metaxy.annotations.*;
                    @Feature(key = "parent", idColumns = "id", project = "test")
                    @Field(key = "value", codeVersion = "1")
                    public record ParentFeature(String id) {}
                    """),
                TestSources.source("ref.ChildFeature", """
                    package ref;
                    import io.metaxy.annotations.*;
                    @Feature(key = "child", idColumns = "id", project = "test")
                    @Dep(ParentFeature.class)
                    @Field(key = "derived", codeVersion = "1", dependsOnAll = true)
                    public record ChildFeature(String id) {}
                    """))),
        Arguments.of(
            "metadata_stores/core/test_provenance_snapshot.py::test_provenance_snapshot[aggregation]#graph0:all",
            List.of(
                TestSources.source("ref.SensorReadings", """
                    package ref;
                    import io.metaxy.annotations.*;
                    @Feature(key = "sensor_readings", idColumns = {"sensor_id", "reading_id"}, project = "test")
                    @Field(key = "temperature", codeVersion = "1")
                    public record SensorReadings(String sensorId, String readingId) {}
                    """),
                TestSources.source("ref.AggregatedStats", """
                    package ref;
                    import io.metaxy.annotations.*;
                    @Feature(key = "aggregated_stats", idColumns = "sensor_id", project = "test")
                    @Dep(value = SensorReadings.class, lineage = Lineage.AGGREGATION, on = "sensor_id")
                    @Field(key = "avg_temp", codeVersion = "1", dependsOnAll = true)
                    public record AggregatedStats(String sensorId) {}
                    """))),
        Arguments.of(
            "metadata_stores/core/test_provenance_snapshot.py::test_provenance_snapshot[expansion]#graph0:all",
            List.of(
                TestSources.source("ref.Video", """
                    package ref;
                    import io.metaxy.annotations.*;
                    @Feature(key = "video", idColumns = "video_id", project = "test")
                    @Field(key = "content", codeVersion = "1")
                    public record Video(String videoId) {}
                    """), TestSources.source("ref.VideoFrames", """
                    package ref;
                    import io.metaxy.annotations.*;
                    @Feature(key = "video_frames", idColumns = "video_id", project = "test")
                    @Dep(value = Video.class, lineage = Lineage.EXPANSION, on = "video_id")
                    @Field(key = "frames", codeVersion = "1", dependsOnAll = true)
                    public record VideoFrames(String videoId) {}
                    """))),
        Arguments.of(
            "generated:docstring_description",
            List.of(
                TestSources.source("ref.Documented", """
                    package ref;
                    import io.metaxy.annotations.*;
                    @Feature(key = "doc/one", idColumns = "id", project = "generated_cases",
                        description = "First line.\\n\\nIndented second paragraph.")
                    public record Documented(String id) {}
                    """),
                TestSources.source("ref.Undocumented", """
                    package ref;
                    import io.metaxy.annotations.*;
                    @Feature(key = "doc/two", idColumns = "id", project = "generated_cases")
                    @Dep(key = "doc/one")
                    public record Undocumented(String id, @Nullable Integer maybe) {
                      @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE_USE)
                      @interface Nullable {}
                    }
                    """))));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> expected(String name) throws IOException {
    Map<String, Object> root =
        (Map<String, Object>) Json.parse(Files.readString(VECTORS), VECTORS.toString());
    for (Object c : (List<Object>) root.get("cases")) {
      Map<String, Object> m = (Map<String, Object>) c;
      if (name.equals(m.get("name"))) {
        return (Map<String, Object>) m.get("expected");
      }
    }
    throw new AssertionError("no vector " + name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void compiledConstantsEqualTheRecordedValues(String vector, List<JavaFileObject> sources)
      throws Exception {
    Compilation c = TestSources.javac().compile(sources);
    assertThat(c).succeededWithoutWarnings();
    Map<String, Object> expected = expected(vector);
    try (URLClassLoader loader = TestSources.loader(TestSources.writeOutput(c))) {
      FeatureGraph graph = FeatureGraph.load(loader);
      for (FeatureDefinition d : graph.definitions()) {
        String key = d.spec().key().toString();
        Class<?> companion = Class.forName(
            FeatureCompanions.companionName(loader.loadClass(d.className())), true, loader);
        String[][] checks = {
          {"feature_versions", "FEATURE_VERSION"},
          {"feature_code_versions", "FEATURE_CODE_VERSION"},
          {"feature_spec_versions", "FEATURE_SPEC_VERSION"},
          {"definition_versions", "DEFINITION_VERSION"},
          {"field_versions", "FIELD_VERSIONS"},
        };
        for (String[] check : checks) {
          Object want = ((Map<String, Object>) expected.get(check[0])).get(key);
          assertWithMessage("%s of %s", check[0], key)
              .that(companion.getField(check[1]).get(null))
              .isEqualTo(want);
        }
      }
      Map<String, Object> projects = (Map<String, Object>) expected.get("project_versions");
      for (Map.Entry<String, Object> p : projects.entrySet()) {
        assertWithMessage("project version of %s", p.getKey())
            .that(graph.projectVersion(p.getKey(), Truncation.DEFAULT))
            .isEqualTo(p.getValue());
      }
    }
  }
}
