package io.metaxy.store.delta;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Connects a store to the Delta tables under one root path, laid out as the reference lays them out:
 * {@code nested} ({@code <root>/<part1>/<part2>.delta}) or {@code flat} ({@code
 * <root>/<part1>__<part2>.delta}). Only local paths for now.
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

  /** The reference's system key prefix, {@code metaxy-system}, as our table names spell it. */
  private static final String SYSTEM_PART = "metaxy_system";

  private final String root;
  private final Layout layout;
  private final Map<String, String> storageOptions;

  /**
   * A connector on an absolute local root directory.
   *
   * @param storageOptions the reference's {@code storage_options}; must be empty until object storage
   *     is supported
   */
  public DeltaConnector(String root, Layout layout, Map<String, String> storageOptions) {
    this.root =
        root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
    this.layout = layout;
    this.storageOptions = Map.copyOf(storageOptions);
  }

  /** The root directory. */
  public String root() {
    return root;
  }

  /** The directory layout. */
  public Layout layout() {
    return layout;
  }

  /** The storage options as configured. */
  public Map<String, String> storageOptions() {
    return storageOptions;
  }

  @Override
  public StoreBackend connect(ConnectRequest request) {
    Configuration conf = new Configuration();
    boolean exists = Files.isDirectory(java.nio.file.Path.of(root));
    if (request.readOnly() && !exists) {
      throw new StoreUnavailableException(
          "the Delta store's root_path " + root + " does not exist (a read does not create it)");
    }
    // Delta takes no locks: a read-only connection differs only in creating nothing (writes from a
    // nested WRITE scope still commit, as the reference's store allows).
    return new DeltaBackend(this, conf, DefaultEngine.create(conf), request.mapLayout());
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
  List<String> listTables(Configuration conf) {
    List<String> out = new ArrayList<>();
    try {
      Path r = new Path(root);
      FileSystem fs = r.getFileSystem(conf);
      if (fs.exists(r)) {
        walk(fs, r, "", out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing the Delta tables under " + root + " failed", e);
    }
    out.sort(null);
    return out;
  }

  private void walk(FileSystem fs, Path dir, String prefix, List<String> out) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      if (!s.isDirectory()) {
        continue;
      }
      String name = s.getPath().getName();
      if (name.endsWith(SUFFIX)) {
        if (fs.exists(new Path(s.getPath(), "_delta_log"))) {
          String base = name.substring(0, name.length() - SUFFIX.length()).replace('-', '_');
          out.add(prefix + base);
        }
      } else if (layout == Layout.NESTED && !name.startsWith("_") && !name.startsWith(".")) {
        walk(fs, s.getPath(), prefix + name.replace('-', '_') + "__", out);
      }
    }
  }
}
