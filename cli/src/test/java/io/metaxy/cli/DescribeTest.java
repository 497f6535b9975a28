package io.metaxy.cli;

import static io.metaxy.cli.ListFeaturesTest.at;
import static io.metaxy.cli.ListFeaturesTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mx describe features} and {@code mx describe graph}: scenarios S13–S18 and the selector errors. */
class DescribeTest {
  @TempDir
  Path dir;

  MxHarness mx;

  @BeforeEach
  void setUp() {
    mx = new MxHarness(dir).env("METAXY_PROJECT", "test");
    mx.fixture("described.json");
    mx.fixture("f1.json");
    mx.fixture("f2.json");
    mx.fixture("external.json");
  }

  @Test
  void s13_onePlain() {
    MxHarness.Result r =
        mx.ok("--graph", "described.json", "describe", "feature", "test/my_feature");
    String out = r.out();
    assertTrue(out.startsWith("test/my_feature ("), out);
    assertTrue(out.lines().findFirst().orElseThrow().endsWith(") test"), out);
    for (String s : new String[] {
      "Source: com.example.MyFeature",
      "  A test feature for validation",
      "ID columns: sample_uid",
      "Fields:",
      "  default (",
      "Dependencies:\n  none (root feature)"
    }) {
      assertTrue(out.contains(s), s + "\n" + out);
    }
  }

  @Test
  void s14_oneJsonIsNotWrapped() {
    Map<String, Object> f = json(mx.ok(
            "--graph",
            "described.json",
            "describe",
            "feature",
            "test/json_feature",
            "--format",
            "json")
        .out());
    assertEquals("test/json_feature", f.get("key"));
    assertEquals("JSON test description.", f.get("description"));
    assertEquals("test", f.get("project"));
    assertTrue(((String) f.get("source")).contains("JsonFeature"));
    assertEquals(List.of("sample_uid"), f.get("id_columns"));
    Map<String, Object> field = at(f, "fields", 0);
    assertEquals("field1", field.get("key"));
    assertEquals("v1", field.get("code_version"));
    assertEquals(List.of(), f.get("dependencies"));
    assertFalse(f.containsKey("metadata"), "metadata only when non-empty");
  }

  @Test
  void s15_severalAreWrappedAndDependenciesCarryTheirOptions() {
    Map<String, Object> tree = json(mx.ok(
            "--graph",
            "described.json",
            "describe",
            "features",
            "test/feature1",
            "test/feature2",
            "-f",
            "json")
        .out());
    List<Object> features = at(tree, "features");
    assertEquals(2, features.size());
    assertEquals("test/feature1", at(features, 0, "key"));

    Map<String, Object> down = json(
        mx.ok("--graph", "described.json", "describe", "features", "test/downstream", "-f", "json")
            .out());
    assertEquals(
        Map.of(
            "feature",
            "test/upstream",
            "select",
            List.of("a", "b"),
            "rename",
            Map.of("x", "y"),
            "optional",
            true),
        at(down, "dependencies", 0));

    String plain = mx.ok(
            "--graph", "described.json", "describe", "features", "test/downstream", "test/upstream")
        .out();
    assertTrue(plain.contains("  test/upstream | select: a, b | optional | rename: x → y"), plain);
    assertTrue(plain.contains("\n\n" + "─".repeat(60) + "\n\n"), plain);
  }

  @Test
  void s16_unknownFeatureIsAStructuredError() {
    MxHarness.Result r = mx.run(
        "--graph", "f1.json", "describe", "feature", "nonexistent/feature", "--format", "json");
    assertEquals(1, r.rc());
    assertEquals(
        "{\"error\":\"FEATURES_NOT_FOUND\",\"message\":\"Feature(s) not found in graph\",\"features\":[\"nonexistent/feature\"]}\n",
        r.out());

    MxHarness.Result plain =
        mx.run("--graph", "f1.json", "describe", "feature", "nonexistent/feature");
    assertEquals(1, plain.rc());
    assertEquals("Error: Feature(s) not found in graph\n", plain.out());
  }

  @Test
  void s17_descriptionAndMetadata() {
    Map<String, Object> f = json(
        mx.ok("--graph", "described.json", "describe", "feature", "test/documented", "-f", "json")
            .out());
    assertEquals("This is extracted from the docstring.", f.get("description"));
    assertEquals(Map.of("owner", "team-ml", "priority", "high"), f.get("metadata"));
    String plain = mx.ok("--graph", "described.json", "describe", "feature", "test/documented")
        .out();
    assertTrue(plain.contains("Metadata:\n  owner: team-ml\n  priority: high\n"), plain);
  }

  @Test
  void fieldLineageInPlainAndJson() {
    String plain =
        mx.ok("--graph", "f2.json", "describe", "features", "video/processing").out();
    assertTrue(plain.matches("(?s).*  frames \\([0-9a-f]{8}\\) ← video/files\n.*"), plain);
    Map<String, Object> f =
        json(mx.ok("--graph", "f2.json", "describe", "features", "video/processing", "-f", "json")
            .out());
    assertEquals(
        List.of(Map.of("feature", "video/files", "fields", List.of("path"))),
        at(f, "fields", 0, "deps"));
  }

