package io.metaxy.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.graph.FeatureRegistry.CompiledVersions;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.versioning.DefinitionVersions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link FeatureGraph#checkCompiled} accepts matching compiled versions and names any mismatch. */
class CompiledVersionsCheckTest {
  private static final FeatureKey VIDEO = FeatureKey.of("example/video");
  private static final FeatureGraph GRAPH = FeatureGraph.of(List.of(FeatureDefinition.of(
      FeatureSpec.builder("example/video", "video_id")
          .field("audio", "1")
          .field("frames", "1")
          .build(),
      "default",
      Map.of())));

  private static CompiledVersions actual(String definitionVersion) {
    DefinitionVersions v = GRAPH.versions();
    Map<String, String> fields = new LinkedHashMap<>();
    v.fieldVersions(VIDEO).forEach((k, fv) -> fields.put(k.toString(), fv));
    return new CompiledVersions(
        VIDEO,
        8,
        v.featureVersion(VIDEO),
        v.codeVersion(VIDEO),
        v.specVersion(VIDEO),
        definitionVersion,
        fields,
        "example.MetaxyVideo");
  }

  @Test
  void matchingVersionsPass() {
    GRAPH.checkCompiled(actual(GRAPH.versions().definitionVersion(VIDEO)));
    assertEquals("22742381", actual("x").fieldVersions().get("audio"));
  }

  @Test
  void aStaleConstantIsNamed() {
    String real = GRAPH.versions().definitionVersion(VIDEO);
    MetaxyException e =
        assertThrows(MetaxyException.class, () -> GRAPH.checkCompiled(actual("deadbeef")));
    assertEquals(
        "feature example/video: the definition version compiled into example.MetaxyVideo is deadbeef but the loaded"
            + " graph gives " + real
            + "; the class path mixes classes compiled against different feature definitions"
            + " (recompile the module that defines example/video)",
        e.getMessage());
  }

  @Test
  void aFeatureMissingFromTheGraphIsNamed() {
    CompiledVersions other = new CompiledVersions(
        FeatureKey.of("other/x"), 8, "a", "b", "c", "d", Map.of(), "other.MetaxyX");
    MetaxyException e = assertThrows(MetaxyException.class, () -> GRAPH.checkCompiled(other));
    assertEquals(
        "cannot check the compiled versions of feature other/x (other.MetaxyX): unknown feature other/x",
        e.getMessage());
  }
}
