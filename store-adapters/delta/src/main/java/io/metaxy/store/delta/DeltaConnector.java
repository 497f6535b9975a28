package io.metaxy.store.delta;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.duckdb.ParquetFiles;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.jspecify.annotations.Nullable;

/**
 * Connects a store to the Delta tables under one root path, laid out as the reference lays them out:
 * {@code nested} ({@code <root>/<part1>/<part2>.delta}) or {@code flat} ({@code
 * <root>/<part1>__<part2>.delta}). The root is a local directory or an {@code s3://bucket/prefix} URL;
 * S3 goes through {@link S3FileIO} (Kernel's engine on the AWS SDK v2 client), configured by the
 * reference's {@code storage_options} ({@link S3Options}).
 */
public final class DeltaConnector implements StoreConnector {
  /** The reference's directory layouts ({@code layout} in its configuration). */
  public enum Layout {
    /** {@code <root>/<part1>/<part2>.delta}: the reference's default. */
    NESTED,
    /** {@code <root>/<part1>__<part2>.delta}. */
    FLAT
  }

  /** The suffix of every table directory. */
  static final String SUFFIX = ".delta";

  /**
   * Hadoop's defaults, parsed once per JVM: a fresh {@code Configuration} parses its XML resources on
   * first use (15-25 ms, on every connect); a copy of a loaded one takes under a millisecond.
   */
  private static final Configuration HADOOP_DEFAULTS = loaded(new Configuration());

  private static Configuration loaded(Configuration conf) {
    conf.size(); // loads the resources now, so that copies share the parsed properties
    return conf;
  }

  /** The reference's system key prefix, {@code metaxy-system}, as our table names spell it. */
  private static final String SYSTEM_PART = "metaxy_system";

  private final String root;
  private final Layout layout;
  private final Map<String, String> storageOptions;
  private final @Nullable S3Options s3;
  private Map<String, String> duckdbConfig = Map.of();

  /**
   * A connector on a root: an absolute local directory, or an {@code s3://bucket/prefix} URL.
   *
   * @param storageOptions the reference's {@code storage_options} (delta-rs' key names); only for
   *     {@code s3://} roots
   * @throws IllegalArgumentException when the options are wrong, naming the key at fault
   */
  public DeltaConnector(String root, Layout layout, Map<String, String> storageOptions) {
    String r = root;
    while (r.endsWith("/") && r.length() > 1 && !r.endsWith("://")) {
      r = r.substring(0, r.length() - 1);
    }
    this.root = r;
    this.layout = layout;
    this.storageOptions = Map.copyOf(storageOptions);
    if (isS3(r)) {
      this.s3 = S3Options.parse(storageOptions);
    } else {
      if (!storageOptions.isEmpty()) {
        throw new IllegalArgumentException(
            "storage_options apply to object storage roots (s3://...) only, not to " + r);
      }
      this.s3 = null;
    }
  }

  /**
   * Settings of the embedded DuckDB that writes and reads the tables' Parquet files ({@code
   * memory_limit}, {@code threads}, {@code temp_directory}, ...; DuckDB's defaults otherwise). An
   * unknown setting fails when the store opens, naming it.
   *
   * @return this connector
   */
  public DeltaConnector duckdbConfig(Map<String, String> settings) {
    this.duckdbConfig = Map.copyOf(settings);
    return this;
  }

  /** The settings of the embedded DuckDB (empty: DuckDB's defaults). */
  public Map<String, String> duckdbConfig() {
    return duckdbConfig;
  }

  /** Whether a root path is on S3 ({@code s3://} or {@code s3a://}). */
  public static boolean isS3(String root) {
    return root.startsWith("s3://") || root.startsWith("s3a://");
  }

  /** The root directory or URL. */
  public String root() {
    return root;
  }

  /** The directory layout. */
  public Layout layout() {
    return layout;
  }

