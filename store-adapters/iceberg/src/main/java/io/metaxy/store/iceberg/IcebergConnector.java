package io.metaxy.store.iceberg;

import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.duckdb.ParquetFiles;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.jspecify.annotations.Nullable;

/**
 * Opens an Iceberg catalog for each connection of an {@link IcebergMetadataStore}. Without {@code
 * catalog_properties} the catalog is the Python reference's default: a SQL (JDBC) catalog in SQLite at
 * {@code <warehouse>/catalog.db}, warehouse {@code file://<warehouse>}, tables at {@code
 * <warehouse>/<namespace>.db/<table>} as PyIceberg places them. Catalog properties are Iceberg's (and
 * PyIceberg's, which share the names): {@code type} ({@code sql} is read as {@code jdbc}), {@code uri}
 * ({@code sqlite:////abs/path}, SQLAlchemy's form, is read as {@code jdbc:sqlite:/abs/path}), {@code warehouse}, {@code s3.*}...
 */
public final class IcebergConnector implements StoreConnector {
  private final String warehouse;
  private final String namespace;
  private final String catalogName;
  private final @Nullable Map<String, String> catalogProperties;
  private final boolean autoCreateNamespace;
  private Map<String, String> duckdbConfig = Map.of();

  /**
   * A connector.
   *
   * @param warehouse a local directory (absolute, or {@code file://...}) or a URI such as {@code
   *     s3://bucket/path}
   * @param namespace the namespace of the feature tables (dots separate levels)
   * @param catalogName the catalog's name (the {@code catalog_name} column of a SQL catalog)
   * @param catalogProperties the catalog's properties, or null for the reference's default
   * @param autoCreateNamespace create the namespace on the first write when it does not exist
   */
  public IcebergConnector(
      String warehouse,
      String namespace,
      String catalogName,
      @Nullable Map<String, String> catalogProperties,
      boolean autoCreateNamespace) {
    this.warehouse = normalize(warehouse);
    this.namespace = namespace;
    this.catalogName = catalogName;
    this.catalogProperties = catalogProperties == null ? null : Map.copyOf(catalogProperties);
    this.autoCreateNamespace = autoCreateNamespace;
  }

  /**
   * Settings of the embedded DuckDB that writes and reads the tables' Parquet files ({@code
   * memory_limit}, {@code threads}, {@code temp_directory}, ...; DuckDB's defaults otherwise). An
   * unknown setting fails when the store opens, naming it.
   *
   * @return this connector
   */
  public IcebergConnector duckdbConfig(Map<String, String> settings) {
    this.duckdbConfig = Map.copyOf(settings);
    return this;
  }

  /** The settings of the embedded DuckDB (empty: DuckDB's defaults). */
  public Map<String, String> duckdbConfig() {
    return duckdbConfig;
  }

  /** The warehouse: an absolute local path, or a URI for remote storage. */
  public String warehouse() {
    return warehouse;
  }

  /** The namespace of the feature tables. */
  public String namespace() {
    return namespace;
  }

  /** The catalog's name. */
  public String catalogName() {
    return catalogName;
  }

  private static boolean isLocal(String path) {
    return !path.contains("://") || path.startsWith("file://") || path.startsWith("local://");
  }

  private static String normalize(String warehouse) {
    String w = warehouse;
    if (w.startsWith("file://")) {
      w = w.substring("file://".length());
    } else if (w.startsWith("local://")) {
      w = w.substring("local://".length());
    } else if (w.contains("://")) {
      return w.replaceAll("/+$", "");
    }
    return Path.of(w).toAbsolutePath().normalize().toString();
  }

  /** The catalog properties a connection uses: the configured ones translated, or the default. */
  Map<String, String> effectiveProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    String local = isLocal(warehouse) ? warehouse : null;
    if (catalogProperties == null) {
      p.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC);
      p.put(CatalogProperties.URI, "jdbc:sqlite:" + warehouse + "/catalog.db");
      p.put(CatalogProperties.WAREHOUSE_LOCATION, local != null ? "file://" + local : warehouse);
    } else {
      p.putAll(catalogProperties);
      String type = p.get(CatalogUtil.ICEBERG_CATALOG_TYPE);
      if (type != null && type.toLowerCase(Locale.ROOT).equals("sql")) {
        p.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC);
      }
      String uri = p.get(CatalogProperties.URI);
      if (uri != null && uri.startsWith("sqlite:///")) {
        // SQLAlchemy: sqlite:///relative, sqlite:////absolute.
        p.put(CatalogProperties.URI, "jdbc:sqlite:" + uri.substring("sqlite:///".length()));
      }
      p.putIfAbsent(
          CatalogProperties.WAREHOUSE_LOCATION, local != null ? "file://" + local : warehouse);
    }
    String location = p.getOrDefault(CatalogProperties.WAREHOUSE_LOCATION, "");
    if (location.startsWith("s3://") || location.startsWith("s3a://")) {
      // Iceberg's own S3 client (AWS SDK v2) rather than Hadoop's S3A, which is not on the class
      // path.
      p.putIfAbsent(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
      // The HTTP client this module ships (Iceberg's default, Apache HttpClient 5, is not
      // included).
      p.putIfAbsent("http-client.type", "urlconnection");
    }
    String uri = p.getOrDefault(CatalogProperties.URI, "");
    if (uri.startsWith("jdbc:sqlite:")) {
      // Several connections commit through one SQLite file: wait for its lock instead of failing.
      p.putIfAbsent("jdbc.busy_timeout", "30000");
    }
    return p;
  }

  @Override
  public String display() {
    return "IcebergMetadataStore(warehouse=" + warehouse + ")";
  }

  @Override
  public StoreBackend connect(ConnectRequest request) {
    if (!duckdbConfig.isEmpty()) {
      // Bad settings fail here, before a catalog or table is created; DuckDB names the setting.
      new ParquetFiles(duckdbConfig).close();
    }
    Map<String, String> props = effectiveProperties();
    if (isLocal(warehouse)) {
      Path dir = Path.of(warehouse);
      if (request.readOnly() && !Files.isDirectory(dir)) {
        throw new StoreUnavailableException("the Iceberg warehouse directory " + warehouse
            + " does not exist (a store opened for writing creates it)");
      }
      try {
        Files.createDirectories(dir);
      } catch (IOException | UncheckedIOException e) {
        throw new StoreUnavailableException(
            "cannot create the Iceberg warehouse directory " + warehouse + ": " + e.getMessage(),
            e);
      }
    }
    Catalog catalog;
    try {
      catalog = CatalogUtil.buildIcebergCatalog(catalogName, props, new Configuration());
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(
          "cannot open the Iceberg catalog " + catalogName + " (" + display() + "): "
              + e.getMessage(),
          e);
    }
    Namespace ns = Namespace.of(namespace.split("\\."));
    String type = props.getOrDefault(CatalogUtil.ICEBERG_CATALOG_TYPE, "");
    String warehouseLocation = props.get(CatalogProperties.WAREHOUSE_LOCATION);
    // PyIceberg's SQL catalog puts tables at <warehouse>/<namespace>.db/<table>; Java's JDBC
    // catalog
    // would use <warehouse>/<namespace>/<table>. Other catalogs choose their own locations.
    String root = type.equals(CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC) && warehouseLocation != null
        ? warehouseLocation.replaceAll("/+$", "") + "/" + String.join("/", ns.levels()) + ".db"
        : null;
    return new IcebergBackend(catalog, ns, autoCreateNamespace, root, duckdbConfig);
  }
}
