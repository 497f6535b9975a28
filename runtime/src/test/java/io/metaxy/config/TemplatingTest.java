package io.metaxy.config;

import static io.metaxy.config.ConfigTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ${VAR}} and {@code ${VAR:-default}} in file values (spec cli.md §3.3). */
class TemplatingTest {
  @TempDir
  Path root;

  @Test
  void expandsVariablesDefaultsAndUnsetAsEmpty() {
    assertEquals(
        "/home/u/.metaxy/dev",
        ConfigSources.expand("${HOME}/.metaxy/dev", Map.of("HOME", "/home/u")));
    assertEquals("fallback", ConfigSources.expand("${MISSING:-fallback}", Map.of()));
    assertEquals("a--b", ConfigSources.expand("a-${MISSING}-b", Map.of()));
    assertEquals("set", ConfigSources.expand("${X:-d}", Map.of("X", "set")));
    // Set but empty is still set: the reference uses os.environ.get, not shell ':-' semantics.
    assertEquals("", ConfigSources.expand("${X:-d}", Map.of("X", "")));
    assertEquals("1 and 2", ConfigSources.expand("${A} and ${B}", Map.of("A", "1", "B", "2")));
    assertEquals("$HOME ${", ConfigSources.expand("$HOME ${", Map.of("HOME", "/h")));
    assertEquals("a$b\\c", ConfigSources.expand("${V}", Map.of("V", "a$b\\c")));
  }

  @Test
  void appliesToEveryStringInTablesAndArrays() {
    write(root.resolve("metaxy.toml"), """
        project = "${PROJECT:-demo}"
        entrypoints = ["${PKG}.features", "static"]
        [stores.dev]
        type = "duckdb"
        [stores.dev.config]
        database = "${DATA_DIR}/metadata.duckdb"
        fallback_stores = ["${FALLBACK:-prod}"]
        [[extra_features]]
        projects = ["${TEAM}"]
        """);
    MetaxyConfig c = MetaxyConfig.loader()
        .workingDirectory(root)
        .environment(Map.of("PKG", "acme", "DATA_DIR", "/data", "TEAM", "team_a"))
        .load();
    assertEquals(Optional.of("demo"), c.project());
    assertEquals(List.of("acme.features", "static"), c.entrypoints());
    assertEquals(Optional.of("/data/metadata.duckdb"), c.storeConfig("dev").string("database"));
    assertEquals(List.of("prod"), c.storeConfig("dev").fallbackStores());
    assertEquals(List.of("team_a"), c.extraFeatures().get(0).projects());
  }

  @Test
  void valuesFromVariablesAreNotTemplated() {
    write(root.resolve("metaxy.toml"), "project = \"p\"\n");
    MetaxyConfig c = MetaxyConfig.loader()
        .workingDirectory(root)
        .environment(Map.of(
            "METAXY_STORES__DEV__TYPE",
            "duckdb",
            "METAXY_STORES__DEV__CONFIG__DATABASE",
            "${NOT_EXPANDED}",
            "NOT_EXPANDED",
            "x"))
        .load();
    assertEquals(Optional.of("${NOT_EXPANDED}"), c.storeConfig("dev").string("database"));
  }

  @Test
  void templatingHappensAfterExtendResolution() {
    write(
        root.resolve("base.toml"),
        "[stores.dev]\ntype = \"duckdb\"\nconfig = { database = \"${DIR}/db\" }\n");
    write(root.resolve("metaxy.toml"), "extend = \"base.toml\"\n");
    MetaxyConfig c = MetaxyConfig.loader()
        .workingDirectory(root)
        .environment(Map.of("DIR", "/x"))
        .load();
    assertEquals(Optional.of("/x/db"), c.storeConfig("dev").string("database"));
  }
}
