/**
 * The metadata store API: {@link io.metaxy.store.MetadataStore} (open, read, write, resolveUpdate,
 * delete, copy, fallbacks, system tables), its options and exceptions. Adapters implement {@link
 * io.metaxy.store.spi.StoreBackend}.
 */
package io.metaxy.store;
