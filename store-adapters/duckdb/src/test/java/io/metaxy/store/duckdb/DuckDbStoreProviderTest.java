package io.metaxy.store.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.config.ConfigException;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.Stores;
import io.metaxy.store.SystemTables;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type = "duckdb"} through the store factory. */
class DuckDbStoreProviderTest {
  @TempDir
  Path dir;

  private MetaxyConfig config(Path at, String toml) throws IOException {
    Files.createDirectories(at);
    Files.writeString(at.resolve("metaxy.toml"), toml);
    return MetaxyConfig.loader()
        .workingDirectory(dir)
        .configFile(at.resolve("metaxy.toml"))
        .environment(Map.of())
        .load();
  }

  @Test
  void pythonClassNameShortNameAndJavaClassAllResolve() {
    for (String t : List.of(
        "duckdb",
        "DuckDB",
        "metaxy.ext.duckdb.DuckDBMetadataStore",
        DuckDbMetadataStore.class.getName())) {
      assertInstanceOf(DuckDbStoreProvider.class, Stores.provider(t).orElseThrow(), t);
    }
  }

  @Test
  void databaseIsRelativeToTheConfigFileAndDefaultsUnderDotMetaxy() throws IOException {
    Path project = dir.resolve("project");
    MetaxyConfig c = config(project, """
        [stores.dev]
        type = "metaxy.ext.duckdb.DuckDBMetadataStore"
        [stores.dev.config]
        database = "data/meta.duckdb"
        [stores.plain]
        type = "duckdb"
        [stores.mem]
        type = "duckdb"
        [stores.mem.config]
        database = ":memory:"
        """);
    MetadataStore dev = Stores.open(c, "dev");
    assertEquals(
        project.resolve("data/meta.duckdb").toString(),
        ((DuckDbConnector) dev.connector()).database());
    assertEquals(
        project.resolve(".metaxy/metadata.duckdb").toString(),
        ((DuckDbConnector) Stores.open(c, "plain").connector()).database());
    assertEquals(":memory:", ((DuckDbConnector) Stores.open(c, "mem").connector()).database());
    assertTrue(dev.toString().startsWith("[dev] DuckDbMetadataStore(database="), dev.toString());
  }

  @Test
  void storeBuiltFromConfigPersistsSystemTables() throws IOException {
    MetaxyConfig c = config(dir, """
        auto_create_tables = true
        [stores.dev]
        type = "duckdb"
        [stores.dev.config]
        database = "m.duckdb"
        """);
    FeatureGraph g = FeatureGraph.fromJson("""
        {"features": [{"project": "p", "spec": {"key": "a/b", "id_columns": ["sample_uid"],
          "fields": [{"key": "default", "code_version": "1"}]}}]}""");
    String pv;
    try (MetadataStore s = Stores.open(c, "dev", g);
        var scope = s.open(AccessMode.WRITE)) {
      pv = new SystemTables(s).pushGraphSnapshot("p", Map.of()).projectVersion();
    }
    assertTrue(Files.exists(dir.resolve("m.duckdb")));
    try (MetadataStore s = Stores.open(c, "dev");
        var scope = s.open(AccessMode.READ)) {
      assertEquals(1, new SystemTables(s).loadSnapshot(pv).size());
    }
  }

