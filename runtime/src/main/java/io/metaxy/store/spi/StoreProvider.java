package io.metaxy.store.spi;

import io.metaxy.config.StoreConfig;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import java.nio.file.Path;
import java.util.Set;

/**
 * Builds one kind of {@link MetadataStore} from a {@code [stores.<name>]} entry. Implementations are
 * found with {@link java.util.ServiceLoader} (list them in {@code
 * META-INF/services/io.metaxy.store.spi.StoreProvider}); {@link io.metaxy.store.Stores} picks the one
 * whose {@link #type()} or {@link #aliases()} match the entry's {@code type}.
 */
public interface StoreProvider {
  /** The short type name, e.g. {@code "duckdb"}; matched case-insensitively. */
  String type();

  /**
   * Other {@code type} strings this provider answers to, matched exactly: the upstream Python class
   * paths (so one {@code metaxy.toml} serves both implementations) and the Java class name.
   */
  Set<String> aliases();

  /** The backend keys of {@code config} this provider reads, besides {@link StoreConfig#COMMON_KEYS}. */
  Set<String> configKeys();

  /**
   * A new, unopened store.
   *
   * @param config the entry; read backend keys through its typed getters so errors name the file and key
   * @param options the shared options (graph, name, hash algorithm, truncation, fallbacks...) already
   *     filled in from the entry
   * @param baseDirectory the directory relative paths are resolved against (the config file's directory)
   * @throws io.metaxy.config.ConfigException for an invalid backend setting, naming the key
   */
  MetadataStore create(StoreConfig config, StoreOptions options, Path baseDirectory);
}
