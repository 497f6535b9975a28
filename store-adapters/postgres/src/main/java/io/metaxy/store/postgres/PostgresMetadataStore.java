package io.metaxy.store.postgres;

import io.metaxy.FeatureKey;
import io.metaxy.store.LayoutConversion;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.spi.ByFieldLayout;
import java.util.Optional;

/**
 * A metadata store in a PostgreSQL database. One table per feature in the connection's current schema
 * ({@code video__raw}, after an optional table prefix), laid out as the Python reference's PostgreSQL
 * store lays it out: by-field columns are {@code jsonb} objects (read back as structs), strings {@code
 * varchar}, timestamps {@code timestamptz}. Provenance is computed in the JVM (default hash xxhash32), so the server needs
 * no extension. Every append is one transaction streamed with {@code COPY}; reads push the version
 * filter and the latest-row-per-id deduplication into SQL.
 *
 * <p>Several processes may read and write the same database at once (appends never update rows).
 */
public final class PostgresMetadataStore extends MetadataStore implements LayoutConversion {
  /** A store on a connection string ({@code jdbc:postgresql://...} or {@code postgresql://user:pw@host/db}). */
  public PostgresMetadataStore(StoreOptions options, String connectionString) {
    this(options, PostgresStoreConfig.of(connectionString));
  }

  /** A store with these connection settings. */
  public PostgresMetadataStore(StoreOptions options, PostgresStoreConfig config) {
    super(options, new PostgresConnector(config));
  }

  /** The connection settings. */
  public PostgresStoreConfig config() {
    return ((PostgresConnector) connector()).config();
  }

  /** Switches between COPY (default) and batched INSERTs, for the append benchmark. */
  void appendMethod(PostgresBackend.AppendMethod m) {
    ((PostgresConnector) connector()).appendMethod(m);
  }

  /** {@link ByFieldLayout#STRUCT} for every table: JSON objects, which the reference reads as structs. */
  @Override
  public Optional<ByFieldLayout> byFieldLayout(FeatureKey key) {
    return layoutConversion().orElseThrow().byFieldLayout(key);
  }

  /**
   * Drops the append-order column {@code _metaxy_seq} that tables created by earlier versions of this
   * store have, which leaves the reference's layout (by-field columns are JSON objects either way).
   *
   * @throws UnsupportedOperationException for {@link ByFieldLayout#MAP}: PostgreSQL has no map type,
   *     and the reference stores JSON objects whatever its {@code enable_map_datatype}
   */
  @Override
  public long convertLayout(FeatureKey key, ByFieldLayout byField) {
    return layoutConversion().orElseThrow().convertLayout(key, byField);
  }
}
