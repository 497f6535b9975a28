/**
 * Helpers shared by the store and its adapters, none of which an adapter must implement: Arrow batch
 * building and concatenation ({@link io.metaxy.store.support.ArrowBatches}, {@link
 * io.metaxy.store.support.ArrowConcat}), pooled buffers, id-range splitting for parallel scans, side-by-side
 * JDBC connections, prepared-statement plumbing, and the check that Arrow can reach direct memory
 * ({@link io.metaxy.store.support.ArrowAccess}).
 */
@NullMarked
package io.metaxy.store.support;

import org.jspecify.annotations.NullMarked;
