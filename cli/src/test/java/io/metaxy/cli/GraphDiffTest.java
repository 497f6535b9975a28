package io.metaxy.cli;

import static io.metaxy.cli.ListFeaturesTest.at;
import static io.metaxy.cli.ListFeaturesTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mx graph-diff render} between graph JSON files: scenarios S36–S46 with files standing in for
 * pushed snapshots.
 */
class GraphDiffTest {
  @TempDir
  Path dir;

  MxHarness mx;

  @BeforeEach
  void setUp() {
    mx = new MxHarness(dir).env("METAXY_PROJECT", "test");
    for (String f : List.of(
        "v1.json",
        "v1_audio.json",
        "v2_code.json",
        "v2_size.json",
        "v2_processing.json",
        "za1.json",
        "za2.json",
        "overview1.json",
        "overview2.json")) {
      mx.fixture("diff/" + f);
    }
  }

  private MxHarness.Result diff(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--graph";
    all[1] = "v1.json";
    all[2] = "graph-diff";
    all[3] = "render";
    System.arraycopy(args, 0, all, 4, args.length);
    return mx.run(all);
  }

  private String ok(String... args) {
    MxHarness.Result r = diff(args);
    assertEquals(0, r.rc(), r.toString());
    return r.out();
  }

  @Test
  void s36_noChanges() {
    String out = ok("v1.json", "current");
    assertTrue(out.contains("merged view") && out.contains("video/files"), out);
    for (String s : new String[] {"+ video/files", "- video/files", "~ video/files"}) {
      assertFalse(out.contains(s), s + "\n" + out);
    }
  }

  @Test
  void s37_toDefaultsToCurrent() {
    assertEquals(ok("v1.json", "current"), ok("v1.json"));
  }

  @Test
  void s38_addedFeature() {
    String out = ok("v1.json", "v1_audio.json");
    assertTrue(out.contains("+ audio/files (added)"), out);
    Map<String, Object> tree = json(ok("v1.json", "v1_audio.json", "--format", "json"));
    assertEquals("added", at(tree, "nodes", "audio/files", "status"));
    assertNull(at(tree, "nodes", "audio/files", "old_version"));
    assertEquals("unchanged", at(tree, "nodes", "video/files", "status"));
  }

  @Test
  void s39_removedFeature() {
    String out = ok("v1_audio.json", "v1.json");
    assertTrue(out.contains("- audio/files (removed)"), out);
    Map<String, Object> tree = json(ok("v1_audio.json", "v1.json", "-f", "json"));
    assertNull(at(tree, "nodes", "audio/files", "new_version"));
  }

  @Test
  void s40_changedFeatureAndFields() {
    String out = ok("v1.json", "v2_code.json");
    assertTrue(out.contains("~ video/files (changed)"), out);
    assertTrue(out.matches("(?s).*  version: [0-9a-f]{8}\\.\\.\\. → [0-9a-f]{8}\\.\\.\\..*"), out);
    assertTrue(
        out.matches("(?s).*    ~ default \\([0-9a-f]{8}\\.\\.\\. → [0-9a-f]{8}\\.\\.\\.\\).*"),
        out);

    String size = ok("v1.json", "v2_size.json");
    assertTrue(size.contains("~ video/files (changed)") && size.contains("    + size ("), size);
    Map<String, Object> tree = json(ok("v1.json", "v2_size.json", "-f", "json"));
    List<Object> changes = at(tree, "nodes", "video/files", "field_changes");
    assertEquals(1, changes.size(), "unchanged fields are not listed: " + changes);
    assertEquals("size", at(changes, 0, "field_key"));
    assertEquals(true, at(changes, 0, "is_added"));
  }

  @Test
  void removedField() {
    Map<String, Object> tree = json(ok("v2_size.json", "v1.json", "-f", "json"));
    List<Object> changes = at(tree, "nodes", "video/files", "field_changes");
    assertEquals(1, changes.size(), changes.toString());
    assertEquals("size", at(changes, 0, "field_key"));
    assertEquals(true, at(changes, 0, "is_removed"));
    assertNull(at(changes, 0, "new_version"));
    assertTrue(ok("v2_size.json", "v1.json").contains("    - size ("));
  }