  @Test
  void duckDbSettingsFromConfigReachEveryConnection() throws IOException {
    MetaxyConfig c = config(dir, """
        [stores.dev]
        type = "duckdb"
        [stores.dev.config]
        database = "s.duckdb"
        config = { threads = 1, memory_limit = "300MB", preserve_insertion_order = false }
        [stores.unknown]
        type = "duckdb"
        [stores.unknown.config]
        database = "u.duckdb"
        config = { not_a_duckdb_setting = 1 }
        [stores.nested]
        type = "duckdb"
        [stores.nested.config]
        config = { threads = [1, 2] }
        """);
    MetadataStore store = Stores.open(c, "dev");
    DuckDbConnector dev = (DuckDbConnector) store.connector();
    assertEquals(
        Map.of("threads", "1", "memory_limit", "300MB", "preserve_insertion_order", "false"),
        dev.settings());
    for (AccessMode mode : List.of(AccessMode.WRITE, AccessMode.READ)) {
      DuckDbBackend b = (DuckDbBackend)
          dev.connect(new ConnectRequest(mode == AccessMode.READ, "dev", false, store.allocator()));
      try {
        assertEquals("1", b.currentSetting("threads"), mode.toString());
        assertEquals("false", b.currentSetting("preserve_insertion_order"), mode.toString());
      } finally {
        b.close();
      }
    }
    MetadataStore unknown = Stores.open(c, "unknown");
    String m = assertThrows(StoreUnavailableException.class, () -> unknown.open(AccessMode.WRITE))
        .getMessage();
    assertTrue(m.contains("not_a_duckdb_setting"), m);
    m = assertThrows(ConfigException.class, () -> Stores.open(c, "nested")).getMessage();
    assertTrue(
        m.contains("stores.nested.config.config.threads")
            && m.contains("string, number or boolean"),
        m);
  }

  @Test
  void concurrentReadersGetTheSessionSettingsToo() throws Exception {
    Path file = dir.resolve("zones.duckdb");
    DuckDbMetadataStore s = new DuckDbMetadataStore(
        StoreOptions.of(FeatureGraph.of(List.of())), file.toString(), Map.of("threads", "1"));
    DuckDbBackend main = (DuckDbBackend)
        s.connector().connect(new ConnectRequest(false, null, false, s.allocator()));
    // A database-wide zone other than UTC (set through another connection to the same instance):
    // every session of the store must still export timestamps in UTC.
    Properties p = new Properties();
    p.setProperty("jdbc_stream_results", "true");
    p.setProperty("threads", "1");
    try (Connection other = DriverManager.getConnection("jdbc:duckdb:" + file, p);
        Statement st = other.createStatement()) {
      st.execute("SET GLOBAL TimeZone = 'Asia/Tokyo'");
      DuckDbBackend reader = (DuckDbBackend) main.concurrentReader();
      try {
        assertEquals("UTC", main.currentSetting("TimeZone"));
        assertEquals("UTC", reader.currentSetting("TimeZone"));
        assertEquals("1", reader.currentSetting("threads"));
      } finally {
        reader.close();
      }
    } finally {
      main.close();
    }
  }

  @Test
  void badSettingsNameTheKey() throws IOException {
    MetaxyConfig c = config(dir, """
        [stores.a]
        type = "duckdb"
        [stores.a.config]
        extensions = ["hashfuncs"]
        [stores.b]
        type = "duckdb"
        [stores.b.config]
        database = ""
        """);
    String m = assertThrows(ConfigException.class, () -> Stores.open(c, "a")).getMessage();
    assertTrue(m.contains("stores.a.config.extensions") && m.contains("not supported"), m);
    m = assertThrows(ConfigException.class, () -> Stores.open(c, "b")).getMessage();
    assertTrue(m.contains("stores.b.config.database") && m.contains("must not be empty"), m);
  }

  @Test
  void aMistypedSettingFailsWhenTheConfigurationLoads() {
    ConfigException e = assertThrows(ConfigException.class, () -> config(dir, """
        [stores.dev]
        type = "duckdb"
        [stores.dev.config]
        databse = "x.duckdb"
        """));
    assertEquals(
        dir.resolve("metaxy.toml") + ": stores.dev.config.databse: unknown key for a store of type"
            + " \"duckdb\" (known keys: auto_create_tables, config, database, ducklake, extensions, fallback_stores,"
            + " hash_algorithm, materialization_id, versioning_engine); did you mean \"database\"?",
        e.getMessage());
  }
}
