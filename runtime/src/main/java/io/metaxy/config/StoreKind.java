package io.metaxy.config;

import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The store implementation a {@code [stores.<name>]} entry asks for. The {@code type} string is a short
 * name ({@code duckdb}, {@code memory}, {@code postgres}, {@code iceberg}, {@code delta}), an upstream Python class path (accepted as an
 * alias so one {@code metaxy.toml} serves both implementations), or a Java class name.
 */
public enum StoreKind {
  /** Embedded DuckDB. */
  DUCKDB(
      "duckdb",
      Set.of(
          "metaxy.ext.duckdb.DuckDBMetadataStore",
          "metaxy.ext.duckdb.metadata_store.DuckDBMetadataStore",
          "metaxy.ext.metadata_stores.duckdb.DuckDBMetadataStore"),
      Set.of("database", "config", "extensions", "ducklake")),
  /** The Arrow-backed in-memory store (no upstream equivalent). */
  MEMORY("memory", Set.of(), Set.of()),
  /** PostgreSQL. */
  POSTGRES(
      "postgres",
      Set.of(
          "postgresql",
          "metaxy.ext.postgresql.PostgreSQLMetadataStore",
          "metaxy.ext.postgresql.metadata_store.PostgreSQLMetadataStore",
          "metaxy.ext.metadata_stores.postgresql.PostgreSQLMetadataStore"),
      Set.of(
          "connection_string", "connection_params", "table_prefix", "auto_cast_struct_for_jsonb")),
  /** Apache Iceberg tables in a catalog ({@code metaxy-store-iceberg}). */
  ICEBERG(
      "iceberg",
      Set.of(
          "metaxy.ext.polars.handlers.iceberg.IcebergMetadataStore",
          "metaxy.ext.polars.IcebergMetadataStore",
          "metaxy.ext.iceberg.IcebergMetadataStore",
          "metaxy.ext.metadata_stores.iceberg.IcebergMetadataStore"),
      Set.of(
          "warehouse",
          "namespace",
          "catalog_name",
          "catalog_properties",
          "auto_create_namespace",
          "duckdb_config")),
  /** Delta Lake tables under a root path ({@code metaxy-store-delta}). */
  DELTA(
      "delta",
      Set.of(
          "metaxy.ext.polars.handlers.delta.DeltaMetadataStore",
          "metaxy.ext.polars.DeltaMetadataStore",
          "metaxy.ext.delta.DeltaMetadataStore",
          "metaxy.ext.metadata_stores.delta.DeltaMetadataStore"),
      Set.of("root_path", "storage_options", "layout", "delta_write_options", "duckdb_config")),
  /**
   * Any other {@code type}: a fully qualified class name, resolved by the store factory. Other upstream
   * Python classes (ClickHouse, ...) land here too and fail there, like a missing import upstream.
   */
  CLASS("class", Set.of(), null);

  private final String shortName;
  private final Set<String> aliases;
  private final @Nullable Set<String> backendKeys;

  StoreKind(String shortName, Set<String> aliases, @Nullable Set<String> backendKeys) {
    this.shortName = shortName;
    this.aliases = aliases;
    this.backendKeys = backendKeys;
  }

  /**
   * The backend keys a store of this kind accepts in {@code config}, besides {@link
   * StoreConfig#COMMON_KEYS} (the reference's config model for the backend, which forbids others);
   * empty for {@link #CLASS}, whose keys only its provider knows. The built-in providers answer {@code
   * StoreProvider.configKeys()} with this set, and the configuration rejects other keys when it loads.
   */
  public Optional<Set<String>> backendKeys() {
    return Optional.ofNullable(backendKeys);
  }

  /** The short name used in {@code type} ({@code "duckdb"}...); {@code "class"} for {@link #CLASS}. */
  public String shortName() {
    return shortName;
  }

  /** The kind a {@code type} string names; short names are case-insensitive, class paths are not. */
  public static StoreKind of(String type) {
    String t = type.trim();
    for (StoreKind k : values()) {
      if (k == CLASS) {
        continue;
      }
      if (k.shortName.equalsIgnoreCase(t)) {
        return k;
      }
      for (String alias : k.aliases) {
        if (alias.contains(".") ? alias.equals(t) : alias.equalsIgnoreCase(t)) {
          return k;
        }
      }
    }
    return CLASS;
  }
}
