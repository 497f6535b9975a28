package io.metaxy.cli;

import static io.metaxy.cli.StoreProject.feature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mx graph-diff render} between pushed snapshots, {@code latest} and {@code current}: S36–S45 with a store. */
class StoreGraphDiffTest {
  @TempDir
  Path dir;

  StoreProject p;

  @BeforeEach
  void setUp() {
    p = new StoreProject(dir);
    p.graph(feature("video/files"));
  }

  private String push() {
    return p.ok("push").out().strip();
  }

  @Test
  void s36_s37_latestAgainstCurrent() {
    push();
    String out = p.ok("graph-diff", "render", "latest", "current").out();
    assertTrue(out.contains("merged view") && out.contains("video/files"), out);
    for (String s : List.of("+ video/files", "- video/files", "~ video/files")) {
      assertFalse(out.contains(s), out);
    }
    assertEquals(out, p.ok("graph-diff", "render", "latest").out());
    // An unpushed change shows against latest.
    p.graph(feature("video/files"), feature("audio/files"));
    assertTrue(p.ok("graph-diff", "render", "latest").out().contains("+ audio/files (added)"));
  }

  @Test
  void s38_s39_s40_s41_s43_betweenPushedVersions() throws Exception {
    String v1 = push();
    p.graph(feature("video/files"), feature("audio/files"));
    String v2 = push();
    p.graph(feature("test", "video/files", List.of(), "default:1", "size:1"));
    String v3 = push();
    String added = p.ok("graph-diff", "render", v1, v2).out();
    assertTrue(added.contains("+ audio/files (added)"), added);
    Map<String, Object> tree = ListFeaturesTest.json(
        p.ok("graph-diff", "render", v1, v2, "--format", "json").out());
    assertEquals("added", ListFeaturesTest.at(tree, "nodes", "audio/files", "status"));
    assertNull(ListFeaturesTest.at(tree, "nodes", "audio/files", "old_version"));
    assertTrue(p.ok("graph-diff", "render", v2, v1).out().contains("- audio/files (removed)"));
    String changed = p.ok("graph-diff", "render", v1, v3).out();
    assertTrue(
        changed.contains("~ video/files (changed)")
            && changed.contains("→")
            && changed.contains("+ size"),
        changed);
    String yaml = p.ok("graph-diff", "render", v1, v2, "--format", "yaml").out();
    assertTrue(
        yaml.contains("nodes:") && yaml.contains("status:") && yaml.contains("audio/files"), yaml);
    assertTrue(
        p.ok("graph-diff", "render", v1, v2, "--format", "mermaid").out().contains("stroke:"));
    p.ok("graph-diff", "render", v1, v2, "--format", "json", "--output", "diff.json");
    assertTrue(Files.readString(dir.resolve("diff.json")).contains("\"audio/files\""));
    // latest is the newest push; a graph file and a pushed version can be compared too.
    assertEquals(
        p.ok("graph-diff", "render", v3, "current").out(),
        p.ok("graph-diff", "render", "latest", "current").out());
    p.graph(feature("video/files"));
    assertEquals(v1, push());
    // After going back to v1 (a new push of an old version), latest is v1 again.
    assertFalse(p.ok("graph-diff", "render", "latest", v1).out().contains("(added)"));
    assertTrue(p.ok("graph-diff", "render", "latest", v2).out().contains("+ audio/files (added)"));
    p.write("v1.json", "{\"features\": [" + feature("video/files") + "]}");
    assertFalse(p.ok("graph-diff", "render", "v1.json", v1).out().contains("(changed)"));
    // --store reads another store.
    p.emptyStore("staging");
    MxHarness.Result other = p.run("graph-diff", "render", v1, "--store", "staging");
    assertEquals(1, other.rc());
    assertEquals(
        "Error: No features recorded for snapshot " + v1 + " in project test\n", other.err());
  }

  @Test
  void s42_focus() {
    p.graph(feature("video/files"), feature("audio/files"));
    String v1 = push();
    p.graph(
        feature("video/files"), feature("audio/files"), feature("video/processing", "video/files"));
    String v2 = push();
    String out = p.ok("graph-diff", "render", v1, v2, "--feature", "video/processing", "--up", "1")
        .out();
    assertTrue(
        out.contains("video/processing")
            && out.contains("video/files")
            && !out.contains("audio/files"),
        out);
  }

  @Test
  void s44_errors() {
    p.emptyStore("dev");
    MxHarness.Result latest = p.run("graph-diff", "render", "latest", "current");
    assertEquals(1, latest.rc());
    assertEquals(
        "Error: No snapshots found in store. Cannot resolve 'latest'. Run 'metaxy push' to record a snapshot.\n",
        latest.err());
    push();
    MxHarness.Result unknown = p.run("graph-diff", "render", "nonexistent_snapshot", "current");
    assertEquals(1, unknown.rc());
    assertEquals(
        "Error: No features recorded for snapshot nonexistent_snapshot in project test\n",
        unknown.err());
    // Another project's snapshot is not this project's.
    MxHarness.Result other =
        p.run("--project", "other", "graph-diff", "render", "latest", "current");
    assertEquals(1, other.rc());
    assertTrue(other.err().contains("No snapshots found in store"), other.toString());
  }
}
