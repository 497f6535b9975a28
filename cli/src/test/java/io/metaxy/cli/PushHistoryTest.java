package io.metaxy.cli;

import static io.metaxy.cli.StoreProject.feature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.json.Json;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.SystemTables;
import io.metaxy.store.support.ArrowBatches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code list stores}, {@code push}, {@code history}, {@code describe graph --snapshot}: S12, S19–S26. */
class PushHistoryTest {
  @TempDir
  Path dir;

  StoreProject p;

  @BeforeEach
  void setUp() {
    p = new StoreProject(dir);
    p.graph(feature("video/files"));
  }

  private String push(String... extra) {
    String[] args = new String[extra.length + 1];
    args[0] = "push";
    System.arraycopy(extra, 0, args, 1, extra.length);
    MxHarness.Result r = p.ok(args);
    assertTrue(r.out().matches("[0-9a-f]{8}\n"), r.toString());
    return r.out().strip();
  }

  @Test
  void s12_listStores() {
    String plain = p.ok("list", "stores").out();
    for (String s : List.of(
        "Name",
        "Info",
        "Fallbacks",
        "dev (default)",
        "staging",
        "Total: 2 store(s)",
        "DuckDbMetadataStore(database=" + dir.resolve("metadata.duckdb"))) {
      assertTrue(plain.contains(s), s + "\n" + plain);
    }
    assertTrue(plain.indexOf("dev (default)") < plain.indexOf("staging"), plain);
    @SuppressWarnings("unchecked")
    Map<String, Object> json =
        (Map<String, Object>) Json.parse(p.ok("list", "stores", "-f", "json").out(), "out");
    assertEquals("dev", json.get("default_store"));
    assertEquals(2L, ((Number) json.get("store_count")).longValue());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> stores = (List<Map<String, Object>>) json.get("stores");
    assertEquals(
        List.of("dev", "staging"), stores.stream().map(s -> s.get("name")).toList());
    assertEquals(
        List.of(true, false), stores.stream().map(s -> s.get("is_default")).toList());
    for (Map<String, Object> s : stores) {
      assertTrue(
          s.get("info") instanceof String && s.get("fallbacks") instanceof List, s.toString());
    }
  }

  @Test
  void listStoresShowsFallbacksAndFailsOnABrokenStore() {
    p.write("metaxy.toml", """
        store = "dev"
        [stores.dev]
        type = "memory"
        [stores.dev.config]
        fallback_stores = ["prod"]
        [stores.prod]
        type = "memory"
        """);
    String out = p.ok("list", "stores").out();
    assertTrue(out.contains("│ prod") && out.contains("dev (default)"), out);
    assertTrue(
        out.matches("(?s).*dev \\(default\\) +│ InMemoryMetadataStore\\(tables=0\\) +│ prod +│.*"),
        out);
    p.write("metaxy.toml", """
        [stores.pg]
        type = "metaxy.ext.postgresql.PostgreSQLMetadataStore"
        [stores.pg.config]
        connection_string = "postgresql://u:pw@db.example/meta"
        """);
    assertTrue(p.ok("list", "stores")
        .out()
        .contains("│ PostgresMetadataStore(url=jdbc:postgresql://db.example"));
    p.write("metaxy.toml", """
        [stores.dev]
        type = "com.example.NoSuchStore"
        """);
    MxHarness.Result bad = p.run("list", "stores");
    assertEquals(1, bad.rc());
    assertTrue(
        bad.err()
            .startsWith(
                "Error: Failed to import store class 'com.example.NoSuchStore' for store 'dev'"),
        bad.toString());
    assertTrue(bad.err().contains("Config file: " + dir.resolve("metaxy.toml")), bad.toString());
    p.write("metaxy.toml", "project = \"test\"\n");
    assertEquals("No stores configured.\n", p.ok("list", "stores").out());
  }

  @Test
  void s20_historyEmpty() {
    p.emptyStore("dev");
    MxHarness.Result r = p.ok("history");
    assertEquals("No graph snapshots recorded yet\n", r.err());
    assertEquals("", r.out());
  }

