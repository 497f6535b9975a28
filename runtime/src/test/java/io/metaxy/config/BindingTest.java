package io.metaxy.config;

import static io.metaxy.config.ConfigTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed fields, defaults, and the errors for unknown keys and wrong types (spec cli.md §3.5–§3.7). */
class BindingTest {
  @TempDir
  Path root;

  private MetaxyConfig load(String toml) {
    write(root.resolve("metaxy.toml"), toml);
    return MetaxyConfig.loader().workingDirectory(root).environment(Map.of()).load();
  }

  private String error(String toml) {
    return assertThrows(ConfigException.class, () -> load(toml)).getMessage();
  }

  private String file() {
    return root.resolve("metaxy.toml").toString();
  }

  @Test
  void defaults() {
    MetaxyConfig c = MetaxyConfig.defaults();
    assertEquals("dev", c.store());
    assertEquals(Map.of(), c.stores());
    assertEquals(List.of(), c.entrypoints());
    assertEquals("default", c.theme());
    assertEquals(Truncation.DEFAULT, c.truncation());
    assertFalse(c.enableMapDatatype());
    assertFalse(c.autoCreateTables());
    assertEquals(Optional.empty(), c.project());
    assertEquals(Optional.empty(), c.locked());
    assertTrue(c.sync());
    assertEquals(List.of(), c.extraFeatures());
    assertEquals(Optional.empty(), c.metaxyLockPath());
    assertEquals(List.of(), c.graphClasspath());
    assertEquals(List.of(), c.plugins());
  }

  @Test
  void everyFieldIsRead() {
    MetaxyConfig c = load("""
        store = "prod"
        entrypoints = ["a.b"]
        theme = "dark"
        hash_truncation_length = 16
        enable_map_datatype = true
        auto_create_tables = true
        project = "my-project_1"
        locked = false
        sync = false
        metaxy_lock_path = "locks/metaxy.lock"
        [graph]
        classpath = ["build/classes"]
        [ext.dagster]
        enable = true
        group = "features"
        [ext.off]
        x = 1
        [[extra_features]]
        projects = ["team_a"]
        keys = ["video/files", "audio/clips"]
        [[extra_features]]
        all = true
        """);
    assertEquals("prod", c.store());
    assertEquals(List.of("a.b"), c.entrypoints());
    assertEquals("dark", c.theme());
    assertEquals(16, c.hashTruncationLength());
    assertEquals(new Truncation(16), c.truncation());
    assertTrue(c.enableMapDatatype());
    assertTrue(c.autoCreateTables());
    assertEquals(Optional.of("my-project_1"), c.project());
    assertEquals(Optional.of(false), c.locked());
    assertFalse(c.sync());
    assertEquals(Optional.of("locks/metaxy.lock"), c.metaxyLockPath());
    assertEquals(List.of("build/classes"), c.graphClasspath());
    assertEquals(List.of("dagster"), c.plugins());
    assertEquals(
        new PluginConfig("dagster", true, Map.of("group", "features")), c.ext().get("dagster"));
    assertEquals(new PluginConfig("off", false, Map.of("x", 1L)), c.ext().get("off"));
    assertEquals(
        List.of(
            new FeatureSelection(
                List.of("team_a"),
                List.of(FeatureKey.of("video/files"), FeatureKey.of("audio/clips")),
                null),
            new FeatureSelection(null, null, true)),
        c.extraFeatures());
  }

  @Test
  void storeTypesAndAliases() {
    MetaxyConfig c = load("""
        [stores.a]
        type = "metaxy.ext.duckdb.DuckDBMetadataStore"
        [stores.b]
        type = "DuckDB"
        [stores.c]
        type = "memory"
        [stores.d]
        type = "metaxy.ext.postgresql.PostgreSQLMetadataStore"
        [stores.e]
        type = "postgres"
        [stores.f]
        type = "com.acme.MyStore"
        [stores.g]
        type = "metaxy.ext.polars.handlers.delta.DeltaMetadataStore"
        """);
    assertEquals(StoreKind.DUCKDB, c.storeConfig("a").kind());
    assertEquals("metaxy.ext.duckdb.DuckDBMetadataStore", c.storeConfig("a").type());
    assertEquals(StoreKind.DUCKDB, c.storeConfig("b").kind());
    assertEquals(StoreKind.MEMORY, c.storeConfig("c").kind());
    assertEquals(StoreKind.POSTGRES, c.storeConfig("d").kind());
    assertEquals(StoreKind.POSTGRES, c.storeConfig("e").kind());
    assertEquals(StoreKind.CLASS, c.storeConfig("f").kind());
    assertEquals(Optional.of("com.acme.MyStore"), c.storeConfig("f").className());
    assertEquals(Optional.empty(), c.storeConfig("a").className());
    assertEquals(StoreKind.DELTA, c.storeConfig("g").kind());
  }

