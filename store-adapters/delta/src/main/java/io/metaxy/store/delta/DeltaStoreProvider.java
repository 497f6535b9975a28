package io.metaxy.store.delta;

import io.metaxy.config.StoreConfig;
import io.metaxy.config.StoreKind;
import io.metaxy.store.duckdb.DuckDbSettings;
import io.metaxy.store.spi.StoreConnector;
import io.metaxy.store.spi.StoreProvider;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code type = "delta"} (or the reference's {@code metaxy.ext.polars.handlers.delta.DeltaMetadataStore}
 * and its other paths): a {@link DeltaMetadataStore}. Settings as the reference's: {@code root_path}
 * (required; a local directory, relative to the config file's directory, a {@code file://} URL, or
 * {@code s3://bucket/prefix}), {@code layout} ({@code nested}, the default, or {@code flat}), {@code
 * storage_options} (for {@code s3://} roots: delta-rs' keys, see {@link S3Options}; credentials left out
 * come from the AWS environment) and {@code delta_write_options} (delta-rs writer options: accepted and
 * ignored, as they have no meaning for Delta Kernel).
 */
public final class DeltaStoreProvider implements StoreProvider {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaStoreProvider.class);

  /** Used by {@link java.util.ServiceLoader}. */
  public DeltaStoreProvider() {}

  @Override
  public String type() {
    return StoreKind.DELTA.shortName();
  }

  @Override
  public Set<String> aliases() {
    return Set.of(
        "metaxy.ext.polars.handlers.delta.DeltaMetadataStore",
        "metaxy.ext.polars.DeltaMetadataStore",
        "metaxy.ext.delta.DeltaMetadataStore",
        "metaxy.ext.metadata_stores.delta.DeltaMetadataStore",
        DeltaMetadataStore.class.getName());
  }

  @Override
  public Set<String> configKeys() {
    return StoreKind.DELTA.backendKeys().orElseThrow();
  }

  @Override
  public StoreConnector create(StoreConfig config, Path baseDirectory) {
    String root = config
        .string("root_path")
        .orElseThrow(
            () -> config.error("root_path", "is required (the directory of the Delta tables)"));
    boolean s3 = DeltaConnector.isS3(root);
    if (root.startsWith("file://")) {
      root = root.substring("file://".length());
    } else if (root.startsWith("local://")) {
      root = root.substring("local://".length());
    } else if (!s3 && root.matches("^[A-Za-z][A-Za-z0-9+.-]+://.*")) {
      throw config.error(
          "root_path",
          "object storage other than S3 (" + root
              + ") is not supported by the Java Delta store; use s3:// or a local directory");
    }
    if (root.isBlank()) {
      throw config.error("root_path", "must not be empty");
    }
    if (root.startsWith("~/")) {
      root = System.getProperty("user.home") + root.substring(1);
    }
    String dir =
        s3 ? root : baseDirectory.resolve(root).toAbsolutePath().normalize().toString();
    String layoutName = config.string("layout").orElse("nested");
    DeltaConnector.Layout layout;
    try {
      layout = DeltaConnector.Layout.valueOf(layoutName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw config.error("layout", "must be \"nested\" or \"flat\", got \"" + layoutName + "\"");
    }
    Map<String, String> storage = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e :
        config.table("storage_options").orElse(Map.of()).entrySet()) {
      storage.put(e.getKey(), String.valueOf(e.getValue()));
    }
    if (config.table("delta_write_options").isPresent()) {
      LOG.info(
          "store {}: delta_write_options are delta-rs writer options and are ignored",
          config.name());
    }
    try {
      return new DeltaConnector(dir, layout, storage)
          .duckdbConfig(DuckDbSettings.of(config, "duckdb_config"));
    } catch (IllegalArgumentException e) {
      throw config.error("storage_options", String.valueOf(e.getMessage()));
    }
  }
}
