package io.metaxy.store.duckdb;

import io.metaxy.FeatureKey;
import io.metaxy.store.AccessMode;
import io.metaxy.store.LayoutConversion;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.spi.ByFieldLayout;
import java.util.Map;
import java.util.Optional;

/**
 * A metadata store in an embedded DuckDB database: one file (default {@value #DEFAULT_DATABASE}) or
 * {@code :memory:} (which lives only while the store is open). One table per feature ({@code video__raw}),
 * laid out as the Python reference lays it out: by-field columns are {@code STRUCT}s of one {@code
 * VARCHAR} per field, or {@code MAP(VARCHAR, VARCHAR)} with {@link StoreOptions#enableMapDatatype}; tables
 * of either layout are read and appended to as they are, and {@link #convertLayout} converts one.
 * Data moves between DuckDB and the JVM as Arrow streams (C data interface); provenance is computed in
 * the JVM by the versioning engine.
 *
 * <p>Opening in {@link AccessMode#READ} opens the file read-only, so several processes can read at
 * once; only one process can hold the file for writing. Only {@link AccessMode#WRITE} creates a missing
 * file (and its directories): reading a file that does not exist fails with a {@link
 * StoreUnavailableException} naming it, rather than reading a new, empty database. {@code :memory:}
 * opens in either mode. The connection itself is {@link DuckDbConnector}'s; a store built from
 * configuration is a {@link MetadataStore} on one.
 */
public final class DuckDbMetadataStore extends MetadataStore implements LayoutConversion {
  /** The default database file, relative to the working directory. */
  public static final String DEFAULT_DATABASE = ".metaxy/metadata.duckdb";

  /** The in-memory database name. */
  public static final String MEMORY = ":memory:";

  /** A store on {@value #DEFAULT_DATABASE}. */
  public DuckDbMetadataStore(StoreOptions options) {
    this(options, DEFAULT_DATABASE);
  }

  /** A store on a database file, or {@link #MEMORY}. */
  public DuckDbMetadataStore(StoreOptions options, String database) {
    this(options, database, Map.of());
  }

  /**
   * A store on a database file, or {@link #MEMORY}, whose connections are opened with these DuckDB
   * settings (e.g. {@code memory_limit = "1GB"}, {@code threads = "2"}; the {@code config} table of the
   * store's configuration). An unknown setting fails when the store opens, naming it.
   */
  public DuckDbMetadataStore(StoreOptions options, String database, Map<String, String> settings) {
    super(options, new DuckDbConnector(database, settings));
  }

  /** The DuckDB settings the connections are opened with. */
  public Map<String, String> settings() {
    return ((DuckDbConnector) connector()).settings();
  }

  /** The database file, or {@code :memory:}. */
  public String database() {
    return ((DuckDbConnector) connector()).database();
  }

  @Override
  public Optional<ByFieldLayout> byFieldLayout(FeatureKey key) {
    return layoutConversion().orElseThrow().byFieldLayout(key);
  }

  @Override
  public long convertLayout(FeatureKey key, ByFieldLayout target) {
    return layoutConversion().orElseThrow().convertLayout(key, target);
  }
}
