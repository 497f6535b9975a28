package io.metaxy.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.config.ConfigException;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.StoreOptions;
import io.metaxy.versioning.HashAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection-string handling; needs no server. */
class PostgresStoreConfigTest {
  @TempDir
  Path tmp;

  @Test
  void jdbcUrlIsKeptAsIs() {
    PostgresStoreConfig c =
        PostgresStoreConfig.of("jdbc:postgresql://db:5433/meta?sslmode=require");
    assertEquals("jdbc:postgresql://db:5433/meta?sslmode=require", c.jdbcUrl());
    assertTrue(c.driverProperties().isEmpty());
  }

  @Test
  void libpqUrlBecomesJdbcUrlWithCredentialsAsProperties() {
    PostgresStoreConfig c = PostgresStoreConfig.of(
        "postgresql://alice:p%40ss:w@db.example:5433/metadata?sslmode=require");
    assertEquals("jdbc:postgresql://db.example:5433/metadata?sslmode=require", c.jdbcUrl());
    Properties p = c.driverProperties();
    assertEquals("alice", p.getProperty("user"));
    assertEquals("p@ss:w", p.getProperty("password"));
    assertEquals(
        "jdbc:postgresql://localhost/postgres",
        PostgresStoreConfig.of("postgres://localhost").jdbcUrl());
  }

  @Test
  void connectionParamsBuildTheUrlWhenThereIsNoConnectionString() {
    PostgresStoreConfig c = new PostgresStoreConfig(
        null,
        Map.of(
            "host", "h", "port", "6543", "dbname", "d", "user", "u", "options", "-c search_path=x"),
        "",
        true);
    assertEquals("jdbc:postgresql://h:6543/d", c.jdbcUrl());
    Properties p = c.driverProperties();
    assertEquals("u", p.getProperty("user"));
    assertEquals("-c search_path=x", p.getProperty("options"));
    assertFalse(p.containsKey("host"));
  }

  @Test
  void badInputNamesTheSetting() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class,
        () -> PostgresStoreConfig.of("mysql://u:secret@h/db").jdbcUrl());
    assertTrue(
        e.getMessage().contains("connection_string") && !e.getMessage().contains("secret"),
        e.getMessage());
    e = assertThrows(
        IllegalArgumentException.class, () -> new PostgresStoreConfig(null, Map.of(), "", true));
    assertTrue(e.getMessage().contains("connection_string"), e.getMessage());
  }

  private PostgresStoreConfig fromToml(String storeToml) throws Exception {
    Files.writeString(tmp.resolve("metaxy.toml"), storeToml);
    MetaxyConfig c =
        MetaxyConfig.loader().workingDirectory(tmp).environment(Map.of()).load();
    return PostgresStoreConfig.from(c.storeConfig("pg"));
  }

  @Test
  void readsTheStoreConfigTable() throws Exception {
    PostgresStoreConfig c = fromToml("""
        [stores.pg]
        type = "postgres"
        config = { connection_string = "postgresql://u:pw@h:5433/d", table_prefix = "dev_", \
        auto_cast_struct_for_jsonb = false, connection_params = { sslmode = "require" }, hash_algorithm = "md5" }
        """);
    assertEquals("jdbc:postgresql://h:5433/d", c.jdbcUrl());
    assertEquals("dev_", c.tablePrefix());
    assertFalse(c.autoCastStructForJsonb());
    assertEquals("require", c.driverProperties().getProperty("sslmode"));
    assertEquals("pw", c.driverProperties().getProperty("password"));
    assertTrue(
        fromToml(
                "[stores.pg]\ntype = \"postgres\"\nconfig = { connection_string = \"postgresql://h/d\" }\n")
            .autoCastStructForJsonb(),
        "auto_cast_struct_for_jsonb defaults to true");
  }

  @Test
  void unknownConfigKeysAreNamed() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromToml("""
        [stores.pg]
        type = "postgres"
        config = { connection_string = "postgresql://h/d", databse = "x" }
        """));
    assertTrue(e.getMessage().contains("databse"), e.getMessage());
  }

  @Test
  void defaultHashIsXxhash32() {
    PostgresMetadataStore s =
        new PostgresMetadataStore(StoreOptions.of(FeatureGraph.of(List.of())), "postgresql://h/d");
    assertEquals(HashAlgorithm.XXHASH32, s.hashAlgorithm());
    assertEquals("PostgresMetadataStore(url=jdbc:postgresql://h/d)", s.display());
  }

  @Test
  void passwordsAreRedacted() {
    assertEquals("postgresql://u:***@h/db", PostgresStoreConfig.redact("postgresql://u:pw@h/db"));
    assertEquals(
        "jdbc:postgresql://h/db?user=u&password=***&ssl=true",
        PostgresStoreConfig.redact("jdbc:postgresql://h/db?user=u&password=pw&ssl=true"));
    assertFalse(PostgresStoreConfig.of("postgresql://u:pw@h/db").toString().contains("pw"));
  }
}
