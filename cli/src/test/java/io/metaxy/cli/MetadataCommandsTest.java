package io.metaxy.cli;

import static io.metaxy.cli.StoreProject.feature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.json.Json;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.TestRows;
import io.metaxy.store.support.ArrowBatches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mx metadata status|delete|copy|rebase} on DuckDB files: S47–S61. */
class MetadataCommandsTest {
  @TempDir
  Path dir;

  StoreProject p;

  @BeforeEach
  void setUp() {
    p = new StoreProject(dir);
    p.graph(feature("video/files_root"), feature("video/files", "video/files_root"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String out) {
    return (Map<String, Object>) Json.parse(out, "stdout");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> feat(Map<String, Object> tree, String key) {
    return (Map<String, Object>) ((Map<String, Object>) tree.get("features")).get(key);
  }

  static long num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).longValue();
  }

  @Test
  void s47_upToDate() {
    p.writeRoot("dev", "video/files_root", 1, 2, 3);
    assertEquals(3, p.materialize("dev", "video/files"));
    Map<String, Object> f = feat(
        json(p.ok("metadata", "status", "video/files", "--format", "json").out()), "video/files");
    assertEquals("up_to_date", f.get("status"));
    assertEquals(3, num(f, "store_rows"));
    assertEquals(0, num(f, "missing"));
    assertEquals(0, num(f, "stale"));
    assertEquals(0, num(f, "orphaned"));
    assertEquals(false, f.get("needs_update"));
    assertEquals(true, f.get("metadata_exists"));
    assertTrue(f.get("target_version").toString().matches("[0-9a-f]{8}"));
    String plain = p.ok("metadata", "status", "video/files").out();
    assertTrue(
        plain.matches("(?s).*│ ✓ +│ video/files +│ 3 +│ 0 +│ 0 +│ 0 +│ store: dev .*"), plain);
    assertEquals(
        0, p.run("metadata", "status", "video/files", "--assert-in-sync").rc());
  }

  @Test
  void s48_s49_missingDownstream() {
    p.writeRoot("dev", "video/files_root", 1, 2, 3);
    String plain = p.ok("metadata", "status", "video/files").out();
    assertTrue(plain.matches("(?s).*│ ✗ +│ video/files +│ 0 +│ 3 +│ 0 +│ 0 +│.*"), plain);
    MxHarness.Result r = p.run("metadata", "status", "video/files", "--assert-in-sync");
    assertEquals(1, r.rc(), r.toString());
    Map<String, Object> tree =
        json(p.run("metadata", "status", "video/files", "--format", "json").out());
    assertEquals(true, tree.get("needs_update"));
    assertEquals("missing", feat(tree, "video/files").get("status"));
    assertEquals(false, feat(tree, "video/files").get("metadata_exists"));
  }

  @Test
  void readOnlyCommandsOnAMissingDatabaseFileFailWithTheStoreError() {
    String expected = "Error: DuckDB database file " + dir.resolve("metadata.duckdb")
        + " of store 'dev' does not" + " exist. Opening a store for READ never creates it";
    for (String[] args : List.of(
        new String[] {"metadata", "status", "--all-features"},
        new String[] {"history"},
        new String[] {"graph-diff", "render", "latest", "current"})) {
      MxHarness.Result r = p.run(args);
      assertEquals(1, r.rc(), r.toString());
      assertTrue(r.err().startsWith(expected), r.toString());
      assertFalse(
          r.err().contains("\tat ") || r.err().contains("unexpected"), "no stack trace: " + r);
    }
    assertFalse(Files.exists(dir.resolve("metadata.duckdb")), "reading created no database file");
  }

  @Test
  void s50_selectorErrors() {
    p.emptyStore("dev");
    MxHarness.Result none = p.run("metadata", "status", "--format", "json");
    assertEquals(1, none.rc());
    Map<String, Object> e = json(none.out());
    assertEquals("MISSING_REQUIRED_FLAG", e.get("error"));
    assertEquals(List.of("--all-features", "<features>"), e.get("required_flags"));
    MxHarness.Result both =
        p.run("metadata", "status", "video/files", "--all-features", "--format", "json");
    assertEquals(1, both.rc());
    assertEquals("CONFLICTING_FLAGS", json(both.out()).get("error"));
    MxHarness.Result invalid = p.run("metadata", "status", "Video/x");
    assertEquals(1, invalid.rc());
    assertTrue(
        invalid.out().startsWith("Error: Invalid feature key 'Video/x'"), invalid.toString());
  }

  @Test
  void s51_unknownFeatureIsAWarningUnlessAsserting() {
    p.emptyStore("dev");
    MxHarness.Result r = p.ok("metadata", "status", "nope/x", "--format", "json");
    Map<String, Object> tree = json(r.out());
    assertEquals("No valid features to check", tree.get("warning"));
    assertEquals(Map.of(), tree.get("features"));
    assertEquals(false, tree.get("needs_update"));
    String plain = p.ok("metadata", "status", "nope/x").out();
    assertEquals(
        "Warning: Feature(s) not found: nope/x\nWarning: No valid features to check.\n", plain);
    MxHarness.Result strict =
        p.run("metadata", "status", "nope/x", "--assert-in-sync", "--format", "json");
    assertEquals(1, strict.rc());
    assertEquals(
        "{\"error\":\"FEATURES_NOT_FOUND\",\"message\":\"Feature(s) not found in graph\",\"features\":[\"nope/x\"]}\n",
        strict.out());
  }

  @Test
  void s52_rootFeaturesWithAllFeatures() {
    p.graph(
        feature("files_root"),
        feature("video/files", "files_root"),
        feature("audio/files", "files_root"),
        feature("other", "elsewhere/x", List.of()));
    p.writeRoot("dev", "files_root", 1, 2);
    Map<String, Object> tree =
        json(p.ok("metadata", "status", "--all-features", "--format", "json").out());
    @SuppressWarnings("unchecked")
    Map<String, Object> features = (Map<String, Object>) tree.get("features");
    assertEquals(
        List.of("audio/files", "files_root", "video/files"), new ArrayList<>(features.keySet()));
    Map<String, Object> root = feat(tree, "files_root");
    assertEquals(true, root.get("is_root_feature"));
    assertEquals("root_feature", root.get("status"));
    assertFalse(root.containsKey("missing"), root.toString());
    String plain = p.ok("metadata", "status", "--all-features").out();
    assertTrue(plain.matches("(?s).*│ ○ +│ files_root +│ 2 +│ - +│ - +│ - +│.*"), plain);
    // --all-projects widens --all-features to every project.
    assertTrue(p.ok("--all-projects", "metadata", "status", "--all-features")
        .out()
        .contains("elsewhere/x"));
  }

  @Test
  void s53_filters() {
    p.writeRoot("dev", "video/files_root", 3);
    p.materialize("dev", "video/files");
    p.writeRoot("dev", "video/files_root", 1, 2, 4);
    String plain = p.ok(
            "metadata", "status", "video/files", "--global-filter", "sample_uid IN (1, 2)")
        .out();
    assertTrue(plain.matches("(?s).*│ ⚠ +│ video/files +│ 0 +│ 2 +│ 0 +│ 0 +│.*"), plain);
    MxHarness.Result bad =
        p.run("metadata", "status", "video/files", "--filter", "invalid syntax ((");
    assertEquals(1, bad.rc());
    assertTrue(bad.err().contains("Invalid filter syntax"), bad.toString());
  }

  @Test
  void s54_progress() {
    p.writeRoot("dev", "video/files_root", 1, 2);
    p.materialize("dev", "video/files");
    p.writeRoot("dev", "video/files_root", 3, 4, 5);
    String plain = p.ok("metadata", "status", "video/files", "--progress").out();
    assertTrue(plain.contains("⚠ (40%)"), plain);
    Map<String, Object> f = feat(
        json(p.ok("metadata", "status", "video/files", "--progress", "--format", "json")
            .out()),
        "video/files");
    assertEquals(40, num(f, "progress_percentage"));
    String noInput = p.ok(
            "metadata", "status", "video/files", "--progress", "--global-filter", "sample_uid = 99")
        .out();
    assertTrue(
        noInput.matches("(?s).*│ ✓ \\(no input\\) +│ video/files +│ 0 +│ - +│ - +│ - +│.*"),
        noInput);
    Map<String, Object> g = feat(
        json(p.ok(
                "metadata",
                "status",
                "video/files",
                "--progress",
                "--global-filter",
                "sample_uid = 99",
                "--format",
                "json")
            .out()),
        "video/files");
    assertFalse(g.containsKey("progress_percentage"), g.toString());
    String verbose = p.ok("metadata", "status", "video/files", "--verbose").out();
    assertTrue(
        verbose.contains("`video/files` preview")
            && verbose.contains("Missing samples:")
            && verbose.contains("sample_uid=3")
            && verbose.contains("⚠ (40%)"),
        verbose);
    // Each mx run is a new process: the earlier status runs recorded where the tables stood in the
    // store, so this one read only what was appended since (nothing) and says so.
    assertTrue(verbose.contains("Resolved by: incremental ("), verbose);
    Map<String, Object> v = feat(
        json(p.ok("metadata", "status", "video/files", "--verbose", "--format", "json")
            .out()),
        "video/files");
    assertTrue(String.valueOf(v.get("resolved_by")).startsWith("incremental ("), v.toString());
  }

  @Test
  void s55_stalePredicate() {
    p.writeRoot("dev", "video/files_root", 1, 2, 3);
    p.materialize("dev", "video/files");
    Map<String, Object> f = feat(
        json(p.ok(
                "metadata",
                "status",
                "video/files",
                "--stale-if",
                "sample_uid = 1",
                "--format",
                "json")
            .out()),
        "video/files");
    assertEquals(1, num(f, "stale"));
    assertEquals("needs_update", f.get("status"));
    assertTrue(p.ok("metadata", "status", "video/files", "--stale-if", "sample_uid >= 2")
        .out()
        .matches("(?s).*│ ⚠ +│ video/files +│ 3 +│ 0 +│ 2 +│ 0 +│.*"));
  }

  @Test
  void upstreamNeverWrittenIsMissingNotAnError() {
    p.emptyStore("dev");
    MxHarness.Result r =
        p.ok("metadata", "status", "video/files", "video/files_root", "--format", "json");
    Map<String, Object> tree = json(r.out());
    Map<String, Object> files = feat(tree, "video/files");
    assertEquals("missing", files.get("status"));
    assertEquals(List.of("video/files_root"), files.get("missing_upstream"));
    assertEquals(false, files.get("needs_update"));
    assertFalse(files.containsKey("error_message"), files.toString());
    assertFalse(tree.containsKey("warnings"), tree.toString());
    assertEquals("missing", feat(tree, "video/files_root").get("status"));
    assertEquals(
        "Checking status: 1/2 video/files (0 rows)\nChecking status: 2/2 video/files_root (0 rows)\n",
        r.err());
    MxHarness.Result plain = p.ok("metadata", "status", "video/files");
    assertTrue(
        plain
            .out()
            .matches(
                "(?s).*│ ✗ +│ video/files +│ 0 +│ - +│ - +│ - +│ upstream not written: video/files_root .*"),
        plain.toString());
    assertEquals("Checking status: 1/1 video/files (0 rows)\n", plain.err());

    // Rows stored without their upstream (here: only the downstream copied to staging) cannot be
    // checked.
    p.writeRows(
        "staging",
        "video/files",
        List.of(TestRows.row(
            "sample_uid", 1L, "metaxy_provenance_by_field", TestRows.pbf("default", "p1"))));
    Map<String, Object> staged = feat(
        json(p.ok("metadata", "status", "video/files", "--store", "staging", "--format", "json")
            .out()),
        "video/files");
    assertEquals("needs_update", staged.get("status"));
    assertEquals(true, staged.get("needs_update"));
    assertEquals(1, num(staged, "store_rows"));
    assertFalse(staged.containsKey("missing"), "no counts without the upstream\n" + staged);
    assertEquals(
        1,
        p.run("metadata", "status", "video/files", "--store", "staging", "--assert-in-sync")
            .rc());
  }

  @Test
  void aFeatureThatCannotBeCheckedIsOneLineBelowTheTableAndFailsTheCommand() {
    writeLogs("debug", "info");
    p.graph(feature("logs"), feature("video/files_root"));
    p.writeRoot("dev", "video/files_root", 1);
    // video/files_root has no column 'level': its read fails, the logs row is still reported.
    String[] args = {"metadata", "status", "logs", "video/files_root", "--filter", "level = 'debug'"
    };
    MxHarness.Result r = p.run(args);
    assertEquals(1, r.rc(), r.toString());
    assertTrue(
        r.out().matches("(?s).*│ ○ +│ logs +│ 1 +│ - +│ - +│ - +│ store: dev .*"), r.toString());
    assertTrue(
        r.out().matches("(?s).*│ ! +│ video/files_root +│ - +│ - +│ - +│ - +│ error: see below .*"),
        r.toString());
    String errors = r.out().substring(r.out().indexOf("\nErrors:\n") + 1);
    List<String> lines = errors.lines().toList();
    assertEquals(2, lines.size(), "one line per failure\n" + r);
    assertTrue(
        lines.get(1).startsWith("  video/files_root: ") && lines.get(1).contains("level"),
        r.toString());
    assertEquals(
        "Checking status: 1/2 logs (1 rows)\nChecking status: 2/2 video/files_root (0 rows)\n"
            + "Error: 1 of 2 feature(s) could not be checked (--verbose shows the stack traces).\n",
        r.err());

    MxHarness.Result verbose = p.run(append(args, "--verbose"));
    assertEquals(1, verbose.rc());
    assertTrue(
        verbose.err().contains("(0 rows)\nStack trace for video/files_root:\n"),
        verbose.toString());
    assertTrue(verbose.err().contains("\tat "), verbose.toString());
    assertTrue(
        verbose.err().endsWith("Error: 1 of 2 feature(s) could not be checked.\n"),
        verbose.toString());

    MxHarness.Result asJson = p.run(append(args, "--format", "json"));
    assertEquals(1, asJson.rc());
    Map<String, Object> tree = json(asJson.out());
    assertEquals("error", feat(tree, "video/files_root").get("status"));
    assertTrue(
        feat(tree, "video/files_root").get("error_message").toString().contains("level"),
        asJson.toString());
    assertEquals("root_feature", feat(tree, "logs").get("status"));
    assertEquals(
        List.of("video/files_root"),
        ((List<?>) ((Map<?, ?>) tree.get("warnings")).get("errors"))
            .stream().map(e -> ((Map<?, ?>) e).get("feature")).toList());
    assertFalse(asJson.err().contains("\tat "), asJson.toString());
  }

  @Test
  void messagesOfSeveralLinesBecomeOne() {
    assertEquals(
        "Binder Error: no column LINE 1: SELECT x",
        MetadataStatusCommand.oneLine("Binder Error: no column\n\nLINE 1: SELECT x\n"));
  }

  private static String[] append(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void statusAgainstAPushedSnapshot() {
    p.writeRoot("dev", "video/files_root", 1, 2);
    p.materialize("dev", "video/files");
    String v1 = p.ok("push").out().strip();
    p.graph(
        feature("video/files_root"),
        feature("test", "video/files", List.of("video/files_root"), "default:2"));
    Map<String, Object> now =
        json(p.ok("metadata", "status", "video/files", "--format", "json").out());
    assertEquals("needs_update", feat(now, "video/files").get("status"));
    Map<String, Object> then =
        json(p.ok("metadata", "status", "video/files", "--snapshot-id", v1, "--format", "json")
            .out());
    assertEquals(v1, then.get("project_version"));
    assertEquals("up_to_date", feat(then, "video/files").get("status"));
    MxHarness.Result unknown =
        p.run("metadata", "status", "video/files", "--snapshot-id", "deadbeef", "--format", "json");
    assertEquals(1, unknown.rc());
    assertEquals("SNAPSHOT_ERROR", json(unknown.out()).get("error"));
  }

  private void writeLogs(String... levels) {
    p.graph(feature("logs"));
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < levels.length; i++) {
      rows.add(TestRows.row(
          "sample_uid",
          (long) i + 1,
          "level",
          levels[i],
          "metaxy_provenance_by_field",
          TestRows.pbf("default", "p" + i)));
    }
    p.writeRows("dev", "logs", rows);
  }

  @Test
  void s56_hardDeleteNeedsYes() {
    writeLogs("debug", "info");
    for (String flag : List.of("--soft=false", "--hard", "--no-soft")) {
      MxHarness.Result r = p.run("metadata", "delete", "logs", flag);
      assertEquals(1, r.rc(), flag);
      assertEquals(
          "Error: Hard deleting all metadata requires --yes flag to prevent accidental deletion.\n"
              + "Hint: Use --yes to confirm, or provide --filter to restrict deletion.\n",
          r.out());
    }
    assertEquals(
        "MISSING_CONFIRMATION",
        json(p.run("metadata", "delete", "logs", "--hard", "--format", "json").out())
            .get("error"));
    assertEquals(2, p.count("dev", "logs", ReadOptions.DEFAULT));
    MxHarness.Result yes = p.ok("metadata", "delete", "logs", "--hard", "--yes");
    assertTrue(yes.err().contains("✓ Deletion complete (hard delete)"), yes.toString());
    assertEquals(0, p.count("dev", "logs", ReadOptions.DEFAULT.softDeleted()));
  }

  @Test
  void s57_softDeleteWithFilter() {
    writeLogs("debug", "info", "warn");
    MxHarness.Result r =
        p.ok("metadata", "delete", "logs", "--filter", "level = 'debug'", "--soft");
    assertTrue(r.err().contains("✓ Deletion complete (soft delete)"), r.toString());
    assertEquals(2, p.count("dev", "logs", ReadOptions.DEFAULT));
    assertEquals(3, p.count("dev", "logs", ReadOptions.DEFAULT.softDeleted()));
    MxHarness.Result hard =
        p.ok("metadata", "delete", "logs", "--filter", "level = 'info'", "--hard");
    assertTrue(hard.err().contains("hard delete"), hard.toString());
    assertEquals(1, p.count("dev", "logs", ReadOptions.DEFAULT));
  }

  @Test
  void s58_dryRun() {
    writeLogs("debug", "info");
    MxHarness.Result r =
        p.ok("metadata", "delete", "logs", "--filter", "level = 'debug'", "--dry-run");
    assertEquals(
        "Dry run (soft delete, with_feature_history=no)\nStore: dev\nFeatures (1):\n  • logs (1 rows)\n"
            + "Total rows to delete: 1\nFilters:\n  • level = 'debug'\n",
        r.err());
    assertFalse(r.err().contains("Deletion complete"));
    assertEquals(2, p.count("dev", "logs", ReadOptions.DEFAULT.softDeleted()));
  }

  @Test
  void s59_deleteUnknownFeature() {
    MxHarness.Result r = p.run("metadata", "delete", "nope/x", "--filter", "1=1");
    assertEquals(1, r.rc());
    assertTrue(r.out().contains("Warning: Feature(s) not found: nope/x"), r.toString());
    assertTrue(r.out().contains("Error: No valid features selected for deletion."), r.toString());
    assertEquals(
        "NO_FEATURES",
        json(p.run("metadata", "delete", "nope/x", "--format", "json").out()).get("error"));
  }

  @Test
  void deleteWithABadColumnReportsTheFeatureAndFails() {
    writeLogs("debug");
    MxHarness.Result r = p.run("metadata", "delete", "logs", "--filter", "no_such_column = 1");
    assertEquals(1, r.rc(), r.toString());
    assertTrue(
        r.err().contains("Error deleting logs: ") && r.err().contains("no_such_column"),
        r.toString());
    assertEquals(1, p.count("dev", "logs", ReadOptions.DEFAULT));
  }

  @Test
  void s60_copy() {
    p.writeRoot("dev", "video/files_root", 1, 2, 3);
    MxHarness.Result r =
        p.ok("metadata", "copy", "video/files_root", "--from", "dev", "--to", "staging");
    assertEquals("✓ Copy complete: 1 feature(s), 3 row(s) copied\n", r.out());
    assertTrue(
        r.err().startsWith("Copying metadata for 1 feature(s) from 'dev' to 'staging'...\n"),
        r.toString());
    assertEquals(3, p.count("staging", "video/files_root", ReadOptions.DEFAULT));
    // Versions and timestamps are kept.
    List<Object> created = p.withStore(
        "dev", s -> column(s.read(FeatureKey.of("video/files_root")), "metaxy_created_at"));
    assertEquals(
        created,
        p.withStore(
            "staging",
            s -> column(s.read(FeatureKey.of("video/files_root")), "metaxy_created_at")));

    assertTrue(p.ok(
            "metadata",
            "copy",
            "video/files_root",
            "--from",
            "dev",
            "--to",
            "staging",
            "--filter",
            "sample_uid IN (1, 2)")
        .out()
        .contains("2 row(s)"));
    MxHarness.Result none = p.run("metadata", "copy", "--from", "dev", "--to", "dev");
    assertEquals(1, none.rc());
    assertTrue(
        none.out().contains("Must specify either --all-features or feature arguments"),
        none.toString());
    assertNotEquals(
        0, p.run("metadata", "copy", "video/files_root", "--from", "dev").rc());
    MxHarness.Result unknown =
        p.ok("metadata", "copy", "nope/x", "--from", "dev", "--to", "staging");
    assertTrue(unknown.out().contains("Warning: No valid features to copy."), unknown.toString());
    MxHarness.Result all =
        p.ok("metadata", "copy", "--all-features", "--from", "dev", "--to", "staging");
    assertEquals("✓ Copy complete: 1 feature(s), 3 row(s) copied\n", all.out());
    assertTrue(
        all.err()
            .contains(
                "Copying: 1/2 video/files (0 rows)\nCopying: 2/2 video/files_root (3 rows)\n"),
        all.toString());
  }

  private static List<Object> column(VectorSchemaRoot r, String name) {
    try (r) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < r.getRowCount(); i++) {
        out.add(ArrowBatches.value(r.getVector(name), i));
      }
      out.sort(Comparator.comparing(Object::toString));
      return out;
    }
  }

  @Test
  void s61_rebase() {
    p.graph(feature("video/files_root"), feature("video/downstream", "video/files_root"));
    p.writeRoot("dev", "video/files_root", 1, 2, 3);
    p.materialize("dev", "video/downstream");
    String a = p.withStore("dev", s -> s.featureVersion(FeatureKey.of("video/downstream")));
    p.graph(
        feature("video/files_root"),
        feature("test", "video/downstream", List.of("video/files_root"), "default:2"));
    String b = p.withStore("dev", s -> s.featureVersion(FeatureKey.of("video/downstream")));
    assertNotEquals(a, b);
    assertEquals(0, p.count("dev", "video/downstream", ReadOptions.DEFAULT));

    MxHarness.Result dry = p.ok("metadata", "rebase", "video/downstream", "--from", a, "--dry-run");
    assertEquals("Dry run: 3 row(s) would be rebased\n", dry.err());
    MxHarness.Result r = p.ok("metadata", "rebase", "video/downstream", "--from", a);
    assertEquals("✓ Rebased 3 row(s)\n", r.err());
    assertEquals(3, p.count("dev", "video/downstream", ReadOptions.DEFAULT));
    List<Object> versions = p.withStore(
        "dev",
        s -> column(
            s.read(FeatureKey.of("video/downstream"), ReadOptions.DEFAULT.featureHistory()),
            "metaxy_feature_version"));
    assertEquals(List.of(b, b, b), versions);
    List<Object> provenance = p.withStore(
        "dev", s -> column(s.read(FeatureKey.of("video/downstream")), "metaxy_provenance"));
    assertTrue(
        provenance.stream().allMatch(x -> x != null && !x.toString().isEmpty()),
        provenance.toString());
    assertEquals(
        0, p.run("metadata", "status", "video/downstream", "--assert-in-sync").rc());

    MxHarness.Result notInGraph = p.run("metadata", "rebase", "video/files", "--from", a);
    assertEquals(1, notInGraph.rc());
    assertEquals("Error: Feature 'video/files' not found in graph\n", notInGraph.err());
    p.graph(
        feature("video/files_root"),
        feature("test", "video/downstream", List.of("video/files_root"), "default:2"),
        feature("video/other", "video/files_root"));
    MxHarness.Result notStored = p.ok("metadata", "rebase", "video/other", "--from", a);
    assertEquals(
        "Warning: Feature 'video/other' not found in store.\n✓ Rebased 0 row(s)\n",
        notStored.err());
  }

  private String byFieldType(String table) throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("metadata.duckdb"));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT data_type FROM information_schema.columns WHERE table_name = '"
                + table + "' AND column_name = 'metaxy_provenance_by_field'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /**
   * {@code enable_map_datatype} makes new DuckDB tables keep by-field MAPs (the reference's option);
   * {@code convert-layout} turns them into the default STRUCTs and back, and nothing a reader sees changes.
   */
  @Test
  void convertLayoutBetweenMapAndStructTables() throws Exception {
    String toml = Files.readString(dir.resolve("metaxy.toml"));
    p.write("metaxy.toml", "enable_map_datatype = true\n" + toml);
    p.writeRoot("dev", "video/files_root", 1, 2, 3);
    assertEquals(3, p.materialize("dev", "video/files"));
    assertEquals("MAP(VARCHAR, VARCHAR)", byFieldType("video__files_root"));
    String status =
        p.ok("metadata", "status", "--all-features", "--format", "json").out();

    p.write("metaxy.toml", toml);
    MxHarness.Result dry = p.ok("metadata", "convert-layout", "--all-features", "--dry-run");
    assertTrue(
        dry.err().contains("video/files: MAP → STRUCT")
            && dry.err().contains("video/files_root: MAP → STRUCT")
            && dry.err().contains("Dry run: nothing was changed"),
        dry.toString());
    assertEquals("MAP(VARCHAR, VARCHAR)", byFieldType("video__files"));
    MxHarness.Result r = p.ok("metadata", "convert-layout", "--all-features");
    assertTrue(r.err().contains("✓ video/files_root: MAP → STRUCT (3 rows)"), r.toString());
    assertEquals("STRUCT(\"default\" VARCHAR)", byFieldType("video__files_root"));
    assertEquals(
        status, p.ok("metadata", "status", "--all-features", "--format", "json").out());
    assertTrue(p.ok("metadata", "convert-layout", "video/files")
        .err()
        .contains("✓ video/files: STRUCT (3 rows)"));

    p.ok("metadata", "convert-layout", "video/files_root", "--to", "map");
    assertEquals("MAP(VARCHAR, VARCHAR)", byFieldType("video__files_root"));
    assertEquals(
        status, p.ok("metadata", "status", "--all-features", "--format", "json").out());
    MxHarness.Result bad = p.run("metadata", "convert-layout", "video/files_root", "--to", "json");
    assertEquals(1, bad.rc());
    assertTrue(bad.err().contains("--to must be struct or map, got 'json'"), bad.toString());
  }
}
