package io.metaxy.store.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.config.ConfigException;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.Stores;
import io.metaxy.store.SystemTables;
import io.metaxy.store.support.ArrowBatches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type = "iceberg"} through the store factory. */
@SuppressWarnings("try") // store scopes are held open, not referenced
class IcebergStoreProviderTest {
  @TempDir
  Path dir;

  private MetaxyConfig config(String toml) throws IOException {
    Files.writeString(dir.resolve("metaxy.toml"), toml);
    return MetaxyConfig.loader()
        .workingDirectory(dir)
        .configFile(dir.resolve("metaxy.toml"))
        .environment(Map.of())
        .load();
  }

  @Test
  void typeNamesResolve() {
    for (String t : List.of(
        "iceberg",
        "Iceberg",
        "metaxy.ext.polars.handlers.iceberg.IcebergMetadataStore",
        "metaxy.ext.polars.IcebergMetadataStore",
        IcebergMetadataStore.class.getName())) {
      assertInstanceOf(IcebergStoreProvider.class, Stores.provider(t).orElseThrow(), t);
    }
  }

  /** The example of docs/stores.md, "Iceberg store": a local warehouse and a PostgreSQL catalog. */
  static final String DOCS_EXAMPLE = """
      [stores.dev]
      type = "metaxy.ext.polars.handlers.iceberg.IcebergMetadataStore"
      [stores.dev.config]
      warehouse = "lake"            # relative to this file; the catalog is lake/catalog.db (SQLite)
      namespace = "features"        # default "metaxy"

      [stores.prod]
      type = "iceberg"
      [stores.prod.config]
      warehouse = "s3://bucket/warehouse"
      catalog_name = "prod"
      auto_create_namespace = false
      [stores.prod.config.catalog_properties]
      type = "jdbc"
      uri = "jdbc:postgresql://db.example:5432/catalog"
      "jdbc.user" = "metaxy"
      "jdbc.password" = "secret"
      "s3.endpoint" = "http://127.0.0.1:9000"
      "s3.path-style-access" = "true"
      """;

  @Test
  void theDocumentedConfigurationLoads() throws IOException {
    MetaxyConfig c = config(DOCS_EXAMPLE);
    MetadataStore dev = Stores.open(c, "dev");
    IcebergConnector d = (IcebergConnector) dev.connector();
    assertEquals(dir.resolve("lake").toString(), d.warehouse());
    assertEquals("features", d.namespace());
    assertEquals("metaxy", d.catalogName());
    assertEquals(
        Map.of(
            "type",
            "jdbc",
            "uri",
            "jdbc:sqlite:" + dir.resolve("lake") + "/catalog.db",
            "warehouse",
            "file://" + dir.resolve("lake"),
            "jdbc.busy_timeout",
            "30000"),
        d.effectiveProperties());
    assertEquals(
        "[dev] IcebergMetadataStore(warehouse=" + dir.resolve("lake") + ")", dev.toString());

    MetadataStore prod = Stores.open(c, "prod");
    IcebergConnector p = (IcebergConnector) prod.connector();
    assertEquals("s3://bucket/warehouse", p.warehouse());
    assertEquals("prod", p.catalogName());
    assertEquals("s3://bucket/warehouse", p.effectiveProperties().get("warehouse"));
    assertEquals(
        "jdbc:postgresql://db.example:5432/catalog", p.effectiveProperties().get("uri"));
    assertFalse(prod.toString().contains("secret"), prod.toString());
  }

  @Test
  void referenceStyleSqlCatalogPropertiesAreTranslated() throws IOException {
    Path wh = dir.resolve("wh");
    MetaxyConfig c = config("""
        [stores.ref]
        type = "iceberg"
        [stores.ref.config]
        warehouse = "wh"
        [stores.ref.config.catalog_properties]
        type = "sql"
        uri = "sqlite:///%s/catalog.db"
        """.formatted(wh));
    Map<String, String> p =
        ((IcebergConnector) Stores.open(c, "ref").connector()).effectiveProperties();
    assertEquals("jdbc", p.get("type"));
    assertEquals("jdbc:sqlite:" + wh + "/catalog.db", p.get("uri"));
    assertEquals("file://" + wh, p.get("warehouse"));
  }

  /** One root feature {@code a/b} with a {@code sample_uid} id and one field. */
  private static FeatureGraph oneFeature() {
    return FeatureGraph.fromJson("""
        {"features": [{"project": "p", "spec": {"key": "a/b", "id_columns": ["sample_uid"],
          "fields": [{"key": "default", "code_version": "1"}]}}]}""");
  }