  @Test
  void commonStoreSettingsAreTyped() {
    MetaxyConfig c = load("""
        auto_create_tables = true
        [stores.dev]
        type = "duckdb"
        [stores.dev.config]
        database = "x.duckdb"
        fallback_stores = ["staging", "prod"]
        hash_algorithm = "XXHASH64"
        versioning_engine = "native"
        materialization_id = "run-1"
        [stores.prod]
        type = "com.acme.ThreadedStore"
        config = { auto_create_tables = false, threads = 4, ratio = 0.5, extensions = ["json"] }
        """);
    StoreConfig dev = c.storeConfig("dev");
    assertEquals("dev", dev.name());
    assertEquals(List.of("staging", "prod"), dev.fallbackStores());
    assertEquals(Optional.of(HashAlgorithm.XXHASH64), dev.hashAlgorithm());
    assertEquals("native", dev.versioningEngine());
    assertTrue(dev.autoCreateTables());
    assertEquals(Optional.of("run-1"), dev.materializationId());
    assertEquals(Truncation.DEFAULT, dev.truncation());
    assertEquals(file(), dev.source());
    StoreConfig prod = c.storeConfig("prod");
    assertFalse(prod.autoCreateTables());
    assertEquals("auto", prod.versioningEngine());
    assertEquals(List.of(), prod.fallbackStores());
    assertEquals(Optional.of(4L), prod.integer("threads"));
    assertEquals(Optional.of(List.of("json")), prod.stringList("extensions"));
    assertEquals(
        Map.of(
            "auto_create_tables",
            false,
            "threads",
            4L,
            "ratio",
            0.5,
            "extensions",
            List.of("json")),
        prod.config());
    assertEquals(Optional.empty(), prod.string("absent"));
  }

  @Test
  void storeFactoryChecksNameTheKeyAndFile() {
    MetaxyConfig c =
        load("[stores.dev]\ntype = \"com.acme.S\"\nconfig = { url = 1, color = \"red\" }\n");
    StoreConfig dev = c.storeConfig("dev");
    ConfigException wrong = assertThrows(ConfigException.class, () -> dev.string("url"));
    assertEquals(
        file() + ": stores.dev.config.url: expected a string, got an integer", wrong.getMessage());
    ConfigException unknown =
        assertThrows(ConfigException.class, () -> dev.checkKeys(Set.of("url")));
    assertTrue(
        unknown.getMessage().startsWith(file() + ": stores.dev.config.color: unknown key"),
        unknown.getMessage());
    dev.checkKeys(Set.of("url", "color"));
    assertEquals(
        file() + ": stores.dev.config.url: must be https",
        dev.error("url", "must be https").getMessage());
  }

  @Test
  void wrongTypesNameFileAndKey() {
    assertEquals(
        file() + ": stores.dev.config.database: expected a string, got an integer",
        error("[stores.dev]\ntype = \"duckdb\"\n[stores.dev.config]\ndatabase = 5\n"));
    assertEquals(file() + ": project: expected a string, got a boolean", error("project = true\n"));
    assertEquals(file() + ": sync: expected a boolean, got a string", error("sync = \"false\"\n"));
    assertEquals(
        file() + ": hash_truncation_length: expected an integer, got a float",
        error("hash_truncation_length = 8.5\n"));
    assertEquals(
        file() + ": entrypoints[1]: expected a string, got an integer",
        error("entrypoints = [\"a\", 1]\n"));
    assertEquals(
        file() + ": stores.dev: expected a table, got a string",
        error("stores = { dev = \"duckdb\" }\n"));
    assertEquals(
        file() + ": stores.dev.type: expected a string, got an integer",
        error("[stores.dev]\ntype = 1\n"));
    assertEquals(
        file() + ": stores.dev.config: expected a table, got an array",
        error("[stores.dev]\ntype = \"duckdb\"\nconfig = []\n"));
    assertEquals(
        file() + ": stores.dev.config.fallback_stores: expected an array of strings, got a string",
        error("[stores.dev]\ntype = \"duckdb\"\nconfig = { fallback_stores = \"prod\" }\n"));
    assertEquals(
        file() + ": stores.pg.config.auto_cast_struct_for_jsonb: expected a boolean, got a string",
        error(
            "[stores.pg]\ntype = \"postgres\"\nconfig = { auto_cast_struct_for_jsonb = \"yes\" }\n"));
    assertEquals(
        file() + ": ext.x.enable: expected a boolean, got an integer",
        error("[ext.x]\nenable = 1\n"));
  }

