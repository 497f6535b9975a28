/**
 * The adapter SPI of the metadata store: what a backend implements ({@link
 * io.metaxy.store.spi.StoreBackend}) plus Arrow helpers shared by adapters ({@link
 * io.metaxy.store.support.ArrowBatches}).
 */
package io.metaxy.store.spi;
