package io.metaxy.config;

import static io.metaxy.config.ConfigTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code extend} inheritance (spec cli.md §3.4). */
class ExtendTest {
  @TempDir
  Path root;

  private MetaxyConfig load(Path cwd) {
    return MetaxyConfig.loader().workingDirectory(cwd).environment(Map.of()).load();
  }

  @Test
  void mergesScalarsTablesAndArraysLikeTheReference() {
    Path base = write(root.resolve("base.toml"), """
        project = "base"
        store = "prod"
        entrypoints = ["base.features"]
        sync = false
        [stores.prod]
        type = "postgres"
        [stores.prod.config]
        connection_string = "postgresql://prod"
        [stores.shared]
        type = "duckdb"
        [stores.shared.config]
        database = "base.duckdb"
        hash_algorithm = "md5"
        [[extra_features]]
        projects = ["from_base"]
        """);
    Path child = write(root.resolve("app/metaxy.toml"), """
        extend = "../base.toml"
        project = "child"
        entrypoints = ["child.features"]
        [stores.shared]
        type = "duckdb"
        [stores.shared.config]
        database = "child.duckdb"
        [[extra_features]]
        keys = ["a/b"]
        """);
    MetaxyConfig c = load(root.resolve("app"));
    assertEquals(Optional.of("child"), c.project()); // scalar replaced
    assertEquals("prod", c.store()); // parent-only key kept
    assertEquals(false, c.sync());
    assertEquals(List.of("base.features", "child.features"), c.entrypoints()); // arrays appended
    assertEquals(List.of("prod", "shared"), List.copyOf(c.stores().keySet())); // other stores kept
    StoreConfig shared = c.storeConfig("shared");
    assertEquals(Optional.of("child.duckdb"), shared.string("database"));
    // Shallow merge: the child's [stores.shared] replaces the parent's entry entirely.
    assertEquals(Optional.empty(), shared.hashAlgorithm());
    assertEquals(List.of("from_base"), c.extraFeatures().get(0).projects());
    assertEquals(2, c.extraFeatures().size());
    assertEquals(Optional.of(child), c.configFile());
    assertEquals(List.of(child, base), c.files());
    assertEquals(Optional.of(root.resolve("app/metaxy.lock")), c.lockFile());
    assertEquals(Optional.empty(), c.extend());
  }

  @Test
  void resolvesAChainRelativeToEachFile() {
    write(root.resolve("org/org.toml"), "hash_truncation_length = 12\nentrypoints = [\"org\"]\n");
    write(
        root.resolve("org/team/team.toml"), "extend = \"../org.toml\"\nentrypoints = [\"team\"]\n");
    Path abs = root.resolve("org/team/team.toml").toAbsolutePath();
    write(
        root.resolve("repo/metaxy.toml"),
        "extend = \"" + abs.toString().replace("\\", "\\\\") + "\"\nentrypoints = [\"repo\"]\n");
    MetaxyConfig c = load(root.resolve("repo"));
    assertEquals(12, c.hashTruncationLength());
    assertEquals(List.of("org", "team", "repo"), c.entrypoints());
    assertEquals(3, c.files().size());
  }

  @Test
  void cycleIsAnErrorNamingEveryFile() {
    Path a = write(root.resolve("metaxy.toml"), "extend = \"b.toml\"\n");
    Path b = write(root.resolve("b.toml"), "extend = \"metaxy.toml\"\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(root));
    assertEquals(
        "Circular config inheritance detected: " + a + " -> " + b + " -> " + a, e.getMessage());
  }

  @Test
  void selfExtendIsACycle() {
    Path a = write(root.resolve("metaxy.toml"), "extend = \"./metaxy.toml\"\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(root));
    assertEquals("Circular config inheritance detected: " + a + " -> " + a, e.getMessage());
  }

  @Test
  void missingParentIsAnErrorNamingBothFiles() {
    Path a = write(root.resolve("metaxy.toml"), "extend = \"missing/base.toml\"\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(root));
    assertEquals(
        "Config file referenced by 'extend' does not exist: " + root.resolve("missing/base.toml")
            + " (extended by " + a + ")",
        e.getMessage());
  }

  @Test
  void extendMustBeAString() {
    Path a = write(root.resolve("metaxy.toml"), "extend = 3\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(root));
    assertEquals(a + ": extend: expected a string, got an integer", e.getMessage());
  }

  @Test
  void errorsInAParentFileNameTheParent() {
    Path base = write(
        root.resolve("base.toml"), "[stores.dev]\ntype = \"duckdb\"\nconfig = { database = 5 }\n");
    write(root.resolve("metaxy.toml"), "extend = \"base.toml\"\nproject = \"p\"\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(root));
    assertEquals(
        base + ": stores.dev.config.database: expected a string, got an integer", e.getMessage());
    assertTrue(e.getMessage().contains("base.toml"));
  }
}
