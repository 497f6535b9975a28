package io.metaxy.config;

import static io.metaxy.config.ConfigTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.versioning.HashAlgorithm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explicit overrides over {@code METAXY_*} variables over the file (spec cli.md §3.1). */
class PrecedenceTest {
  @TempDir
  Path root;

  @BeforeEach
  void writeConfig() {
    write(root.resolve("metaxy.toml"), """
        project = "file_project"
        store = "dev"
        hash_truncation_length = 10
        [stores.dev]
        type = "duckdb"
        [stores.dev.config]
        database = "file.duckdb"
        hash_algorithm = "md5"
        """);
  }

  private MetaxyConfig load(Map<String, String> env) {
    return MetaxyConfig.loader().workingDirectory(root).environment(env).load();
  }

  @Test
  void nestedVariableOverridesOneLeafAndKeepsTheRest() {
    MetaxyConfig c = load(Map.of("METAXY_STORES__DEV__CONFIG__DATABASE", "env.duckdb"));
    StoreConfig dev = c.storeConfig("dev");
    assertEquals(Optional.of("env.duckdb"), dev.string("database"));
    assertEquals(StoreKind.DUCKDB, dev.kind());
    assertEquals(Optional.of(HashAlgorithm.MD5), dev.hashAlgorithm());
  }

  @Test
  void variablesAreCaseInsensitiveAndConvertedToTheFieldType() {
    MetaxyConfig c = load(Map.of(
        "METAXY_HASH_TRUNCATION_LENGTH", "12",
        "metaxy_auto_create_tables", "true",
        "METAXY_SYNC", "0",
        "METAXY_LOCKED", "yes",
        "METAXY_PROJECT", "env_project"));
    assertEquals(12, c.hashTruncationLength());
    assertTrue(c.autoCreateTables());
    assertTrue(c.storeConfig("dev").autoCreateTables());
    assertFalse(c.sync());
    assertEquals(Optional.of(true), c.locked());
    assertEquals(Optional.of("env_project"), c.project());
  }

  @Test
  void structuredFieldsTakeJson() {
    MetaxyConfig c = load(Map.of(
        "METAXY_ENTRYPOINTS", "[\"a.b\", \"c.d\"]",
        "METAXY_EXTRA_FEATURES", "[{\"projects\": [\"team_a\"]}, {\"keys\": [\"video/files\"]}]",
        "METAXY_STORES__PROD",
            "{\"type\": \"postgres\", \"config\": {\"connection_string\": \"postgresql://x\"}}",
        "METAXY_STORES__DEV__CONFIG__FALLBACK_STORES", "[\"prod\"]"));
    assertEquals(List.of("a.b", "c.d"), c.entrypoints());
    assertEquals(List.of("team_a"), c.extraFeatures().get(0).projects());
    assertEquals(List.of(FeatureKey.of("video/files")), c.extraFeatures().get(1).keys());
    assertEquals(StoreKind.POSTGRES, c.storeConfig("prod").kind());
    assertEquals(Optional.of("postgresql://x"), c.storeConfig("prod").string("connection_string"));
    assertEquals(List.of("prod"), c.storeConfig("dev").fallbackStores());
    assertEquals(List.of("dev", "prod"), List.copyOf(c.stores().keySet()));
  }

  @Test
  void listSettingsAlsoAcceptCommaSeparatedText() {
    MetaxyConfig c = load(Map.of("METAXY_STORES__DEV__CONFIG__FALLBACK_STORES", "prod, staging"));
    assertEquals(List.of("prod", "staging"), c.storeConfig("dev").fallbackStores());
  }

  @Test
  void variablesThatAreNotFieldsAreIgnored() {
    MetaxyConfig c = load(Map.of(
        "METAXY_LOG_LEVEL", "DEBUG",
        "METAXY_LIST_FEATURES_FORMAT", "json",
        "METAXY_ENTRYPOINT_1", "my.module",
        "METAXY_TEST_VAR", "x",
        "OTHER", "y"));
    assertEquals(Optional.of("file_project"), c.project());
    assertEquals(List.of(), c.entrypoints());
  }

  @Test
  void storeWithoutTypeFromStrayVariablesIsDropped() {
    MetaxyConfig c =
        load(Map.of("METAXY_STORES__PROD__CONFIG__CONNECTION_STRING", "postgresql://x"));
    assertEquals(List.of("dev"), List.copyOf(c.stores().keySet()));
  }

