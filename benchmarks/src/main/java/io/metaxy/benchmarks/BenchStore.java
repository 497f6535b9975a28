package io.metaxy.benchmarks;

import io.metaxy.config.MetaxyConfig;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.Stores;
import io.metaxy.store.spi.ByFieldLayout;
import io.metaxy.testing.s3.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The store a measurement of ours runs on ({@code --stores}): the DuckDB store of the main tables, or a
 * lakehouse store (Iceberg, Delta) on local disk or on the loopback S3 server. A lakehouse store is
 * built from configuration ({@code type = "iceberg"} / {@code "delta"}), as a user's {@code metaxy.toml}
 * builds it; its template is a local directory (the warehouse or root path, or for S3 the Iceberg
 * catalog) whose file name is also its key prefix in the S3 bucket.
 */
enum BenchStore {
  /** {@code DuckDbMetadataStore} on a fresh copy of a DuckDB file per round (the main tables' store). */
  DUCKDB,
  /** {@code type = "iceberg"} on a local warehouse (the reference's default SQLite catalog). */
  ICEBERG,
  /** {@code type = "delta"} on a local root directory (nested layout). */
  DELTA,
  /** {@code type = "iceberg"} with an {@code s3://} warehouse on the loopback S3 server, local SQLite catalog. */
  ICEBERG_S3,
  /** {@code type = "delta"} with an {@code s3://} root path on the loopback S3 server. */
  DELTA_S3;

  /** The configuration name of the one store a benchmark configuration holds. */
  private static final String NAME = "bench";

  /** The name on the command line and in file names, e.g. {@code iceberg-s3}. */
  String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The name in report headers, e.g. {@code Iceberg S3}. */
  String title() {
    return switch (this) {
      case DUCKDB -> "DuckDB store";
      case ICEBERG -> "Iceberg";
      case DELTA -> "Delta";
      case ICEBERG_S3 -> "Iceberg S3";
      case DELTA_S3 -> "Delta S3";
    };
  }

  /** Whether this store keeps its data on the S3 server. */
  boolean s3() {
    return this == ICEBERG_S3 || this == DELTA_S3;
  }

  /**
   * Parses {@code --stores}, e.g. {@code duckdb,iceberg,delta}, keeping its order.
   *
   * @throws IllegalArgumentException for an unknown or repeated name, or an empty list
   */
  static List<BenchStore> parseList(String csv) {
    List<BenchStore> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (s.isBlank()) {
        continue;
      }
      BenchStore b = parse(s);
      if (out.contains(b)) {
        throw new IllegalArgumentException("--stores names " + b.label() + " twice: " + csv);
      }
      out.add(b);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--stores needs at least one store, got \"" + csv + "\"");
    }
    return out;
  }

  /** Parses one name, e.g. {@code delta-s3}. */
  static BenchStore parse(String s) {
    for (BenchStore b : values()) {
      if (b.label().equalsIgnoreCase(s.trim())) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "unknown store \"" + s.trim() + "\" (one of duckdb, iceberg, delta, iceberg-s3, delta-s3)");
  }

  /**
   * Where the template of {@code sc} lives in {@code work}: a DuckDB file, else a directory named after
   * the configuration and this store.
   */
  Path template(Path work, Scenario sc) {
    return this == DUCKDB
        ? work.resolve(sc.label() + ".duckdb")
        : work.resolve(sc.label() + "-" + label());
  }

  /** The directory of the S3 server's objects under the work directory. */
  static Path s3Root(Path work) {
    return work.resolve("s3");
  }

  /**
   * The configuration of a lakehouse store whose template is {@code location}, in {@code sc}'s hash
   * algorithm and layout.
   *
   * @param s3Endpoint the S3 server's endpoint ({@code http://127.0.0.1:<port>}); ignored for local stores
   * @throws io.metaxy.config.ConfigException when the store rejects its settings
   */
  MetaxyConfig config(Scenario sc, Path location, String s3Endpoint) {
    if (this == DUCKDB) {
      throw new IllegalStateException(
          "the DuckDB store is opened directly, not from configuration");
    }
    if (s3()) {
      // s3proxy cannot verify the AWS SDK's default request checksums (chunked CRC trailers): the
      // client sends them only where S3 requires them, as the S3 server's own JVM does.
      System.setProperty("aws.requestChecksumCalculation", "when_required");
      System.setProperty("aws.responseChecksumValidation", "when_required");
    }
    String p = "stores." + NAME + ".";
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("store", NAME);
    o.put("enable_map_datatype", sc.layout() == ByFieldLayout.MAP);
    // As the DuckDB store of the templates does: the first write of a feature creates its table.
    o.put("auto_create_tables", true);
    o.put(p + "type", this == ICEBERG || this == ICEBERG_S3 ? "iceberg" : "delta");
    o.put(p + "config.hash_algorithm", sc.hash().configName());
    String s3Path = "s3://" + S3Server.BUCKET + "/" + location.getFileName();
    switch (this) {
      case ICEBERG -> o.put(p + "config.warehouse", location.toString());
      case DELTA -> o.put(p + "config.root_path", location.toString());
      case ICEBERG_S3 -> {
        o.put(p + "config.warehouse", s3Path);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("type", "jdbc");
        props.put("uri", "jdbc:sqlite:" + location.resolve("catalog.db"));
        props.put("warehouse", s3Path);
        props.put("s3.endpoint", s3Endpoint);
        props.put("s3.path-style-access", "true");
        props.put("s3.access-key-id", S3Server.ACCESS_KEY);
        props.put("s3.secret-access-key", S3Server.SECRET_KEY);
        props.put("client.region", "us-east-1");
        o.put(p + "config.catalog_properties", props);
      }
      case DELTA_S3 -> {
        o.put(p + "config.root_path", s3Path);
        // The reference's storage_options (delta-rs / object_store names).
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("AWS_ENDPOINT_URL", s3Endpoint);
        opts.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
        opts.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        opts.put("AWS_REGION", "us-east-1");
        opts.put("AWS_ALLOW_HTTP", "true");
        o.put(p + "config.storage_options", opts);
      }
      default -> throw new IllegalStateException(name());
    }
    return MetaxyConfig.loader()
        .workingDirectory(location.getParent())
        .searchParents(false)
        .environment(Map.of())
        .overrides(o)
        .load();
  }

  /** The store {@link #config} describes, unopened, allocating from {@code allocator}. */
  static MetadataStore open(MetaxyConfig config, Scenario sc, BufferAllocator allocator) {
    return Stores.open(config, NAME, sc.shape().graph(), allocator);
  }

  /**
   * Deletes a template: the DuckDB file, or the directory and, for S3, its objects (on the server's
   * disk, which the driver owns).
   */
  void delete(Path template) {
    if (this == DUCKDB) {
      Templates.delete(template);
      return;
    }
    deleteTree(template);
    if (s3()) {
      deleteTree(s3Root(template.getParent())
          .resolve(S3Server.BUCKET)
          .resolve(template.getFileName().toString()));
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