  @Test
  void s41_otherFormats() {
    String yaml = ok("v1.json", "v1_audio.json", "--format", "yaml");
    assertTrue(
        yaml.startsWith("nodes:\n")
            && yaml.contains("status: added")
            && yaml.contains("video/files:"),
        yaml);
    String mermaid = ok("v1.json", "v1_audio.json", "--format", "mermaid");
    assertTrue(
        mermaid.contains("flowchart TB")
            && mermaid.contains("video/files")
            && mermaid.contains("stroke:#00FF00"),
        mermaid);
    String cards = ok("v1.json", "v1_audio.json", "--format", "cards");
    assertTrue(
        cards.contains("video/files")
            && cards.contains("Features:")
            && cards.contains("audio/files [+]"),
        cards);
    String dot = ok("v1.json", "v1_audio.json", "--format", "graphviz");
    assertTrue(
        dot.contains("digraph")
            && dot.contains("\"audio/files\" [label=\"audio/files\\nproject: test\\nv: "),
        dot);
    assertTrue(dot.contains("[ADDED]\", shape=oval"), dot);
    assertTrue(ok("v1.json", "v1_audio.json", "--verbose").contains("video/files"));
    assertTrue(ok("v1.json", "v1_audio.json", "--minimal").contains("video/files"));
  }

  @Test
  void s42_focus() {
    String out =
        ok("v1_audio.json", "v2_processing.json", "--feature", "video/processing", "--up", "1");
    assertTrue(out.contains("video/processing") && out.contains("video/files"), out);
    assertFalse(out.contains("audio/files"), out);

    MxHarness.Result unknown = diff("v1.json", "v1_audio.json", "--feature", "no/such");
    assertEquals(1, unknown.rc());
    assertEquals("Error: Feature 'no/such' not found in graph\n", unknown.err());
  }

  @Test
  void s43_outputFile() throws IOException {
    MxHarness.Result r =
        diff("v1.json", "v1_audio.json", "--format", "json", "--output", "diff.json");
    assertEquals(0, r.rc(), r.toString());
    assertEquals("Success: Diff rendered to: diff.json\n", r.err());
    Map<String, Object> tree = json(Files.readString(dir.resolve("diff.json")));
    Map<String, Object> nodes = at(tree, "nodes");
    assertEquals(List.of("audio/files", "video/files"), List.copyOf(nodes.keySet()));
  }

  @Test
  void s44_errors() {
    MxHarness.Result unknown = diff("nonexistent_snapshot", "current");
    assertEquals(1, unknown.rc());
    assertTrue(
        unknown
            .err()
            .startsWith(
                "Error: No features recorded for snapshot nonexistent_snapshot in project test"),
        unknown.toString());

    MxHarness.Result latest = diff("latest", "current");
    assertEquals(1, latest.rc());
    assertTrue(latest.err().startsWith("Error: Cannot resolve 'latest'"), latest.toString());

    MxHarness.Result all =
        mx.run("--all-projects", "--graph", "v1.json", "graph-diff", "render", "v1.json");
    assertEquals(1, all.rc());
    assertEquals(
        "Error: This command requires a specific project. Cannot use --all-projects flag.\n",
        all.err());

    MxHarness.Result badFormat = diff("v1.json", "v1.json", "--format", "png");
    assertEquals(Mx.USAGE, badFormat.rc());

    MxHarness.Result upWithoutFeature = diff("v1.json", "v1.json", "--up", "1");
    assertEquals(1, upWithoutFeature.rc());
    assertEquals(
        "Error: --up and --down require --feature to be specified\n", upWithoutFeature.err());
  }

  @Test
  void emptyCurrentGraphCannotBeResolved() throws IOException {
    Files.writeString(dir.resolve("none.json"), "{\"features\": []}");
    MxHarness.Result r = mx.run("--graph", "none.json", "graph-diff", "render", "v1.json");
    assertEquals(1, r.rc());
    assertTrue(r.err().contains("Cannot resolve 'current': active graph is empty."), r.toString());
  }