  @Test
  void s21_s22_s23_pushRecordsOnceAndAgainAfterAChange() {
    MxHarness.Result first = p.ok("push");
    assertTrue(
        first.err().contains("Recorded at:")
            && first.err().contains("'table_name': 'metaxy_system__feature_versions'"),
        first.toString());
    assertTrue(first.err().contains("✓ Recorded feature graph"), first.toString());
    String v1 = first.out().strip();
    assertTrue(v1.matches("[0-9a-f]{8}"), v1);

    MxHarness.Result again = p.ok("push");
    assertTrue(again.err().contains("✓ Snapshot already recorded (no changes)"), again.toString());
    assertEquals(v1, again.out().strip());

    p.graph(feature("test", "video/files", List.of(), "default:2"));
    MxHarness.Result changed = p.ok("push");
    assertTrue(changed.err().contains("✓ Recorded feature graph"), changed.toString());
    String v2 = changed.out().strip();
    assertNotEquals(v1, v2);
    assertTrue(p.ok("push").err().contains("already recorded"));

    // Reverting to v1 records v1 again: only the latest push counts as "already pushed".
    p.graph(feature("video/files"));
    MxHarness.Result reverted = p.ok("push");
    assertEquals(v1, reverted.out().strip());
    assertTrue(reverted.err().contains("✓ Recorded feature graph"), reverted.toString());
  }

  @Test
  void s23_metadataOnlyChangeIsANewVersionAndStoreComesFromTheEnvironment() {
    String v1 = push();
    p.graph(feature("video/files")
        .replace("\"id_columns\"", "\"description\": \"Raw videos.\", \"id_columns\""));
    MxHarness.Result r = p.ok("push");
    assertTrue(r.err().contains("✓ Recorded feature graph"), r.toString());
    assertNotEquals(v1, r.out().strip());
    p.mx.env("METAXY_PUSH_STORE", "staging");
    String v3 = push();
    assertTrue(p.ok("history", "staging").err().contains(v3));
    assertTrue(p.ok("history", "staging").err().contains("Total snapshots: 1"));
  }

  @Test
  void s24_pushWithStoreAndTags() {
    String v = push("--store", "staging", "--tags.git_commit", "abc123", "-t", "branch=main");
    String tags = p.withStore("staging", s -> {
      try (VectorSchemaRoot r =
          s.read(SystemTables.FEATURE_VERSIONS, ReadOptions.DEFAULT.featureHistory())) {
        assertEquals(1, r.getRowCount());
        assertEquals(
            v, ArrowBatches.value(r.getVector("metaxy_project_version"), 0).toString());
        return ArrowBatches.value(r.getVector("tags"), 0).toString();
      }
    });
    @SuppressWarnings("unchecked")
    Map<String, Object> t = (Map<String, Object>) Json.parse(tags, "tags");
    assertEquals("abc123", t.get("git_commit"));
    assertEquals("main", t.get("branch"));
    assertTrue(t.get("metaxy").toString().contains("\"version\""), tags);
    // The default store was not touched: it does not even exist.
    assertFalse(Files.exists(dir.resolve("metadata.duckdb")));
    p.emptyStore("dev");
    assertEquals("No graph snapshots recorded yet\n", p.ok("history").err());
    assertTrue(p.ok("history", "staging").err().contains(v));

    MxHarness.Result reserved = p.run("push", "--tags.metaxy", "x");
    assertEquals(1, reserved.rc());
    assertTrue(reserved.err().contains("'metaxy' is reserved"), reserved.toString());
  }

  @Test
  void s25_pushRefusesProjectOverrides() {
    for (String[] args : List.of(
        new String[] {"--project", "other", "push"}, new String[] {"--all-projects", "push"})) {
      MxHarness.Result r = p.run(args);
      assertEquals(1, r.rc());
      assertEquals(
          "Error: This command can only be used with the project from Metaxy configuration: test.\n",
          r.err());
    }
    p.write("metaxy.toml", p.config().toToml().replace("project = \"test\"\n", ""));
    MxHarness.Result none = p.run("push");
    assertEquals(1, none.rc());
    assertEquals(
        "Error: The 'project' field must be set in metaxy.toml for 'metaxy push'.\n", none.err());
  }

