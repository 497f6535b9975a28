package io.metaxy.store;

import io.metaxy.store.memory.InMemoryMetadataStore;

/** The store scenarios on the in-memory store. */
class InMemoryStoreTest extends StoreConformanceSuite {
  @Override
  protected MetadataStore newStore(StoreOptions options) {
    return new InMemoryMetadataStore(options);
  }

  @Override
  protected void dispose(MetadataStore store) {
    ((InMemoryMetadataStore) store).clear();
  }
}
