package io.metaxy.cli;

import static io.metaxy.cli.ListFeaturesTest.at;
import static io.metaxy.cli.ListFeaturesTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mx config print} (S03, S04) and how metaxy.toml drives the other commands. */
class ConfigTest {
  @TempDir
  Path dir;

  MxHarness mx;

  @BeforeEach
  void setUp() {
    mx = new MxHarness(dir).env("PROJECT_DIR", dir.toString());
    mx.fixture("metaxy.toml");
  }

  @Test
  void s03_printToml() {
    String out = mx.ok("config", "print").out();
    assertTrue(out.contains("store = \"dev\"\n"), out);
    assertTrue(
        out.contains("[stores.dev]\ntype = \"metaxy.ext.duckdb.DuckDBMetadataStore\"\n"), out);
    assertTrue(
        out.contains("database = \"" + dir + "/metadata.duckdb\""), "templating applied\n" + out);
    for (String nullKey : new String[] {"locked", "extend", "metaxy_lock_path"}) {
      assertFalse(out.contains(nullKey + " ="), nullKey + "\n" + out);
    }
  }

  @Test
  void s04_printJson() {
    Map<String, Object> tree = json(mx.ok("config", "print", "--format", "json").out());
    assertEquals("dev", tree.get("store"));
    assertTrue(((String) at(tree, "stores", "dev", "type")).contains("DuckDBMetadataStore"));
    assertEquals("test", tree.get("project"));
    assertTrue(tree.containsKey("locked") && tree.get("locked") == null, "nulls are kept in JSON");
  }

  @Test
  void environmentOverridesTheFile() {
    mx.env("METAXY_PROJECT", "other");
    assertEquals("other", json(mx.ok("config", "print", "-f", "json").out()).get("project"));
  }

  @Test
  void configuredProjectScopesCommands() {
    mx.fixture("external.json");
    String out = mx.ok("--graph", "external.json", "list", "features").out();
    assertTrue(out.contains("local/feature") && !out.contains("other/thing"), out);
  }

  @Test
  void graphClasspathAndTruncationComeFromTheFile() throws IOException {
    Path classes = dir.resolve("build/classes/META-INF/metaxy");
    Files.createDirectories(classes);
    Files.copy(mx.fixture("f2.json"), classes.resolve("graph.json"));
    Files.writeString(
        dir.resolve("metaxy.toml"),
        "project = \"test\"\nhash_truncation_length = 12\n[graph]\nclasspath = [\"build/classes\"]\n");
    Map<String, Object> tree = json(mx.ok("list", "features", "-f", "json").out());
    assertEquals(2, tree.get("feature_count"));
    assertEquals("com.example.VideoProcessing", at(tree, "features", 1, "source"));
    assertTrue(
        ((String) at(tree, "features", 0, "version")).matches("[0-9a-f]{12}"), tree.toString());
  }

  @Test
  void invalidConfigurationNamesTheKey() throws IOException {
    Files.writeString(dir.resolve("metaxy.toml"), "hash_truncation_length = \"long\"\n");
    MxHarness.Result r = mx.run("config", "print");
    assertEquals(1, r.rc());
    assertTrue(r.err().contains("hash_truncation_length"), r.toString());
  }
}