  @Test
  void storeDefinedEntirelyByVariables() {
    MetaxyConfig c = load(Map.of(
        "METAXY_STORES__PROD__TYPE", "metaxy.ext.postgresql.PostgreSQLMetadataStore",
        "METAXY_STORES__PROD__CONFIG__CONNECTION_STRING", "postgresql://x",
        "METAXY_STORES__PROD__CONFIG__HASH_ALGORITHM", "xxhash64"));
    StoreConfig prod = c.storeConfig("prod");
    assertEquals(StoreKind.POSTGRES, prod.kind());
    assertEquals(Optional.of(HashAlgorithm.XXHASH64), prod.hashAlgorithm());
    assertEquals("environment variable METAXY_STORES__PROD__TYPE", prod.source());
  }

  @Test
  void badVariableValuesNameTheVariableAndKey() {
    ConfigException e = assertThrows(
        ConfigException.class, () -> load(Map.of("METAXY_HASH_TRUNCATION_LENGTH", "abc")));
    assertEquals(
        "environment variable METAXY_HASH_TRUNCATION_LENGTH: hash_truncation_length: expected an integer,"
            + " got \"abc\"",
        e.getMessage());
    ConfigException json =
        assertThrows(ConfigException.class, () -> load(Map.of("METAXY_ENTRYPOINTS", "[\"a\"")));
    assertTrue(
        json.getMessage()
            .startsWith("environment variable METAXY_ENTRYPOINTS: entrypoints: invalid JSON"),
        json.getMessage());
    ConfigException bool = assertThrows(
        ConfigException.class,
        () -> load(Map.of("METAXY_STORES__DEV__CONFIG__AUTO_CREATE_TABLES", "maybe")));
    assertEquals(
        "environment variable METAXY_STORES__DEV__CONFIG__AUTO_CREATE_TABLES:"
            + " stores.dev.config.auto_create_tables: expected a boolean, got \"maybe\"",
        bool.getMessage());
  }

  @Test
  void explicitOverridesWinOverVariablesAndFile() {
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("project", "arg_project");
    overrides.put("stores.dev.config.database", "arg.duckdb");
    overrides.put("hash_truncation_length", "16");
    MetaxyConfig c = MetaxyConfig.loader()
        .workingDirectory(root)
        .environment(Map.of(
            "METAXY_PROJECT", "env_project", "METAXY_STORES__DEV__CONFIG__DATABASE", "env.duckdb"))
        .overrides(overrides)
        .override("sync", false)
        .load();
    assertEquals(Optional.of("arg_project"), c.project());
    assertEquals(Optional.of("arg.duckdb"), c.storeConfig("dev").string("database"));
    assertEquals(16, c.hashTruncationLength());
    assertFalse(c.sync());
    assertEquals(Optional.of(HashAlgorithm.MD5), c.storeConfig("dev").hashAlgorithm());
  }

  @Test
  void nestedMapOverridesDeepMerge() {
    MetaxyConfig c = MetaxyConfig.loader()
        .workingDirectory(root)
        .environment(Map.of())
        .override("stores", Map.of("dev", Map.of("config", Map.of("database", "m.duckdb"))))
        .load();
    assertEquals(Optional.of("m.duckdb"), c.storeConfig("dev").string("database"));
    assertEquals(StoreKind.DUCKDB, c.storeConfig("dev").kind());
  }

  @Test
  void storesAddedByVariablesFollowTheFileInNameOrder() {
    MetaxyConfig c = load(Map.of(
        "METAXY_STORES__ZETA__TYPE", "memory",
        "METAXY_STORES__ALPHA__TYPE", "memory",
        "METAXY_STORES__MID__TYPE", "memory"));
    assertEquals(List.of("dev", "alpha", "mid", "zeta"), List.copyOf(c.stores().keySet()));
  }

  @Test
  void pluginSettingsFromVariables() {
    MetaxyConfig c =
        load(Map.of("METAXY_EXT__DAGSTER__ENABLE", "true", "METAXY_EXT__DAGSTER__GROUP", "g"));
    assertEquals(List.of("dagster"), c.plugins());
    assertEquals(Map.of("group", "g"), c.ext().get("dagster").options());
  }

  @Test
  void badOverridesNameTheArgument() {
    ConfigException e = assertThrows(
        ConfigException.class,
        () -> MetaxyConfig.loader()
            .workingDirectory(root)
            .environment(Map.of())
            .override("store", 5)
            .load());
    assertEquals(
        "explicit argument 'store': store: expected a string, got an integer", e.getMessage());
  }
}
