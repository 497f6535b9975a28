package io.metaxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mx graph render}: scenarios S27–S35, golden renders of every format, and the display options. */
class GraphRenderTest {
  @TempDir
  Path dir;

  MxHarness mx;

  @BeforeEach
  void setUp() {
    mx = new MxHarness(dir).env("METAXY_PROJECT", "test");
    for (String f : List.of(
        "f1.json", "f2.json", "f3.json", "external.json", "empty.json", "diff/overview1.json")) {
      mx.fixture(f);
    }
  }

  /** Renders a fixture; the overview example is rendered for its own project. */
  private String render(String graph, String... args) {
    List<String> all = new ArrayList<>();
    if (graph.startsWith("overview")) {
      all.addAll(List.of("--project", "example_overview"));
    }
    all.addAll(List.of("--graph", graph, "graph", "render"));
    all.addAll(List.of(args));
    MxHarness.Result r = mx.ok(all.toArray(String[]::new));
    assertEquals("", r.err(), r.toString());
    return r.out();
  }

  @Test
  void s27_terminalTree() {
    String out = render("f2.json", "--format", "terminal");
    for (String s : new String[] {
      "Graph", "video/files", "video/processing", "fields", "frames", "⬅️  depends on"
    }) {
      assertTrue(out.contains(s), s + "\n" + out);
    }
    MxHarness.assertGolden("render/f3_terminal.txt", render("f3.json"));
  }

  @Test
  void s28_cards() {
    String out = render("f2.json", "--type", "cards");
    for (String s :
        new String[] {"Graph", "Features:", "video/files → video/processing", "│ video/processing"
        }) {
      assertTrue(out.contains(s), s + "\n" + out);
    }
    MxHarness.assertGolden("render/f2_cards.txt", out);
    MxHarness.assertGolden(
        "render/overview_cards_verbose.txt", render("overview1.json", "-t", "cards", "--verbose"));
  }

  @Test
  void s29_mermaid() {
    String out = render("f1.json", "--format", "mermaid");
    assertTrue(
        out.startsWith("---\ntitle: Feature Graph\n---\nflowchart TB\n    %% Snapshot version: "),
        out);
    assertTrue(out.contains("<b>video/files</b>"), out);
    String overview = render("overview1.json", "-f", "mermaid");
    for (String edge : new String[] {
      "example_video --> example_crop",
      "example_crop --> example_face_detection",
      "example_video --> example_stt"
    }) {
      assertTrue(overview.contains("    " + edge + "\n"), edge + "\n" + overview);
    }
    MxHarness.assertGolden("render/overview_mermaid.txt", overview);
  }

  @Test
  void mermaidHasNoDoubleQuotesInsideLabelsAndNoSlashInIds() {
    String out =
        render("overview1.json", "-f", "mermaid", "--verbose", "--title", "A \"quoted\": title");
    assertTrue(out.startsWith("---\ntitle: \"A \\\"quoted\\\": title\"\n---\n"), out);
    for (String line : out.lines().toList()) {
      int open = line.indexOf("[\"");
      if (open >= 0) {
        String id = line.substring(0, open).strip();
        assertTrue(id.matches("[a-z0-9_]+"), line);
        String label = line.substring(open + 2, line.lastIndexOf("\"]"));
        assertFalse(label.contains("\""), line);
      }
    }
    assertTrue(out.contains("cv: 1"), out);
  }

