package io.metaxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.GraphJson;
import io.metaxy.json.CanonicalJson;
import io.metaxy.json.Json;
import io.metaxy.spec.FeatureDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The feature schema equals what pydantic emitted for the same columns in the recorded vectors. */
class FeatureSchemasTest {
  @SuppressWarnings("unchecked")
  private static Map<String, Object> vectorCase(String name) throws IOException {
    Object tree;
    try (InputStream in =
        FeatureSchemasTest.class.getResourceAsStream("/conformance/versioning-vectors.json")) {
      tree = Json.parse(in, "versioning-vectors.json");
    }
    for (Object c : (List<Object>) ((Map<String, Object>) tree).get("cases")) {
      Map<String, Object> m = (Map<String, Object>) c;
      if (name.equals(m.get("name"))) {
        return m;
      }
    }
    throw new AssertionError("no vector " + name);
  }

  private static FeatureDefinition feature(Map<String, Object> vector, String key) {
    for (FeatureDefinition d : GraphJson.fromTree(vector.get("graph"), "vector")) {
      if (d.spec().key().equals(FeatureKey.of(key))) {
        return d;
      }
    }
    throw new AssertionError("no feature " + key);
  }

  @Test
  void plainRequiredStringColumn() throws IOException {
    // Python: class ParentFeature(BaseFeature, spec=...): id: str
    Map<String, Object> vector = vectorCase(
        "metadata_stores/core/test_provenance_snapshot.py::test_provenance_snapshot[identity]#graph0:all");
    FeatureDefinition recorded = feature(vector, "parent");
    Map<String, Object> schema = FeatureSchemas.featureSchema(
        "ParentFeature", null, List.of(new ColumnDef("id", ColumnType.STRING, false, null)));
    assertEquals(CanonicalJson.write(recorded.featureSchema()), CanonicalJson.write(schema));
  }

  @Test
  void optionalColumnAndDefinitionVersion() throws IOException {
    // Python: class Undocumented(BaseFeature, ...): id: str; maybe: int | None = None
    Map<String, Object> vector = vectorCase("generated:docstring_description");
    FeatureDefinition recorded = feature(vector, "doc/two");
    Map<String, Object> schema = FeatureSchemas.featureSchema(
        "Undocumented",
        null,
        List.of(
            new ColumnDef("id", ColumnType.STRING, false, null),
            new ColumnDef("maybe", ColumnType.INT, true, null)));
    assertEquals(CanonicalJson.write(recorded.featureSchema()), CanonicalJson.write(schema));
    // The definition version over our schema equals the recorded one.
    List<FeatureDefinition> defs =
        new ArrayList<>(GraphJson.fromTree(vector.get("graph"), "vector"));
    defs.replaceAll(d -> d.spec().key().equals(FeatureKey.of("doc/two"))
        ? new FeatureDefinition(d.spec(), d.project(), schema, false, Map.of(), null)
        : d);
    @SuppressWarnings("unchecked")
    Map<String, Object> expected = (Map<String, Object>)
        ((Map<String, Object>) vector.get("expected")).get("definition_versions");
    assertEquals(
        expected.get("doc/two"),
        FeatureGraph.of(defs).versions().definitionVersion(FeatureKey.of("doc/two")));
  }

  @Test
  void describedColumnsAndFeatureDescription() throws IOException {
    // Python: class Video: """...""" with description="Docstring is ignored because description is
    // set." video_id: str; path: str = Field(description="where it lives"); ...
    Map<String, Object> vector = vectorCase("generated:kitchen_sink[trunc=8]");
    @SuppressWarnings("unchecked")
    Map<String, Object> recorded =
        (Map<String, Object>) feature(vector, "gen/video").featureSchema();
    Map<String, Object> schema = FeatureSchemas.featureSchema(
        "Video",
        "Docstring is ignored because description is set.",
        List.of(
            new ColumnDef("video_id", ColumnType.STRING, false, null),
            new ColumnDef("path", ColumnType.STRING, false, "where it lives")));
    @SuppressWarnings("unchecked")
    Map<String, Object> props = (Map<String, Object>) recorded.get("properties");
    @SuppressWarnings("unchecked")
    Map<String, Object> ours = (Map<String, Object>) schema.get("properties");
    assertEquals(CanonicalJson.write(props.get("path")), CanonicalJson.write(ours.get("path")));
    assertEquals(recorded.get("description"), schema.get("description"));
    assertEquals(recorded.get("required"), schema.get("required"));
  }

  @Test
  void pydanticTitles() {
    assertEquals("Video Id", FeatureSchemas.title("video_id"));
    assertEquals("N Frames", FeatureSchemas.title("n_frames"));
    assertEquals("Metadata1", FeatureSchemas.title("metadata1"));
    assertEquals("A1B", FeatureSchemas.title("a1b")); // str.title() starts a word after a digit
    assertEquals("Private", FeatureSchemas.title("_private"));
  }

  @Test
  void typeShapes() {
    assertEquals(
        "{\"format\": \"date-time\", \"type\": \"string\"}",
        CanonicalJson.write(ColumnType.INSTANT.jsonSchema()));
    assertEquals(
        "{\"items\": {\"type\": \"string\"}, \"type\": \"array\"}",
        CanonicalJson.write(ColumnType.STRING_LIST.jsonSchema()));
    assertEquals("{\"type\": \"number\"}", CanonicalJson.write(ColumnType.FLOAT.jsonSchema()));
  }
}
