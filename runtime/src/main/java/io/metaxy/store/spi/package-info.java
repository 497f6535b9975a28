/**
 * The adapter SPI of the metadata store, and nothing else: a new store implements {@link
 * io.metaxy.store.spi.StoreBackend} (move Arrow batches in and out of tables, reading them as {@link
 * io.metaxy.store.spi.ScanRequest} says) and registers a {@link io.metaxy.store.spi.StoreProvider}.
 * Versioning, system columns, validation and fallbacks stay in {@link io.metaxy.store.MetadataStore}.
 * Helpers an adapter may use live in {@link io.metaxy.store.support}.
 */
@NullMarked
package io.metaxy.store.spi;

import org.jspecify.annotations.NullMarked;