  /**
   * The storage options as configured, secrets ({@code AWS_SECRET_ACCESS_KEY}, {@code
   * AWS_SESSION_TOKEN}) masked.
   */
  public Map<String, String> storageOptions() {
    Map<String, String> out = new LinkedHashMap<>();
    storageOptions.forEach((k, v) -> out.put(k, S3Options.isSecret(k) ? "****" : v));
    return out;
  }

  @Override
  public StoreBackend connect(ConnectRequest request) {
    if (!duckdbConfig.isEmpty()) {
      // Bad settings fail here, before anything is created; DuckDB names the setting.
      new ParquetFiles(duckdbConfig).close();
    }
    S3Options options = s3;
    if (options != null) {
      S3FileIO io = S3FileIO.open(options);
      try {
        // One listing, so that a wrong endpoint, bucket or credential fails here, naming the root.
        // An empty prefix is a store without tables: S3 has no directories to require.
        io.hasFiles(root);
      } catch (IOException | RuntimeException e) {
        io.close();
        throw new StoreUnavailableException(
            "the Delta store's root_path " + root + " cannot be reached: " + e.getMessage(), e);
      }
      return new DeltaBackend(this, io, DefaultEngine.create(io), request.mapLayout());
    }
    Configuration conf = localConf();
    boolean exists = Files.isDirectory(Path.of(root));
    if (request.readOnly() && !exists) {
      throw new StoreUnavailableException(
          "the Delta store's root_path " + root + " does not exist (a read does not create it)");
    }
    // Delta takes no locks: a read-only connection differs only in creating nothing (writes from a
    // nested WRITE scope still commit, as the reference's store allows).
    return new DeltaBackend(
        this, new TableFiles.Local(conf), DefaultEngine.create(conf), request.mapLayout());
  }

  /** The Hadoop configuration of a local root's engine. */
  static Configuration localConf() {
    Configuration conf = new Configuration(HADOOP_DEFAULTS);
    // Kernel's default log store for file: paths can lose a commit to a concurrent process.
    conf.set(LinkLogStore.FILE_SCHEME_KEY, LinkLogStore.class.getName());
    return conf;
  }

  @Override
  public String display() {
    return "DeltaMetadataStore(root_path=" + root + ", layout="
        + layout.name().toLowerCase(Locale.ROOT) + ")";
  }

  /**
   * The directory of a table: {@code video__raw} is {@code <root>/video/raw.delta} (nested) or {@code
   * <root>/video__raw.delta} (flat). Nested paths spell the system prefix {@code metaxy-system} as the
   * reference's key does; other parts come as our table names have them ({@code -} already {@code _}).
   */
  public String tablePath(String table) {
    if (layout == Layout.FLAT) {
      return root + "/" + table + SUFFIX;
    }
    String[] parts = table.split("__", -1);
    if (parts[0].equals(SYSTEM_PART)) {
      parts[0] = "metaxy-system";
    }
    return root + "/" + String.join("/", parts) + SUFFIX;
  }

  /** Every table under the root, as table names, sorted. */
  List<String> listTables(TableFiles files) {
    List<String> out = new ArrayList<>();
    try {
      walk(files, root, "", out);
    } catch (IOException e) {
      throw new UncheckedIOException("listing the Delta tables under " + root + " failed", e);
    }
    out.sort(null);
    return out;
  }

  private void walk(TableFiles files, String dir, String prefix, List<String> out)
      throws IOException {
    for (String name : files.directories(dir)) {
      String path = dir + "/" + name;
      if (name.endsWith(SUFFIX)) {
        if (files.hasFiles(path + "/_delta_log")) {
          String base = name.substring(0, name.length() - SUFFIX.length()).replace('-', '_');
          out.add(prefix + base);
        }
      } else if (layout == Layout.NESTED && !name.startsWith("_") && !name.startsWith(".")) {
        walk(files, path, prefix + name.replace('-', '_') + "__", out);
      }
    }
  }
}