  @Test
  void externalFeatureIsMarked() {
    String plain = mx.ok("--graph", "external.json", "describe", "features", "external/feature")
        .out();
    assertTrue(plain.startsWith("external/feature (external) ("), plain);
  }

  @Test
  void selectorErrors() {
    MxHarness.Result none =
        mx.run("--graph", "f1.json", "describe", "features", "--format", "json");
    assertEquals(1, none.rc());
    Map<String, Object> e = json(none.out());
    assertEquals("MISSING_REQUIRED_FLAG", e.get("error"));
    assertEquals(List.of("--all-features", "<features>"), e.get("required_flags"));

    MxHarness.Result both = mx.run(
        "--graph",
        "f1.json",
        "describe",
        "features",
        "video/files",
        "--all-features",
        "-f",
        "json");
    assertEquals(1, both.rc());
    assertEquals("CONFLICTING_FLAGS", json(both.out()).get("error"));

    MxHarness.Result invalid =
        mx.run("--graph", "f1.json", "describe", "features", "Video/Files", "-f", "json");
    assertEquals(1, invalid.rc());
    Map<String, Object> ie = json(invalid.out());
    assertEquals("INVALID_FEATURE_KEY", ie.get("error"));
    assertEquals("Video/Files", ie.get("key"));
    assertTrue(
        ((String) ie.get("message")).startsWith("Invalid feature key 'Video/Files': "),
        ie.toString());

    MxHarness.Result plain = mx.run("--graph", "f1.json", "describe", "features");
    assertEquals(1, plain.rc());
    assertTrue(
        plain
            .out()
            .startsWith("Error: Must specify either --all-features or feature arguments\nHint: "),
        plain.toString());
  }

  @Test
  void allFeaturesSelectsTheCurrentProject() {
    Map<String, Object> tree = json(
        mx.ok("--graph", "external.json", "describe", "features", "--all-features", "-f", "json")
            .out());
    List<Object> features = at(tree, "features");
    assertEquals(2, features.size(), tree.toString());
    Map<String, Object> all = json(mx.ok(
            "--all-projects",
            "--graph",
            "external.json",
            "describe",
            "features",
            "--all-features",
            "-f",
            "json")
        .out());
    assertEquals(3, ((List<?>) all.get("features")).size());
    Map<String, Object> one = json(mx.ok(
            "--project",
            "other",
            "--graph",
            "external.json",
            "describe",
            "features",
            "--all-features",
            "-f",
            "json")
        .out());
    assertEquals(1, ((List<?>) one.get("features")).size(), "--all-features always wraps");
    MxHarness.Result nobody = mx.run(
        "--project",
        "nobody",
        "--graph",
        "external.json",
        "describe",
        "features",
        "--all-features");
    assertEquals(1, nobody.rc(), nobody.toString());
    assertTrue(
        nobody
            .err()
            .startsWith(
                "Error: No features of project 'nobody', but the feature graph has features of"
                    + " project(s) 'other', 'test'."),
        nobody.toString());
  }

  @Test
  void s18_describeGraphGoesToStderr() {
    MxHarness.Result r = mx.ok("--graph", "f2.json", "describe", "graph");
    assertEquals("", r.out());
    String err = r.err();
    assertTrue(err.startsWith("Describing current feature graph...\n"), err);
    assertTrue(err.matches("(?s).*Graph Snapshot: [0-9a-f]{8} \\(Project: test\\).*"), err);
    assertTrue(err.matches("(?s).*│ Total Features +│ 2 +│.*"), err);
    assertTrue(err.matches("(?s).*│ Graph Depth +│ 2 +│.*"), err);
    assertTrue(err.matches("(?s).*│ Root Features +│ 1 +│.*"), err);
    assertTrue(err.matches("(?s).*│ Leaf Features +│ 1 +│.*"), err);
    assertTrue(err.contains("Root Features:\n  • video/files\n"), err);
    assertTrue(err.contains("Leaf Features:\n  • video/processing\n"), err);
  }

  @Test
  void describeGraphWithAProjectFilterAndSeveralProjects() {
    String err = mx.ok("--graph", "external.json", "describe", "graph").err();
    assertTrue(err.matches("(?s).*│ Total Features +│ 3 +│.*"), err);
    assertTrue(err.matches("(?s).*│ Features in test +│ 2 +│.*"), err);
    assertTrue(
        err.contains("Features by Project:\n  • other: 1 features\n  • test: 2 features\n"), err);
  }

  @Test
  void describeGraphSnapshotNeedsAStore() {
    MxHarness.Result r = mx.run("--graph", "f2.json", "describe", "graph", "--snapshot", "abc");
    assertEquals(1, r.rc());
    assertTrue(r.err().startsWith("Error: No Metaxy stores available."), r.toString());
  }
}