  @Test
  void unknownKeysAreErrors() {
    String top = error("project = \"p\"\nstorez = \"dev\"\n");
    assertTrue(
        top.startsWith(file() + ": storez: unknown key (known keys: auto_create_tables, "), top);
    String flat = error("[stores.dev]\ntype = \"duckdb\"\nroot_path = \"/x\"\n");
    assertEquals(
        file() + ": stores.dev.root_path: unknown key (known keys: config, type);"
            + " store settings belong under [stores.dev.config]",
        flat);
    assertEquals(
        file() + ": graph.jars: unknown key (known keys: classpath)",
        error("[graph]\njars = []\n"));
    assertEquals(
        file() + ": extra_features[0].project: unknown key (known keys: all, keys, projects);"
            + " did you mean \"projects\"?",
        error("[[extra_features]]\nproject = \"x\"\n"));
    assertTrue(top.endsWith(", theme); did you mean \"stores\"?"), top);
  }

  @Test
  void unknownSettingsOfBuiltInStoresFailTheLoadNamingStoreKeyAndSource() {
    String duckdb =
        error("[stores.dev]\ntype = \"duckdb\"\n[stores.dev.config]\ndatabse = \"x.duckdb\"\n");
    assertEquals(
        file()
            + ": stores.dev.config.databse: unknown key for a store of type \"duckdb\" (known keys:"
            + " auto_create_tables, config, database, ducklake, extensions, fallback_stores, hash_algorithm,"
            + " materialization_id, versioning_engine); did you mean \"database\"?",
        duckdb);
    // The Python class path names the same kind; the key is checked before the values' types.
    String pg = error("[stores.pg]\ntype = \"metaxy.ext.postgresql.PostgreSQLMetadataStore\"\n"
        + "config = { conection_string = 5, table_prefix = 1 }\n");
    assertEquals(
        file() + ": stores.pg.config.conection_string: unknown key for a store of type \"postgres\""
            + " (known keys: auto_cast_struct_for_jsonb, auto_create_tables, connection_params, connection_string,"
            + " fallback_stores, hash_algorithm, materialization_id, table_prefix, versioning_engine); did you mean"
            + " \"connection_string\"?",
        pg);
    // Nothing close: no suggestion. Memory stores take only the common keys.
    String memory = error("[stores.m]\ntype = \"memory\"\nconfig = { database = \"x\" }\n");
    assertEquals(
        file()
            + ": stores.m.config.database: unknown key for a store of type \"memory\" (known keys:"
            + " auto_create_tables, fallback_stores, hash_algorithm, materialization_id, versioning_engine)",
        memory);
    // A class-name type is checked by its provider when the store is built, not here.
    assertEquals(
        Map.of("anything", "x"),
        load("[stores.c]\ntype = \"com.acme.S\"\nconfig = { anything = \"x\" }\n")
            .storeConfig("c")
            .config());
  }

