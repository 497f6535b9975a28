/**
 * The metadata store API: {@link io.metaxy.store.MetadataStore} (open, read, write, resolveUpdate,
 * delete, copy, fallbacks, system tables), its options and exceptions. Adapters implement {@link
 * io.metaxy.store.spi.StoreBackend}.
 *
 * <h2>The contract of a {@code MetadataStore}</h2>
 *
 * <ul>
 *   <li><b>A call that returns has stored everything; a call that throws has stored nothing.</b> This
 *       holds for {@code write}, {@code writeMulti} (all its features or none), {@code delete} (soft:
 *       one append of tombstones; hard: one atomic rewrite) and {@code dropFeatureMetadata}, on every
 *       store. {@code copyMetadata} is atomic per feature, not across features.
 *   <li><b>Strict writes.</b> Every batch passes one check before any backend sees it: ids present,
 *       non-null and of the declared and stored type; {@code metaxy_provenance_by_field} non-null with
 *       exactly the feature's fields; no two rows of one sample the read side could not order; user
 *       columns of the stored (and declared) type, never cast; a preserved feature version only with
 *       its project version. A refused batch raises {@link io.metaxy.store.MetadataSchemaException}
 *       naming the column and the first offending row.
 *   <li><b>Any number of threads.</b> One opened store may be shared by the threads of a pool, as a
 *       {@code DataSource} is. Operations on one instance run one at a time (a {@code resolveUpdate}
 *       still reads its tables side by side on reader connections); each sees every call that
 *       returned before it started. For parallel writes, open one store per thread on the same
 *       database: each has its own connection, and concurrent table creation is handled.
 * </ul>
 *
 * <p>Listeners ({@code addWarningListener}, {@code addProgressListener}) run while the operation that
 * calls them holds the store: they must not wait for another thread that uses it.
 */
@NullMarked
package io.metaxy.store;

import org.jspecify.annotations.NullMarked;