  @Test
  void pushWithoutFeaturesOfTheProjectFails() {
    p.graph(feature("other", "x/y", List.of()));
    MxHarness.Result r = p.run("push");
    assertEquals(1, r.rc());
    assertEquals(
        "Error: No features of project 'test', but the feature graph has features of project(s) 'other'. Set"
            + " project in " + dir.resolve("metaxy.toml")
            + " to one of those, or use --all-projects for every project.\n",
        r.err());
  }

  @Test
  void s26_historyAfterPushes() {
    p.graph(feature("video/files"), feature("audio/files"));
    String v1 = push();
    p.graph(
        feature("video/files"), feature("audio/files"), feature("video/processing", "video/files"));
    String v2 = push();
    MxHarness.Result r = p.ok("history");
    for (String s : List.of(
        "Graph Snapshot History",
        "Project version",
        "Recorded At",
        "Feature Count",
        v1,
        v2,
        "Total snapshots: 2")) {
      assertTrue(r.err().contains(s), s + "\n" + r);
    }
    assertTrue(r.err().indexOf(v2) < r.err().indexOf(v1), "newest first\n" + r.err());
    assertTrue(
        r.err().matches("(?s).*" + v1 + " +│ \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +│ 2 +│.*"),
        r.err());
    assertTrue(r.err().matches("(?s).*" + v2 + " .*│ 3 +│.*"), r.err());
    assertEquals("", r.out());
    MxHarness.Result limited = p.ok("history", "--limit", "1");
    assertTrue(
        limited.err().contains("Total snapshots: 1") && !limited.err().contains(v1),
        limited.toString());
    assertEquals(limited.err(), p.ok("history", "dev", "1").err());
    // Another project's view is empty.
    assertEquals(
        "No graph snapshots recorded yet\n",
        p.ok("--project", "other", "history").err());
    assertTrue(p.ok("--all-projects", "history").err().contains("Total snapshots: 2"));
  }

  @Test
  void s19_describeSnapshot() {
    p.graph(feature("video/files"), feature("video/processing", "video/files"));
    String v = push();
    p.graph(feature("video/files"));
    MxHarness.Result r = p.ok("describe", "graph", "--snapshot", v);
    assertTrue(r.err().startsWith("Describing feature graph snapshot: " + v + "\n"), r.toString());
    assertTrue(r.err().contains("Graph Snapshot: " + v + " (Project: test)"), r.toString());
    // The snapshot's statistics, not the current graph's (which has one feature).
    assertTrue(r.err().matches("(?s).*Total Features +│ 2 .*Graph Depth +│ 2 .*"), r.toString());
    MxHarness.Result none = p.ok("describe", "graph", "--snapshot", "deadbeef");
    assertEquals(
        "✗ No features found for snapshot deadbeef\n  (filtered by project: test)\n", none.err());
  }

  @Test
  void graphRenderSnapshot() {
    p.graph(feature("video/files"), feature("video/processing", "video/files"));
    String v = push();
    p.graph(feature("audio/files"));
    MxHarness.Result r = p.ok("graph", "render", "--snapshot", v, "--format", "mermaid");
    assertEquals("✓ Loaded 2 features from snapshot " + v + "\n", r.err());
    assertTrue(
        r.out().contains("video_files --> video_processing") && !r.out().contains("audio"),
        r.out());
    assertTrue(r.out().contains("Snapshot version: " + v), r.out());
    MxHarness.Result missing = p.run("graph", "render", "--snapshot", "deadbeef");
    assertEquals(1, missing.rc());
    assertEquals("✗ Snapshot error: No features recorded for snapshot deadbeef\n", missing.err());
  }

  @Test
  void unknownStoreNamesTheAvailableOnes() {
    MxHarness.Result r = p.run("push", "prod");
    assertEquals(1, r.rc());
    assertTrue(
        r.err()
            .startsWith(
                "Error: Store 'prod' not found in config. Available stores: ['dev', 'staging']"),
        r.toString());
    assertTrue(
        r.err().contains("Note: METAXY_* environment variables can override config file settings"),
        r.toString());
    assertFalse(r.err().contains("Exception"), r.toString());
  }
}
