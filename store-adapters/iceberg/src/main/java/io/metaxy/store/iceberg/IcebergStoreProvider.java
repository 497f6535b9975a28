package io.metaxy.store.iceberg;

import io.metaxy.config.StoreConfig;
import io.metaxy.config.StoreKind;
import io.metaxy.store.duckdb.DuckDbSettings;
import io.metaxy.store.spi.StoreConnector;
import io.metaxy.store.spi.StoreProvider;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code type = "iceberg"} (or the upstream {@code metaxy.ext.polars.handlers.iceberg.IcebergMetadataStore}):
 * an {@link IcebergMetadataStore}. Settings as the reference's: {@code warehouse} (required; a local
 * path relative to the config file's directory, or a URI), {@code namespace} and {@code catalog_name}
 * (default {@code metaxy}), {@code catalog_properties} (a table of strings), {@code
 * auto_create_namespace} (default true); and, this implementation's own, {@code duckdb_config} (a table
 * of settings for the embedded DuckDB that writes and reads the data files, e.g. {@code memory_limit}).
 * Building it does not connect.
 */
public final class IcebergStoreProvider implements StoreProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public IcebergStoreProvider() {}

  @Override
  public String type() {
    return "iceberg";
  }

  @Override
  public Set<String> aliases() {
    return Set.of(
        "metaxy.ext.polars.handlers.iceberg.IcebergMetadataStore",
        "metaxy.ext.polars.IcebergMetadataStore",
        "metaxy.ext.iceberg.IcebergMetadataStore",
        "metaxy.ext.metadata_stores.iceberg.IcebergMetadataStore",
        IcebergMetadataStore.class.getName());
  }

  @Override
  public Set<String> configKeys() {
    return StoreKind.ICEBERG.backendKeys().orElseThrow();
  }

  @Override
  public StoreConnector create(StoreConfig config, Path baseDirectory) {
    String warehouse = config
        .string("warehouse")
        .orElseThrow(() -> config.error("warehouse", "is required (a directory or URI)"));
    if (warehouse.isBlank()) {
      throw config.error("warehouse", "must not be empty");
    }
    if (!warehouse.contains("://")) {
      warehouse = baseDirectory.resolve(warehouse).normalize().toString();
    }
    Map<String, String> props = null;
    var table = config.table("catalog_properties");
    if (table.isPresent()) {
      props = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : table.get().entrySet()) {
        if (!(e.getValue() instanceof String s)) {
          throw config.error(
              "catalog_properties." + e.getKey(), "must be a string, got " + e.getValue());
        }
        props.put(e.getKey(), s);
      }
    }
    return new IcebergConnector(
            warehouse,
            config.string("namespace").orElse(IcebergMetadataStore.DEFAULT_NAMESPACE),
            config.string("catalog_name").orElse(IcebergMetadataStore.DEFAULT_NAMESPACE),
            props,
            config.bool("auto_create_namespace").orElse(true))
        .duckdbConfig(DuckDbSettings.of(config, "duckdb_config"));
  }
}