  @Test
  void unknownStoreSettingsFromVariablesAndArgumentsFailTheSameWay() {
    write(root.resolve("metaxy.toml"), "[stores.dev]\ntype = \"duckdb\"\n");
    ConfigException env = assertThrows(
        ConfigException.class,
        () -> MetaxyConfig.loader()
            .workingDirectory(root)
            .environment(Map.of("METAXY_STORES__DEV__CONFIG__DATABSE", "/data/dev.duckdb"))
            .load());
    assertTrue(
        env.getMessage()
            .startsWith("environment variable METAXY_STORES__DEV__CONFIG__DATABSE:"
                + " stores.dev.config.databse: unknown key for a store of type \"duckdb\""),
        env.getMessage());
    assertTrue(env.getMessage().endsWith("did you mean \"database\"?"), env.getMessage());
    ConfigException arg = assertThrows(
        ConfigException.class,
        () -> MetaxyConfig.loader()
            .workingDirectory(root)
            .environment(Map.of())
            .override("stores.dev.config.Database", "x")
            .load());
    assertTrue(
        arg.getMessage()
            .startsWith("explicit argument 'stores.dev.config.Database':"
                + " stores.dev.config.Database: unknown key"),
        arg.getMessage());
    assertTrue(arg.getMessage().endsWith("did you mean \"database\"?"), arg.getMessage());
    // A partial store from stray variables is still dropped with a warning, as in the reference.
    assertEquals(
        Set.of("dev"),
        MetaxyConfig.loader()
            .workingDirectory(root)
            .environment(Map.of("METAXY_STORES__PROD__CONFIG__DATABSE", "x"))
            .load()
            .stores()
            .keySet());
  }

  @Test
  void valueRulesAreChecked() {
    assertEquals(
        file() + ": hash_truncation_length: must be at least 8, got 4",
        error("hash_truncation_length = 4\n"));
    assertEquals(file() + ": project: must not be empty", error("project = \"\"\n"));
    assertEquals(
        file() + ": project: must not contain '__', got \"a__b\"", error("project = \"a__b\"\n"));
    assertEquals(
        file() + ": project: may only contain letters, digits, '_' and '-', got \"a/b\"",
        error("project = \"a/b\"\n"));
    String algo =
        error("[stores.dev]\ntype = \"duckdb\"\nconfig = { hash_algorithm = \"crc32\" }\n");
    assertTrue(
        algo.startsWith(
            file() + ": stores.dev.config.hash_algorithm: unknown hash algorithm \"crc32\""),
        algo);
    assertEquals(
        file()
            + ": stores.dev.config.versioning_engine: expected one of auto, native, polars, got \"fast\"",
        error("[stores.dev]\ntype = \"duckdb\"\nconfig = { versioning_engine = \"fast\" }\n"));
    assertEquals(
        file() + ": stores.dev.type: must not be empty", error("[stores.dev]\ntype = \" \"\n"));
    assertEquals(
        file() + ": extra_features[0]: needs at least one of projects, keys, all",
        error("[[extra_features]]\n"));
    String key = error("[[extra_features]]\nkeys = [\"ok/key\", \"Bad Key\"]\n");
    assertTrue(key.startsWith(file() + ": extra_features[0].keys[1]: "), key);
  }

  @Test
  void unknownStoreNamesListTheAvailableOnes() {
    MetaxyConfig c = load("[stores.dev]\ntype = \"duckdb\"\n[stores.staging]\ntype = \"duckdb\"\n");
    ConfigException e = assertThrows(ConfigException.class, () -> c.storeConfig("prod"));
    assertEquals(
        "Store 'prod' not found in config. Available stores: ['dev', 'staging']\nConfig file: "
            + file() + "\nNote: METAXY_* environment variables can override config file settings",
        e.getMessage());
    assertEquals("dev", c.defaultStoreConfig().name());
    ConfigException none =
        assertThrows(ConfigException.class, () -> MetaxyConfig.defaults().defaultStoreConfig());
    assertTrue(none.getMessage().startsWith("No Metaxy stores available."), none.getMessage());
  }

  @Test
  void storeKindParsing() {
    assertEquals(StoreKind.DUCKDB, StoreKind.of(" duckdb "));
    assertEquals(
        StoreKind.DUCKDB, StoreKind.of("metaxy.ext.metadata_stores.duckdb.DuckDBMetadataStore"));
    assertEquals(StoreKind.POSTGRES, StoreKind.of("PostgreSQL"));
    assertEquals(StoreKind.CLASS, StoreKind.of("metaxy.ext.duckdb.duckdbmetadatastore"));
    assertEquals(
        StoreKind.ICEBERG, StoreKind.of("metaxy.ext.polars.handlers.iceberg.IcebergMetadataStore"));
    assertEquals(StoreKind.DELTA, StoreKind.of("Delta"));
    assertEquals("duckdb", StoreKind.DUCKDB.shortName());
  }
}
