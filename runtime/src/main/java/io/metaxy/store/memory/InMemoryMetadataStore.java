package io.metaxy.store.memory;

import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;

/**
 * A store keeping every table as Arrow batches in memory, for tests and small jobs. Data survives
 * closing and reopening the store object and is lost with it. Default hash algorithm: xxhash32.
 */
public final class InMemoryMetadataStore extends MetadataStore {
  /** An empty store. */
  public InMemoryMetadataStore(StoreOptions options) {
    super(options, new InMemoryConnector());
  }

  /** Frees every stored batch; the store is empty afterwards. */
  public void clear() {
    ((InMemoryConnector) connector()).clear();
  }
}
