package io.metaxy.store.duckdb;

import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Opens connections to an embedded DuckDB database: one file, or {@code :memory:}. Opening for reading
 * opens the file read-only, so several processes can read at once; only one process can hold the file
 * for writing. Only a write opening creates a missing file (and its directories): reading a file that
 * does not exist fails with a {@link StoreUnavailableException} naming it, rather than reading a new,
 * empty database.
 */
public final class DuckDbConnector implements StoreConnector {
  private final String database;
  private final Map<String, String> settings;

  /**
   * A connector to a database file, or {@link DuckDbMetadataStore#MEMORY}, whose connections are opened
   * with these DuckDB settings (e.g. {@code memory_limit = "1GB"}); an unknown setting fails when a
   * connection opens, naming it.
   */
  public DuckDbConnector(String database, Map<String, String> settings) {
    this.database = database;
    this.settings = Map.copyOf(settings);
  }

  /** The database file, or {@code :memory:}. */
  public String database() {
    return database;
  }

  /** The DuckDB settings the connections are opened with. */
  public Map<String, String> settings() {
    return settings;
  }

  @Override
  public String display() {
    return "DuckDbMetadataStore(database="
        + (isMemory() ? DuckDbMetadataStore.MEMORY : Path.of(database).toAbsolutePath()) + ")";
  }

  private boolean isMemory() {
    return database.equals(DuckDbMetadataStore.MEMORY);
  }

  @Override
  public StoreBackend connect(ConnectRequest request) {
    Properties props = new Properties();
    // Ours last: the access mode follows the store's open mode whatever the settings say.
    props.putAll(settings);
    // Stream query results instead of materialising them in DuckDB before the Arrow export: DuckDB
    // then produces batches while the JVM takes them, and never holds a second copy of a large scan
    // (10M rows: ~1 GB less resident memory). Every result is read to the end before the next
    // query.
    props.setProperty("jdbc_stream_results", "true");
    boolean readOnly = false;
    if (!isMemory()) {
      Path file = Path.of(database);
      readOnly = request.readOnly();
      if (readOnly && !Files.exists(file)) {
        // DuckDB would create an empty database, so a mistyped path would read as a store without
        // data.
        throw new StoreUnavailableException(
            "DuckDB database file " + file.toAbsolutePath()
                + (request.storeName() == null ? "" : " of store '" + request.storeName() + "'")
                + " does not exist. Opening a store for READ never creates it: check the path (the store's"
                + " 'database' setting), or open the store for WRITE (e.g. write to it first), which creates it.");
      }
      if (!readOnly && file.toAbsolutePath().getParent() != null) {
        try {
          Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
          throw new StoreUnavailableException(
              "cannot create the directory of DuckDB file " + file + ": " + e.getMessage(), e);
        }
      }
      if (readOnly) {
        props.setProperty("duckdb.read_only", "true");
      }
    }
    String url = "jdbc:duckdb:" + (isMemory() ? "" : database);
    Connection c;
    try {
      c = DriverManager.getConnection(url, props);
    } catch (SQLException e) {
      if (!readOnly || !isSharedWithOtherSettings(e)) {
        throw translateOpenError(e, readOnly);
      }
      // DuckDB keeps one database per file and process, and another store of this process has it
      // open read-write: a read-only connection is refused, a read-write one reads the same
      // committed data (and no other process can be writing while this one holds the file).
      props.remove("duckdb.read_only");
      try {
        c = DriverManager.getConnection(url, props);
      } catch (SQLException again) {
        throw translateOpenError(again, false);
      }
    }
    try {
      DuckDbBackend.configureSession(c);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new StoreUnavailableException(
          "cannot configure DuckDB connection to " + database + ": " + e.getMessage(), e);
    }
    return new DuckDbBackend(c, database, request.mapLayout());
  }

  private static boolean isSharedWithOtherSettings(SQLException e) {
    return String.valueOf(e.getMessage()).contains("different configuration");
  }

  private StoreUnavailableException translateOpenError(SQLException e, boolean readOnly) {
    String msg = String.valueOf(e.getMessage());
    if (isSharedWithOtherSettings(e)) {
      return new StoreUnavailableException(
          "DuckDB file " + Path.of(database).toAbsolutePath()
              + " is already open in this process with other"
              + " settings: DuckDB shares one database per file and process, so every store on this file must"
              + " use the same DuckDB settings (" + settings.keySet()
              + " here), and a store opened for WRITE"
              + " cannot join one opened in READ mode (read-only). Close the other store first, or give both the"
              + " same settings and open the first for WRITE. DuckDB said: " + msg,
          e);
    }
    if (msg.contains("lock")) {
      return new StoreUnavailableException(
          "DuckDB file " + Path.of(database).toAbsolutePath() + " is locked by another process"
              + (readOnly ? "" : " (only one process may open it for writing)")
              + ". Close the other process, or open this store in READ mode while no process writes. DuckDB said: "
              + msg,
          e);
    }
    return new StoreUnavailableException("cannot open DuckDB database " + database + ": " + msg, e);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // already failing
    }
  }
}