  @Test
  void aStoreBuiltFromConfigWritesItsWarehouse() throws IOException {
    MetaxyConfig c = config("""
        auto_create_tables = true
        [stores.dev]
        type = "iceberg"
        [stores.dev.config]
        warehouse = "lake"
        """);
    FeatureGraph g = oneFeature();
    // Reading a warehouse that does not exist says so (rather than creating an empty one).
    try (MetadataStore s = Stores.open(c, "dev", g)) {
      String m = assertThrows(StoreUnavailableException.class, () -> s.open(AccessMode.READ))
          .getMessage();
      assertTrue(m.contains(dir.resolve("lake").toString()) && m.contains("does not exist"), m);
    }
    String pv;
    try (MetadataStore s = Stores.open(c, "dev", g);
        var scope = s.open(AccessMode.WRITE)) {
      pv = new SystemTables(s).pushGraphSnapshot("p", Map.of()).projectVersion();
    }
    assertTrue(Files.exists(dir.resolve("lake/catalog.db")));
    assertTrue(Files.isDirectory(dir.resolve("lake/metaxy.db/metaxy_system__feature_versions")));
    try (MetadataStore s = Stores.open(c, "dev");
        var scope = s.open(AccessMode.READ)) {
      assertEquals(1, new SystemTables(s).loadSnapshot(pv).size());
    }
  }

  private static VectorSchemaRoot oneRow(MetadataStore s) {
    return ArrowBatches.of(
        List.of(
            ArrowBatches.strings("sample_uid", List.of("1"), s.allocator()),
            ArrowBatches.byFieldStruct(
                "metaxy_provenance_by_field",
                List.of("default"),
                List.of(Map.of("default", "h")),
                s.allocator())),
        1);
  }

  /** The embedded DuckDB's settings: applied to the engine, checked when it opens. */
  @Test
  void duckdbConfigReachesTheEngine() throws IOException {
    FeatureGraph g = oneFeature();
    MetaxyConfig c = config("""
        auto_create_tables = true
        [stores.dev]
        type = "iceberg"
        [stores.dev.config]
        warehouse = "lake"
        duckdb_config = { memory_limit = "512MB", threads = 1 }
        [stores.bad]
        type = "iceberg"
        [stores.bad.config]
        warehouse = "lake2"
        duckdb_config = { no_such_setting = "x" }
        """);
    FeatureKey key = FeatureKey.of("a/b");
    try (MetadataStore s = Stores.open(c, "dev", g)) {
      assertEquals(
          Map.of("memory_limit", "512MB", "threads", "1"),
          ((IcebergConnector) s.connector()).duckdbConfig());
      try (var scope = s.open(AccessMode.WRITE);
          VectorSchemaRoot row = oneRow(s)) {
        s.write(key, row);
        try (VectorSchemaRoot back = s.read(key)) {
          assertEquals(1, back.getRowCount());
        }
      }
    }
    try (MetadataStore s = Stores.open(c, "bad", g)) {
      String m =
          assertThrows(RuntimeException.class, () -> s.open(AccessMode.WRITE)).getMessage();
      assertTrue(m.contains("no_such_setting"), m);
    }
    assertFalse(Files.exists(dir.resolve("lake2")), "nothing created");
  }

  @Test
  void badSettingsAreNamed() throws IOException {
    MetaxyConfig noWarehouse = config("""
        [stores.x]
        type = "iceberg"
        [stores.x.config]
        namespace = "n"
        """);
    String m =
        assertThrows(ConfigException.class, () -> Stores.open(noWarehouse, "x")).getMessage();
    assertTrue(m.contains("warehouse") && m.contains("required"), m);
    MetaxyConfig badProperty = config("""
        [stores.x]
        type = "iceberg"
        [stores.x.config]
        warehouse = "w"
        catalog_properties = { "s3.path-style-access" = true }
        """);
    m = assertThrows(ConfigException.class, () -> Stores.open(badProperty, "x")).getMessage();
    assertTrue(m.contains("catalog_properties.s3.path-style-access") && m.contains("string"), m);
    MetaxyConfig badDuckDb = config("""
        [stores.x]
        type = "iceberg"
        [stores.x.config]
        warehouse = "w"
        duckdb_config = { threads = [1] }
        """);
    m = assertThrows(ConfigException.class, () -> Stores.open(badDuckDb, "x")).getMessage();
    assertTrue(m.contains("duckdb_config.threads"), m);
  }
}
