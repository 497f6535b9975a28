package io.metaxy.store;

import io.metaxy.store.memory.InMemoryMetadataStore;

/** Incremental against full resolves on the in-memory store. */
class InMemoryIncrementalResolveTest extends IncrementalResolveSuite {
  @Override
  protected MetadataStore newStore(StoreOptions options) {
    return new InMemoryMetadataStore(options);
  }

  @Override
  protected void dispose(MetadataStore store) {
    ((InMemoryMetadataStore) store).clear();
  }

  @Override
  protected int histories() {
    return 1500;
  }
}