  @Test
  void s45_deterministicOrdering() {
    String first = ok("za1.json", "za2.json");
    assertEquals(first, ok("za1.json", "za2.json"));
    assertTrue(first.indexOf("apple/core") < first.indexOf("zebra/stripes"), first);
    String json = ok("za1.json", "za2.json", "-f", "json");
    assertTrue(json.indexOf("apple/core") < json.indexOf("zebra/stripes"), json);
  }

  /**
   * The overview example with audio code_version 1 → 2. Unlike the reference (definition version only),
   * a feature whose version changed through its upstream is "changed": video, crop and stt; face
   * detection only reads crop's frames, so it is unchanged.
   */
  @Test
  void s46_overviewRealDataDiff() {
    mx.env("METAXY_PROJECT", "example_overview");
    Map<String, Object> tree = json(ok("overview1.json", "overview2.json", "--format", "json"));
    assertEquals("changed", at(tree, "nodes", "example/video", "status"));
    assertEquals("changed", at(tree, "nodes", "example/crop", "status"));
    assertEquals("changed", at(tree, "nodes", "example/stt", "status"));
    assertEquals("unchanged", at(tree, "nodes", "example/face_detection", "status"));
    assertEquals(
        (Object) at(tree, "nodes", "example/face_detection", "old_version"),
        at(tree, "nodes", "example/face_detection", "new_version"));
    // The fixture reproduces the reference's recorded example, so its versions are the recorded
    // ones.
    assertEquals("c2ac395f", at(tree, "nodes", "example/video", "old_version"));
    assertEquals("2faffb98", at(tree, "nodes", "example/video", "new_version"));
    assertEquals("34d75856", at(tree, "nodes", "example/crop", "old_version"));
    assertEquals("fe237dc9", at(tree, "nodes", "example/crop", "new_version"));
    assertEquals("d953dea4", at(tree, "nodes", "example/stt", "old_version"));
    assertEquals("e57e7555", at(tree, "nodes", "example/stt", "new_version"));
    assertEquals("f1526ee0", at(tree, "nodes", "example/face_detection", "new_version"));
    List<Object> videoChanges = at(tree, "nodes", "example/video", "field_changes");
    assertEquals("22742381", at(videoChanges, 0, "old_version"));
    assertEquals("09c8398b", at(videoChanges, 0, "new_version"));
    assertEquals(1, videoChanges.size());
    assertEquals("audio", at(videoChanges, 0, "field_key"));
    assertEquals(true, at(videoChanges, 0, "is_changed"));
    assertEquals(
        List.of(
            Map.of("from", "example/video", "to", "example/crop"),
            Map.of("from", "example/crop", "to", "example/face_detection"),
            Map.of("from", "example/video", "to", "example/stt")),
        tree.get("edges"));
  }

  @Test
  void goldens() {
    mx.env("METAXY_PROJECT", "example_overview");
    MxHarness.assertGolden("diff/overview_terminal.txt", ok("overview1.json", "overview2.json"));
    MxHarness.assertGolden(
        "diff/overview.json", ok("overview1.json", "overview2.json", "-f", "json"));
    MxHarness.assertGolden(
        "diff/overview.yaml", ok("overview1.json", "overview2.json", "-f", "yaml"));
    MxHarness.assertGolden(
        "diff/overview_mermaid.txt", ok("overview1.json", "overview2.json", "-f", "mermaid"));
    MxHarness.assertGolden(
        "diff/overview_graphviz.dot", ok("overview1.json", "overview2.json", "-f", "graphviz"));
    MxHarness.assertGolden(
        "diff/overview_cards.txt", ok("overview1.json", "overview2.json", "-f", "cards"));
    mx.env("METAXY_PROJECT", "test");
    MxHarness.assertGolden("diff/added_removed_terminal.txt", ok("v1_audio.json", "v2_size.json"));
  }
}
