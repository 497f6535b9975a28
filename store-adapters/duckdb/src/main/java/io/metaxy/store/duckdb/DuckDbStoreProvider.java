package io.metaxy.store.duckdb;

import io.metaxy.config.StoreConfig;
import io.metaxy.config.StoreKind;
import io.metaxy.store.spi.StoreConnector;
import io.metaxy.store.spi.StoreProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code type = "duckdb"} (or the upstream {@code metaxy.ext.duckdb.DuckDBMetadataStore}): a {@link
 * DuckDbMetadataStore}. Setting: {@code database}, a file path relative to the config file's directory
 * (default {@value DuckDbMetadataStore#DEFAULT_DATABASE}) or {@code :memory:}. The upstream settings
 * {@code config} is a table of DuckDB settings applied to every connection ({@code memory_limit},
 * {@code threads}, ...; values are strings, numbers or booleans). {@code extensions} and {@code ducklake}
 * are rejected by name: this store does not implement them.
 */
public final class DuckDbStoreProvider implements StoreProvider {
  private static final List<String> UNSUPPORTED = List.of("extensions", "ducklake");

  /** Used by {@link java.util.ServiceLoader}. */
  public DuckDbStoreProvider() {}

  @Override
  public String type() {
    return "duckdb";
  }

  @Override
  public Set<String> aliases() {
    return Set.of(
        "metaxy.ext.duckdb.DuckDBMetadataStore",
        "metaxy.ext.duckdb.metadata_store.DuckDBMetadataStore",
        "metaxy.ext.metadata_stores.duckdb.DuckDBMetadataStore",
        DuckDbMetadataStore.class.getName());
  }

  @Override
  public Set<String> configKeys() {
    return StoreKind.DUCKDB.backendKeys().orElseThrow();
  }

  @Override
  public StoreConnector create(StoreConfig config, Path baseDirectory) {
    for (String key : UNSUPPORTED) {
      if (config.config().containsKey(key)) {
        throw config.error(key, "not supported by the Java DuckDB store");
      }
    }
    String database = config.string("database").orElse(DuckDbMetadataStore.DEFAULT_DATABASE);
    if (database.isBlank()) {
      throw config.error(
          "database", "must not be empty (use \":memory:\" for an in-memory database)");
    }
    if (!database.equals(DuckDbMetadataStore.MEMORY)) {
      database = baseDirectory.resolve(database).normalize().toString();
    }
    return new DuckDbConnector(database, DuckDbSettings.of(config, "config"));
  }
}
