package io.metaxy.config;

import static io.metaxy.config.ConfigTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mx config print}: TOML without nulls, JSON with nulls, fixed key order (spec cli.md §1.1, S03, S04). */
class ConfigPrintTest {
  @TempDir
  Path root;

  /** The P0 fixture of cli-scenarios.md. */
  private MetaxyConfig p0() {
    write(root.resolve("metaxy.toml"), """
        project = "test"
        store = "dev"
        auto_create_tables = true
        [stores.dev]
        type = "metaxy.ext.duckdb.DuckDBMetadataStore"
        [stores.dev.config]
        database = "%s/metadata.duckdb"
        [stores.staging]
        type = "metaxy.ext.duckdb.DuckDBMetadataStore"
        [stores.staging.config]
        database = "%s/metadata_staging.duckdb"
        """.formatted(root, root));
    return MetaxyConfig.loader().workingDirectory(root).environment(Map.of()).load();
  }

  @Test
  @SuppressWarnings("unchecked")
  void s03TomlParsesAndDropsNulls() throws Exception {
    String toml = p0().toToml();
    Map<String, Object> parsed = new TomlMapper().readValue(toml, Map.class);
    assertEquals("dev", parsed.get("store"));
    Map<String, Object> dev =
        (Map<String, Object>) ((Map<String, Object>) parsed.get("stores")).get("dev");
    assertTrue(((String) dev.get("type")).contains("DuckDBMetadataStore"));
    assertFalse(parsed.containsKey("locked"));
    assertFalse(parsed.containsKey("extend"));
    assertFalse(parsed.containsKey("metaxy_lock_path"));
    assertEquals("test", parsed.get("project"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void s04JsonKeepsNullsInSpecOrder() throws Exception {
    String json = p0().toJson();
    Map<String, Object> parsed = new JsonMapper().readValue(json, Map.class);
    assertEquals("dev", parsed.get("store"));
    assertTrue(parsed.containsKey("project"));
    assertTrue(parsed.containsKey("locked"));
    assertNull(parsed.get("locked"));
    assertEquals(Schema.KEY_ORDER, List.copyOf(parsed.keySet()));
    assertTrue(
        json.startsWith("{\n  \"store\": \"dev\",\n  \"stores\": {\n    \"dev\": {\n"), json);
    Map<String, Object> staging =
        (Map<String, Object>) ((Map<String, Object>) parsed.get("stores")).get("staging");
    assertEquals(List.of("type", "config"), List.copyOf(staging.keySet()));
  }

  @Test
  void tomlUsesTableHeadersAndPlainKeysFirst() {
    String toml = p0().toToml();
    assertTrue(toml.startsWith("store = \"dev\"\n"), toml);
    assertTrue(
        toml.contains(
            "\n[stores.dev]\ntype = \"metaxy.ext.duckdb.DuckDBMetadataStore\"\n\n[stores.dev.config]\n"),
        toml);
    // Scalars must come before the first table header, or TOML would put them inside it.
    assertTrue(toml.indexOf("project = \"test\"") < toml.indexOf("[stores"), toml);
  }

  @Test
  void printedTomlLoadsBackToTheSameConfiguration() {
    write(root.resolve("src/metaxy.toml"), """
        project = "p"
        entrypoints = ["a.b"]
        locked = true
        hash_truncation_length = 12
        [stores."odd name"]
        type = "duckdb"
        [stores."odd name".config]
        database = "quote \\" backslash \\\\ tab \\t é"
        fallback_stores = ["dev"]
        config = { a = 1, b = [1.5, true], c = { d = "e" } }
        [stores.dev]
        type = "memory"
        [ext.x]
        enable = true
        opts = { k = "v" }
        [graph]
        classpath = ["build/classes"]
        [[extra_features]]
        projects = ["t"]
        [[extra_features]]
        keys = ["a/b"]
        all = false
        """);
    MetaxyConfig original = MetaxyConfig.loader()
        .workingDirectory(root.resolve("src"))
        .environment(Map.of())
        .load();
    Path printed = write(root.resolve("copy/metaxy.toml"), original.toToml());
    MetaxyConfig reloaded = MetaxyConfig.loader()
        .workingDirectory(printed.getParent())
        .environment(Map.of())
        .load();
    assertEquals(original.toMap(true), reloaded.toMap(true));
    assertEquals(original.toJson(), reloaded.toJson());
  }

  @Test
  void environmentTextIsPrintedAsText() {
    write(root.resolve("metaxy.toml"), "[stores.dev]\ntype = \"com.acme.ThreadedStore\"\n");
    MetaxyConfig c = MetaxyConfig.loader()
        .workingDirectory(root)
        .environment(Map.of("METAXY_STORES__DEV__CONFIG__THREADS", "4"))
        .load();
    assertTrue(c.toToml().contains("threads = \"4\""), c.toToml());
    assertEquals(Optional.of(4L), c.storeConfig("dev").integer("threads"));
  }
}
