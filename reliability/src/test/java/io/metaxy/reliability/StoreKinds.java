package io.metaxy.reliability;

import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.delta.DeltaMetadataStore;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import io.metaxy.store.iceberg.IcebergMetadataStore;
import io.metaxy.store.postgres.PostgresMetadataStore;
import java.nio.file.Path;
import java.util.Map;

/** The stores a child process can write to, by the kind name its arguments give. */
final class StoreKinds {
  private StoreKinds() {}

  /**
   * A store of {@code kind} at {@code location}: a DuckDB file, a PostgreSQL JDBC URL, an Iceberg
   * warehouse directory (the reference's default SQLite catalog in it) or a Delta root directory.
   * {@code settings} are DuckDB settings; other kinds take none.
   */
  static MetadataStore open(
      String kind, String location, Map<String, String> settings, StoreOptions options) {
    if (!kind.equals("duckdb") && !settings.isEmpty()) {
      throw new IllegalArgumentException(kind + " takes no settings: " + settings);
    }
    return switch (kind) {
      case "duckdb" -> new DuckDbMetadataStore(options, location, settings);
      case "postgres" -> new PostgresMetadataStore(options, location);
      case "iceberg" -> new IcebergMetadataStore(options, location);
      case "delta" -> new DeltaMetadataStore(options, Path.of(location));
      default -> throw new IllegalArgumentException("unknown store kind " + kind);
    };
  }
}
