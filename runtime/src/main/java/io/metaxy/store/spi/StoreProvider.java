package io.metaxy.store.spi;

import io.metaxy.config.StoreConfig;
import java.nio.file.Path;
import java.util.Set;

/**
 * Builds the {@link StoreConnector} of one kind of store from a {@code [stores.<name>]} entry. Implementations are
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
   * The connector of a new store; {@link io.metaxy.store.Stores} wraps it in a {@link
   * io.metaxy.store.MetadataStore} with the options common to every store (graph, name, hash algorithm,
   * truncation, fallbacks...) filled in from the entry.
   *
   * @param config the entry; read backend keys through its typed getters so errors name the file and key
   * @param baseDirectory the directory relative paths are resolved against (the config file's directory)
   * @throws io.metaxy.config.ConfigException for an invalid backend setting, naming the key
   */
  StoreConnector create(StoreConfig config, Path baseDirectory);
}
