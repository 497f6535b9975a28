package io.metaxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mx list features}: scenarios S06–S11. */
class ListFeaturesTest {
  @TempDir
  Path dir;

  MxHarness mx;

  @BeforeEach
  void setUp() {
    mx = new MxHarness(dir).env("METAXY_PROJECT", "test");
    mx.fixture("f1.json");
    mx.fixture("f2.json");
    mx.fixture("f2_auto.json");
    mx.fixture("external.json");
    mx.fixture("empty.json");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String text) {
    return (Map<String, Object>) Json.parse(text, "stdout");
  }

  @SuppressWarnings("unchecked")
  static <T> T at(Object tree, Object... path) {
    Object o = tree;
    for (Object p : path) {
      o = p instanceof Integer i ? ((List<Object>) o).get(i) : ((Map<String, Object>) o).get(p);
    }
    return (T) o;
  }

  @Test
  void s06_plainTable() {
    MxHarness.Result r = mx.ok("--graph", "f1.json", "list", "features");
    for (String s : new String[] {
      "test",
      "Feature",
      "Version",
      "Source",
      "video/files",
      "com.example.VideoFiles",
      "Total: 1 feature(s) (1 root, 0 dependent)"
    }) {
      assertTrue(r.out().contains(s), s + "\n" + r);
    }
    assertEquals("", r.err());
  }

  @Test
  void s07_json() {
    Map<String, Object> tree =
        json(mx.ok("--graph", "f1.json", "list", "features", "-f", "json").out());
    assertEquals(1, tree.get("feature_count"));
    Map<String, Object> f = at(tree, "features", 0);
    assertEquals("video/files", f.get("key"));
    assertEquals(true, f.get("is_root"));
    assertEquals(false, f.get("is_external"));
    assertEquals("test", f.get("project"));
    assertEquals(1, f.get("field_count"));
    assertEquals("com.example.VideoFiles", f.get("source"));
    assertTrue(((String) f.get("version")).matches("[0-9a-f]{8}"), f.toString());
    Map<String, Object> field = at(f, "fields", 0);
    assertEquals(List.of("key", "code_version", "version"), List.copyOf(field.keySet()));
    assertEquals("default", field.get("key"));
    assertEquals("1", field.get("code_version"));
    assertTrue(((String) field.get("version")).matches("[0-9a-f]{8}"));
    assertFalse(f.containsKey("deps"), "deps only with --verbose");
  }

  @Test
  void s08_verbosePlain() {
    MxHarness.Result r = mx.ok("--graph", "f2.json", "list", "features", "-v");
    for (String s : new String[] {
      "Dependencies",
      "video/processing (test) com.example.VideoProcessing",
      "Code Version",
      "video/files.path",
      "(1 root, 1 dependent)"
    }) {
      assertTrue(r.out().contains(s), s + "\n" + r);
    }
  }

  @Test
  void s09_verboseJsonHasResolvedFieldDeps() {
    Map<String, Object> tree =
        json(mx.ok("--graph", "f2.json", "list", "features", "--verbose", "--format", "json")
            .out());
    Map<String, Object> processing = at(tree, "features", 1);
    assertEquals("video/processing", processing.get("key"));
    assertEquals(List.of("video/files"), processing.get("deps"));
    assertEquals(
        List.of(Map.of("feature", "video/files", "fields", List.of("path"))),
        at(processing, "fields", 0, "deps"));
  }

  @Test
  void s09_autoMappedFieldListsEveryMatchedUpstreamField() {
    Map<String, Object> tree =
        json(mx.ok("--graph", "f2_auto.json", "list", "features", "--verbose", "--format", "json")
            .out());
    assertEquals(
        List.of(Map.of("feature", "video/files", "fields", List.of("path", "size"))),
        at(tree, "features", 1, "fields", 0, "deps"));
  }

  @Test
  void s10_emptyProject() {
    assertEquals(
        "No features found in the current project.\n",
        mx.ok("--graph", "empty.json", "list", "features").out());
    String out =
        mx.ok("--graph", "empty.json", "list", "features", "--format", "json").out();
    assertEquals("{\n  \"feature_count\": 0,\n  \"features\": []\n}\n", out);
    assertEquals(Map.of("feature_count", 0, "features", List.of()), json(out));
  }

  @Test
  void s11_externalFeatureIsCounted() {
    MxHarness.Result r = mx.ok("--graph", "external.json", "list", "features");
    assertTrue(r.out().contains("local/feature"), r.toString());
    assertTrue(r.out().contains("external/feature"), r.toString());
    assertTrue(
        r.out().contains("Total: 2 feature(s) (1 root, 0 dependent, 1 external)"), r.toString());
    assertFalse(r.out().contains("other/thing"), "other project is filtered out\n" + r);

    Map<String, Object> tree =
        json(mx.ok("--graph", "external.json", "list", "features", "-f", "json").out());
    Map<String, Object> external = at(tree, "features", 0);
    assertEquals("external/feature", external.get("key"));
    assertEquals(true, external.get("is_external"));
    assertEquals("external.json", external.get("source"));
  }

  @Test
  void projectFlagsChooseTheScope() {
    MxHarness.Result other =
        mx.ok("--project", "other", "--graph", "external.json", "list", "features");
    assertTrue(other.out().contains("other/thing"), other.toString());
    assertFalse(other.out().contains("local/feature"), other.toString());

    MxHarness.Result all = mx.ok("--all-projects", "--graph", "external.json", "list", "features");
    assertTrue(
        all.out().contains("other/thing") && all.out().contains("local/feature"), all.toString());
    // One table per project, titled by the project.
    assertTrue(all.out().indexOf("other") < all.out().indexOf("test"), all.toString());
  }

  @Test
  void hiddenAliasWorks() {
    assertTrue(mx.ok("--graph", "f1.json", "list", "feature").out().contains("video/files"));
    assertFalse(mx.ok("list", "--help").out().contains("feature,"), "alias is hidden");
  }
}
