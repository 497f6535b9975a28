package io.metaxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.graph.GraphJson;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.SpecJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file's TOML: every kind of spec (deps with select/rename, field deps, mappings) round-trips. */
class LockFileTest {
  @TempDir
  Path dir;

  private static List<FeatureDefinition> fixture(String name) throws IOException {
    try (InputStream in = LockFileTest.class.getResourceAsStream("/fixtures/" + name)) {
      return GraphJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    }
  }

  @Test
  void writeThenReadGivesTheSameDefinitions() throws IOException {
    List<FeatureDefinition> defs = new ArrayList<>();
    for (String f : List.of("described.json", "f2.json", "f2_auto.json", "diff/overview1.json")) {
      for (FeatureDefinition d : fixture(f)) {
        if (defs.stream().noneMatch(x -> x.spec().key().equals(d.spec().key()))) {
          defs.add(d);
        }
      }
    }
    List<LockFile.Entry> entries = new ArrayList<>();
    for (FeatureDefinition d : defs) {
      Map<String, String> byField = new TreeMap<>();
      d.spec().fields().forEach(f -> byField.put(f.key().toString(), "v-" + f.key()));
      entries.add(new LockFile.Entry(d, "fv", "dv", byField));
    }
    String text = LockFile.write(entries);
    assertTrue(text.startsWith(LockFile.HEADER), text);
    Path file = dir.resolve("metaxy.lock");
    Files.writeString(file, text);
    Map<String, LockFile.Entry> back = LockFile.read(file);
    assertEquals(defs.size(), back.size());
    for (FeatureDefinition d : defs) {
      LockFile.Entry e = back.get(d.spec().key().toString());
      assertEquals(
          SpecJson.toTree(d.spec()),
          SpecJson.toTree(e.definition().spec()),
          d.spec().key().toString());
      assertEquals(d.project(), e.definition().project());
      assertEquals(d.className(), e.definition().className());
      assertEquals(d.featureSchema(), e.definition().featureSchema());
      assertTrue(e.definition().external());
      assertEquals(
          "v-" + d.spec().fields().get(0).key(),
          e.definition().provenanceOverride().get(d.spec().fields().get(0).key().toString()));
    }
    // Deterministic: the same entries in another order give the same text.
    Collections.reverse(entries);
    assertEquals(text, LockFile.write(entries));
  }

  @Test
  void stringsWithQuotesControlCharactersAndEmojiRoundTrip() throws IOException {
    String description = "Quote \" backslash \\ tab\t newline\n é 😀 end";
    FeatureDefinition d = fixture("f2.json").get(0);
    Map<String, Object> tree = new LinkedHashMap<>(SpecJson.toTree(d.spec()));
    tree.put("description", description);
    FeatureDefinition withText = new FeatureDefinition(
        SpecJson.specFromTree(tree),
        d.project(),
        Map.of("title", "schema 😀"),
        false,
        Map.of(),
        d.className());
    Path file = dir.resolve("metaxy.lock");
    String text =
        LockFile.write(List.of(new LockFile.Entry(withText, "fv", "dv", Map.of("path", "x"))));
    // TOML has no surrogate escapes: the emoji is one \U escape (the schema's JSON text keeps its
    // own \\u escapes).
    assertTrue(
        text.contains(
            "description = \"Quote \\\" backslash \\\\ tab\\t newline\\n \\u00e9 \\U0001f600 end\""),
        text);
    Files.writeString(file, text);
    FeatureDefinition back = LockFile.read(file).get(d.spec().key().toString()).definition();
    assertEquals(description, back.spec().description());
    assertEquals(Map.of("title", "schema 😀"), back.featureSchema());
  }

  @Test
  void emptyLockAndInvalidContent() throws IOException {
    Path file = dir.resolve("metaxy.lock");
    Files.writeString(file, LockFile.write(List.of()));
    assertEquals(Map.of(), LockFile.read(file));
    Files.writeString(file, "[features.\"a/b\".data]\nproject = \"p\"\n");
    CliFailure f = Assertions.assertThrows(CliFailure.class, () -> LockFile.read(file));
    assertTrue(
        f.getMessage()
            .startsWith("Error: Invalid lock file. Try regenerating it with `metaxy lock`. ("),
        f.getMessage());
    assertTrue(f.getMessage().contains("features.\"a/b\""), f.getMessage());
  }
}
