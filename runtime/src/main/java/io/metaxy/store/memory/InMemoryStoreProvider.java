package io.metaxy.store.memory;

import io.metaxy.config.StoreConfig;
import io.metaxy.config.StoreKind;
import io.metaxy.store.spi.StoreConnector;
import io.metaxy.store.spi.StoreProvider;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code type = "memory"}: an {@link InMemoryMetadataStore}. It has no settings of its own; its data
 * lives as long as the store object (one {@code mx} run).
 */
public final class InMemoryStoreProvider implements StoreProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public InMemoryStoreProvider() {}

  @Override
  public String type() {
    return "memory";
  }

  @Override
  public Set<String> aliases() {
    return Set.of(InMemoryMetadataStore.class.getName());
  }

  @Override
  public Set<String> configKeys() {
    return StoreKind.MEMORY.backendKeys().orElseThrow();
  }

  @Override
  public StoreConnector create(StoreConfig config, Path baseDirectory) {
    return new InMemoryConnector();
  }
}
