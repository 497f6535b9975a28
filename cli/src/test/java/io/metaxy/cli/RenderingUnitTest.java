package io.metaxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaxy.cli.GraphData.Node;
import io.metaxy.cli.GraphData.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text building blocks: ordering, ids, escaping, JSON, YAML and tables. */
class RenderingUnitTest {
  private static Node node(String key, String... deps) {
    return new Node(key, "v", null, List.of(), List.of(deps), Status.NORMAL, "p");
  }

  @Test
  void topologicalOrderBreaksTiesCaseInsensitivelyAndKeepsCyclesLast() {
    List<Node> nodes = List.of(
        node("b/x", "a/z"), node("B/y"), node("a/z"), node("c/1", "c/2"), node("c/2", "c/1"));
    assertEquals(
        List.of("a/z", "b/x", "B/y", "c/1", "c/2"),
        GraphData.topological(nodes).stream().map(Node::key).toList());
    List<Node> shuffled = List.of(
        node("c/2", "c/1"), node("a/z"), node("B/y"), node("c/1", "c/2"), node("b/x", "a/z"));
    assertEquals(GraphData.topological(nodes), GraphData.topological(shuffled));
  }

  @Test
  void focusLevels() {
    GraphData data = new GraphData(
        GraphData.topological(
            List.of(node("a"), node("b", "a"), node("c", "b"), node("d", "c"), node("x"))),
        null,
        null);
    assertEquals(List.of("b", "c", "d"), keys(data.filter(null, "c", 1, null)));
    assertEquals(List.of("a", "b", "c"), keys(data.filter(null, "c", null, 0)));
    assertEquals(List.of("c"), keys(data.filter(null, "c", 0, 0)));
    assertEquals(List.of("a", "b", "c", "d"), keys(data.filter(null, "b", null, null)));
  }

  private static List<String> keys(GraphData data) {
    return data.nodes().stream().map(Node::key).toList();
  }

  @Test
  void mermaidIdsAreSafeAndUnique() {
    Map<String, String> ids = MermaidRenderer.ids(
        List.of(node("a/b"), node("a-b"), node("a_b"), node("end"), node("Video/Raw__x")), true);
    assertEquals(
        List.of("a_b", "a_b_2", "a_b_3", "end_", "video_raw_x"), List.copyOf(ids.values()));
    assertEquals(
        "Video_Raw_x",
        MermaidRenderer.ids(List.of(node("Video/Raw__x")), false).get("Video/Raw__x"));
  }

  @Test
  void mermaidLabelEscapes() {
    assertEquals(
        "a #quot;b#quot; #lt;c#gt; #amp; #35;1", MermaidRenderer.escape("a \"b\" <c> & #1"));
  }

  @Test
  void dotQuoting() {
    assertEquals("\"a\\\"b\\\\c\\nd\"", GraphvizRenderer.quote("a\"b\\c\nd"));
  }

  @Test
  void jsonLikePython() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", List.of(1, true));
    m.put("a", null);
    m.put("é", "x\"\n");
    m.put("e", Map.of());
    assertEquals(
        "{\"z\":[1,true],\"a\":null,\"\\u00e9\":\"x\\\"\\n\",\"e\":{}}", JsonText.compact(m));
    assertEquals(
        "{\n  \"z\": [\n    1,\n    true\n  ],\n  \"a\": null,\n  \"\\u00e9\": \"x\\\"\\n\",\n  \"e\": {}\n}",
        JsonText.pretty(m));
  }

  @Test
  void yamlQuotesWhatWouldNotStayAString() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hash", "12345678");
    m.put("word", "abcdef12");
    m.put("bool", "yes");
    m.put("null", null);
    m.put("list", List.of(Map.of("k", "v"), "x: y"));
    m.put("empty", List.of());
    assertEquals(
        "hash: \"12345678\"\nword: abcdef12\nbool: \"yes\"\n\"null\": null\nlist:\n  - k: v\n  - \"x: y\"\nempty: []\n",
        YamlText.write(m));
  }

  @Test
  void tableWidthsCountCodePoints() {
    List<String> lines = new Table("t", "A", "B").row("→x", "1").lines();
    assertEquals("┃ A  ┃ B ┃", lines.get(2));
    assertEquals("│ →x │ 1 │", lines.get(4));
    assertThrows(IllegalArgumentException.class, () -> new Table(null, "A").row("1", "2"));
  }

  @Test
  void envDefaultVariableNames() {
    assertEquals(
        "METAXY_GRAPH_RENDER_SHOW_FIELDS",
        EnvDefaults.variable("mx graph render", "--show-fields"));
    assertEquals(
        "METAXY_GRAPH_DIFF_RENDER_FORMAT",
        EnvDefaults.variable("mx graph-diff render", "--format"));
  }
}