  @Test
  void s30_graphvizExact() {
    String out = render("f3.json", "--format", "graphviz");
    List<String> lines = out.lines().toList();
    assertEquals("strict digraph {", lines.get(0));
    assertEquals("    rankdir=TB;", lines.get(1));
    assertTrue(
        lines.get(2).matches("    label=\"Graph \\(snapshot: [0-9a-f]{8}\\)\";"), lines.get(2));
    assertEquals(
        List.of("    labelloc=t;", "    fontsize=14;", "    fontname=helvetica;"),
        lines.subList(3, 6));
    assertTrue(out.contains("    \"examples/parent\" -> \"examples/child\";\n"), out);
    assertTrue(
        out.contains("    \"examples/parent\" -> \"examples/parent::embeddings\" [style=dashed"),
        out);
    assertTrue(
        out.contains("    \"examples/child\" -> \"examples/child::predictions\" [style=dashed"),
        out);
    assertTrue(
        out.contains("\"examples/parent\" [label=\"examples/parent\\nproject: test\\nv: "), out);
    assertTrue(out.contains("shape=doubleoctagon"), out);
    MxHarness.assertGolden("render/f3_graphviz.dot", out);
    MxHarness.assertGolden(
        "render/overview_graphviz_lr.dot",
        render("overview1.json", "-f", "graphviz", "--direction", "LR"));
  }

