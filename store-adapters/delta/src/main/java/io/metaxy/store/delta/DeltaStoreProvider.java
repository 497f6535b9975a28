package io.metaxy.store.delta;

import io.metaxy.config.StoreConfig;
import io.metaxy.config.StoreKind;
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
 * (required; a local directory, relative to the config file's directory, or a {@code file://} URL),
 * {@code layout} ({@code nested}, the default, or {@code flat}), {@code storage_options} (object storage
 * options: refused for now, with local paths only) and {@code delta_write_options} (delta-rs writer
 * options: accepted and ignored, as they have no meaning for Delta Kernel).
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
    if (root.startsWith("file://")) {
      root = root.substring("file://".length());
    } else if (root.startsWith("local://")) {
      root = root.substring("local://".length());
    } else if (root.matches("^[A-Za-z][A-Za-z0-9+.-]+://.*")) {
      throw config.error(
          "root_path",
          "object storage (" + root
              + ") is not supported by the Java Delta store yet; use a local directory");
    }
    if (root.isBlank()) {
      throw config.error("root_path", "must not be empty");
    }
    if (root.startsWith("~/")) {
      root = System.getProperty("user.home") + root.substring(1);
    }
    String dir = baseDirectory.resolve(root).toAbsolutePath().normalize().toString();
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
    if (!storage.isEmpty()) {
      throw config.error(
          "storage_options",
          "object storage options are not supported by the Java Delta store yet (local paths only)");
    }
    if (config.table("delta_write_options").isPresent()) {
      LOG.info(
          "store {}: delta_write_options are delta-rs writer options and are ignored",
          config.name());
    }
    return new DeltaConnector(dir, layout, storage);
  }
}
