package io.metaxy.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.config.ConfigException;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type = "postgres"} through the store factory (building only: no server needed). */
class PostgresStoreProviderTest {
  @TempDir
  Path dir;

  @Test
  void typeNamesAndSettingsResolve() throws IOException {
    for (String t : List.of(
        "postgres",
        "postgresql",
        "metaxy.ext.postgresql.PostgreSQLMetadataStore",
        PostgresMetadataStore.class.getName())) {
      assertInstanceOf(PostgresStoreProvider.class, Stores.provider(t).orElseThrow(), t);
    }
    Files.writeString(dir.resolve("metaxy.toml"), """
        [stores.pg]
        type = "metaxy.ext.postgresql.PostgreSQLMetadataStore"
        [stores.pg.config]
        connection_string = "postgresql://u:secret@db.example:5433/meta"
        table_prefix = "mx_"
        """);
    MetaxyConfig c =
        MetaxyConfig.loader().workingDirectory(dir).environment(Map.of()).load();
    MetadataStore pg = Stores.open(c, "pg");
    assertInstanceOf(PostgresConnector.class, pg.connector());
    assertEquals("mx_", ((PostgresConnector) pg.connector()).config().tablePrefix());
    assertTrue(
        pg.toString()
            .startsWith("[pg] PostgresMetadataStore(url=jdbc:postgresql://db.example:5433/meta"),
        pg.toString());
    assertTrue(!pg.toString().contains("secret"), pg.toString());
    // An unknown setting fails when the configuration loads, before any store is built.
    Files.writeString(dir.resolve("metaxy.toml"), """
        [stores.bad]
        type = "postgres"
        [stores.bad.config]
        connection_string = "postgresql://h/db"
        tabel_prefix = "x_"
        """);
    String m = assertThrows(
            ConfigException.class,
            () -> MetaxyConfig.loader()
                .workingDirectory(dir)
                .environment(Map.of())
                .load())
        .getMessage();
    assertTrue(
        m.startsWith(dir.resolve("metaxy.toml")
                + ": stores.bad.config.tabel_prefix: unknown key for a store"
                + " of type \"postgres\"")
            && m.endsWith("; did you mean \"table_prefix\"?"),
        m);
  }
}