  @Test
  void graphvizIsValidDot() throws Exception {
    Assumptions.assumeTrue(hasDot(), "graphviz 'dot' is not installed");
    for (String graph : List.of("f3.json", "overview1.json")) {
      String text = render(graph, "-f", "graphviz", "--verbose");
      Path in = dir.resolve(graph + ".dot");
      Files.writeString(in, text);
      Path png = dir.resolve(graph + ".png");
      Process p = new ProcessBuilder("dot", "-Tpng", in.toString(), "-o", png.toString())
          .redirectErrorStream(true)
          .start();
      String log = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.waitFor(), log);
      assertEquals("", log.strip(), "dot warnings");
      assertTrue(Files.size(png) > 1000, "png written");
    }
  }

  private static boolean hasDot() {
    try {
      return new ProcessBuilder("dot", "-V").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** The order of definitions in the graph file does not leak into any output. */
  @Test
  void outputDoesNotDependOnInputOrder() throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> tree =
        (Map<String, Object>) Json.parse(Files.readString(dir.resolve("overview1.json")), "x");
    List<Object> reversed = new ArrayList<>((List<?>) tree.get("features"));
    Collections.reverse(reversed);
    Files.writeString(
        dir.resolve("overview1_reversed.json"), JsonText.pretty(Map.of("features", reversed)));
    for (String format : List.of("terminal", "mermaid", "graphviz")) {
      assertEquals(
          render("overview1.json", "-f", format),
          render("overview1_reversed.json", "-f", format),
          format);
    }
    assertEquals(
        render("overview1.json", "-t", "cards"), render("overview1_reversed.json", "-t", "cards"));
  }

  @Test
  void s31_presets() {
    String minimal = render("f1.json", "--minimal");
    assertFalse(minimal.contains("v:"), minimal);
    assertFalse(minimal.contains("snapshot"), minimal);
    assertTrue(minimal.contains("default"), "fields stay\n" + minimal);
    String verbose = render("f1.json", "--verbose");
    assertTrue(verbose.contains("v:") && verbose.contains("cv: 1"), verbose);
  }

  @Test
  void s32_displayToggles() {
    String out = render("f1.json", "--no-show-fields", "--no-show-project-version");
    assertTrue(out.contains("video/files"), out);
    assertFalse(out.contains("🔧 fields"), out);
    assertTrue(out.startsWith("📊 Graph\n"), out);

    String noVersions = render(
        "f1.json", "--no-show-feature-versions", "--no-show-field-versions", "--no-show-projects");
    assertTrue(
        noVersions.contains("├── video/files\n") || noVersions.contains("└── video/files\n"),
        noVersions);
    assertTrue(noVersions.contains("└── default\n"), noVersions);

    String full = render("f1.json", "--hash-length", "0", "--show-code-versions");
    assertTrue(full.contains("(cv: 1)"), full);
    String shortHashes = render("f1.json", "--hash-length", "4", "--no-show-project-version");
    assertTrue(shortHashes.matches("(?s).*\\(v: [0-9a-f]{4}\\).*"), shortHashes);
    assertFalse(shortHashes.matches("(?s).*\\(v: [0-9a-f]{5,}\\).*"), shortHashes);
  }

  @Test
  void s33_focus() {
    String out = render("f2.json", "--feature", "video/processing", "--up", "1");
    assertTrue(out.contains("video/files") && out.contains("video/processing"), out);

    String none = render(
        "overview1.json", "--feature", "example/crop", "--up", "0", "--down", "0", "-f", "mermaid");
    assertTrue(
        none.contains("example_crop[")
            && !none.contains("example_video[")
            && !none.contains("example_stt["),
        none);

    String underscored =
        render("overview1.json", "--feature", "example__crop", "--down", "1", "-f", "mermaid");
    assertTrue(
        underscored.contains("example_face_detection[") && underscored.contains("example_video["),
        underscored);
    assertFalse(underscored.contains("example_stt["), underscored);
  }

  @Test
  void s34_outputFile() throws IOException {
    MxHarness.Result r = mx.ok(
        "--graph", "f1.json", "graph", "render", "--format", "mermaid", "--output", "graph.mmd");
    assertEquals("", r.out());
    assertEquals("✓ Rendered graph saved to: graph.mmd\n", r.err());
    String file = Files.readString(dir.resolve("graph.mmd"));
    assertTrue(file.contains("flowchart") && file.contains("video/files"), file);
  }

  @Test
  void s35_argumentErrors() {
    expectError("Error: --up and --down require --feature to be specified", "--up", "1");
    expectError(
        "Error: Invalid format 'png'. Must be one of: terminal, mermaid, graphviz",
        "--format",
        "png");
    expectError(
        "Error: --type can only be used with --format terminal",
        "--format",
        "mermaid",
        "--type",
        "cards");
    expectError("Error: Cannot specify both --minimal and --verbose", "--minimal", "--verbose");
    expectError("Error: Invalid direction 'XY'. Must be TB or LR.", "--direction", "XY");
    expectError(
        "Error: Feature 'no/such' not found in graph\nAvailable features:\n  • video/files",
        "--feature",
        "no/such");
  }

  private void expectError(String message, String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--graph";
    all[1] = "f1.json";
    all[2] = "graph";
    all[3] = "render";
    System.arraycopy(args, 0, all, 4, args.length);
    MxHarness.Result r = mx.run(all);
    assertEquals(1, r.rc(), r.toString());
    assertEquals(message + "\n", r.err());
    assertEquals("", r.out());
  }

  @Test
  void emptyGraphWarnsAndWritesAnEmptyFile() throws IOException {
    MxHarness.Result r = mx.ok("--graph", "empty.json", "graph", "render", "-o", "out.txt");
    assertEquals("Warning: Graph is empty (no features found)\n", r.err());
    assertEquals("", Files.readString(dir.resolve("out.txt")));
  }

  @Test
  void projectFilterKeepsDirectUpstreamOfOtherProjects() throws IOException {
    Files.writeString(
        dir.resolve("cross.json"),
        "{\"features\": ["
            + "{\"project\": \"a\", \"spec\": {\"key\": \"a/root\", \"id_columns\": [\"id\"]}},"
            + "{\"project\": \"a\", \"spec\": {\"key\": \"a/mid\", \"id_columns\": [\"id\"], \"deps\": [\"a/root\"]}},"
            + "{\"project\": \"b\", \"spec\": {\"key\": \"b/leaf\", \"id_columns\": [\"id\"], \"deps\": [\"a/mid\"]}}]}");
    String out = mx.ok(
            "--project", "b", "--graph", "cross.json", "graph", "render", "-f", "mermaid")
        .out();
    assertTrue(out.contains("b_leaf[") && out.contains("a_mid["), out);
    assertFalse(out.contains("a_root["), out);
    assertTrue(out.contains("a_mid --> b_leaf"), out);
  }

  @Test
  void snapshotNeedsAStore() {
    MxHarness.Result r = mx.run("--graph", "f1.json", "graph", "render", "--snapshot", "abc");
    assertEquals(1, r.rc());
    assertTrue(r.err().startsWith("Error: No Metaxy stores available."), r.toString());
  }
}
