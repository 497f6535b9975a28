package io.metaxy.store.postgres;

import io.metaxy.FeatureKey;
import io.metaxy.store.AccessMode;
import io.metaxy.store.ByFieldLayout;
import io.metaxy.store.FeatureNotFoundException;
import io.metaxy.store.LayoutConversion;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.versioning.HashAlgorithm;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
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
  private final PostgresStoreConfig config;
  private PostgresBackend.AppendMethod appendMethod = PostgresBackend.AppendMethod.COPY;

  /** A store on a connection string ({@code jdbc:postgresql://...} or {@code postgresql://user:pw@host/db}). */
  public PostgresMetadataStore(StoreOptions options, String connectionString) {
    this(options, PostgresStoreConfig.of(connectionString));
  }

  /** A store with these connection settings. */
  public PostgresMetadataStore(StoreOptions options, PostgresStoreConfig config) {
    super(options, HashAlgorithm.XXHASH32);
    this.config = config;
    config.jdbcUrl(); // reject a malformed connection string now, not at the first open
  }

  /** The connection settings. */
  public PostgresStoreConfig config() {
    return config;
  }

  /** Switches between COPY (default) and batched INSERTs, for the append benchmark. */
  void appendMethod(PostgresBackend.AppendMethod m) {
    this.appendMethod = m;
  }

  @Override
  public String display() {
    return "PostgresMetadataStore(url=" + PostgresStoreConfig.redact(config.jdbcUrl())
        + (config.tablePrefix().isEmpty() ? "" : ", table_prefix=" + config.tablePrefix()) + ")";
  }

  /** {@link ByFieldLayout#STRUCT} for every table: JSON objects, which the reference reads as structs. */
  @Override
  public Optional<ByFieldLayout> byFieldLayout(FeatureKey key) {
    return onBackend(AccessMode.READ,
        b -> b.hasTable(key.tableName()) ? Optional.of(ByFieldLayout.STRUCT) : Optional.empty());
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
    if (byField == ByFieldLayout.MAP) {
      throw new UnsupportedOperationException("PostgreSQL stores by-field columns as JSONB objects in either layout"
          + " (the reference does the same whatever its enable_map_datatype); there is no MAP layout to convert " + key + " to");
    }
    return onBackend(AccessMode.WRITE, b -> {
      String table = key.tableName();
      if (!b.hasTable(table)) {
        throw new FeatureNotFoundException("cannot convert " + key + ": no table in " + this, List.of(key));
      }
      PostgresBackend pg = (PostgresBackend) b;
      pg.dropAppendOrderColumn(table);
      return pg.countRows(table);
    });
  }

  @Override
  protected StoreBackend connect(AccessMode mode) {
    String url = config.jdbcUrl();
    Connection c;
    try {
      c = DriverManager.getConnection(url, config.driverProperties());
    } catch (SQLException e) {
      throw new StoreUnavailableException(
          "cannot connect to PostgreSQL at " + PostgresStoreConfig.redact(url) + ": " + e.getMessage(), e);
    }
    String schema;
    try (Statement st = c.createStatement()) {
      // Zone-less timestamps are read and written as UTC wall clock.
      st.execute("SET TimeZone = 'UTC'");
      try (var rs = st.executeQuery("SELECT current_schema()")) {
        rs.next();
        schema = rs.getString(1);
      }
    } catch (SQLException e) {
      closeQuietly(c);
      throw new StoreUnavailableException(
          "cannot configure the PostgreSQL connection to " + PostgresStoreConfig.redact(url) + ": " + e.getMessage(), e);
    }
    if (schema == null) {
      closeQuietly(c);
      throw new StoreUnavailableException("PostgreSQL connection to " + PostgresStoreConfig.redact(url)
          + " has no current schema: the schemas of its search_path do not exist (create it, or set currentSchema)");
    }
    PostgresBackend b = new PostgresBackend(c, PostgresStoreConfig.redact(url) + " (schema " + schema + ")",
        config.tablePrefix(), config.autoCastStructForJsonb());
    b.appendMethod(appendMethod);
    b.readers(() -> connect(AccessMode.READ));
    return b;
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // already failing
    }
  }
}
