package io.metaxy.store.postgres;

import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens connections to a PostgreSQL database, in the connection's current schema; the store's tables are
 * those with its table prefix. Each connection reads and writes UTC.
 */
public final class PostgresConnector implements StoreConnector {
  private final PostgresStoreConfig config;
  private PostgresBackend.AppendMethod appendMethod = PostgresBackend.AppendMethod.COPY;

  /**
   * A connector with these connection settings.
   *
   * @throws io.metaxy.config.ConfigException for a malformed connection string (now, not at the first open)
   */
  public PostgresConnector(PostgresStoreConfig config) {
    this.config = config;
    config.jdbcUrl();
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

  @Override
  public StoreBackend connect(ConnectRequest request) {
    String url = config.jdbcUrl();
    Connection c;
    try {
      c = DriverManager.getConnection(url, config.driverProperties());
    } catch (SQLException e) {
      throw new StoreUnavailableException(
          "cannot connect to PostgreSQL at " + PostgresStoreConfig.redact(url) + ": "
              + e.getMessage(),
          e);
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
          "cannot configure the PostgreSQL connection to " + PostgresStoreConfig.redact(url) + ": "
              + e.getMessage(),
          e);
    }
    if (schema == null) {
      closeQuietly(c);
      throw new StoreUnavailableException(
          "PostgreSQL connection to " + PostgresStoreConfig.redact(url)
              + " has no current schema: the schemas of its search_path do not exist (create it, or set currentSchema)");
    }
    PostgresBackend b = new PostgresBackend(
        c,
        PostgresStoreConfig.redact(url) + " (schema " + schema + ")",
        config.tablePrefix(),
        config.autoCastStructForJsonb());
    b.appendMethod(appendMethod);
    b.readers(() -> connect(
        new ConnectRequest(true, request.storeName(), request.mapLayout(), request.allocator())));
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
