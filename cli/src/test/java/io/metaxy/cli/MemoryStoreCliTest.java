package io.metaxy.cli;

import static io.metaxy.cli.StoreProject.feature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-memory store through the CLI. Its data lives for one run, so each scenario is one command:
 * the store is built from {@code type = "memory"}, and a memory store can sit in front of a DuckDB
 * fallback.
 */
class MemoryStoreCliTest {
  @TempDir
  Path dir;

  StoreProject p;

  @BeforeEach
  void setUp() {
    p = new StoreProject(dir);
    p.graph(feature("video/files_root"), feature("video/files", "video/files_root"));
    p.write("metaxy.toml", """
        project = "test"
        store = "mem"
        auto_create_tables = true
        [stores.mem]
        type = "memory"
        [stores.mem.config]
        fallback_stores = ["disk"]
        [stores.disk]
        type = "duckdb"
        [stores.disk.config]
        database = "disk.duckdb"
        [graph]
        classpath = ["classes"]
        """);
  }

  @Test
  void memoryStoreIsListedAndStartsEmptyEachRun() {
    String out = p.ok("list", "stores").out();
    assertTrue(
        out.matches("(?s).*│ mem \\(default\\) │ InMemoryMetadataStore\\(tables=0\\) +│ disk +│.*"),
        out);
    String v = p.ok("push").out().strip();
    assertTrue(v.matches("[0-9a-f]{8}"), v);
    // A new run has a new, empty memory store.
    assertEquals("No graph snapshots recorded yet\n", p.ok("history").err());
  }

  @Test
  void statusReadsUpstreamThroughTheDuckDbFallback() {
    p.writeRoot("disk", "video/files_root", 1, 2, 3);
    String out = p.ok("metadata", "status", "video/files", "video/files_root").out();
    assertTrue(out.matches("(?s).*│ ✗ +│ video/files +│ 0 +│ 3 +│ 0 +│ 0 +│.*"), out);
    // The root feature is served by the fallback store.
    assertTrue(
        out.matches("(?s).*│ ○ +│ video/files_root +│ 3 +│ - +│ - +│ - +│ store: disk .*"), out);
    String noFallback = p.ok("metadata", "status", "video/files_root", "--no-allow-fallback-stores")
        .out();
    assertTrue(noFallback.matches("(?s).*│ ✗ +│ video/files_root +│ 0 +│.*"), noFallback);
  }

  @Test
  void copyIntoTheMemoryStore() {
    p.writeRoot("disk", "video/files_root", 1, 2, 3);
    assertEquals(
        "✓ Copy complete: 1 feature(s), 3 row(s) copied\n",
        p.ok("metadata", "copy", "video/files_root", "--from", "disk", "--to", "mem")
            .out());
  }
}
