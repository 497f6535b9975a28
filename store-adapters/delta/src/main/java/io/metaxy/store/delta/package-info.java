/**
 * A metadata store on Delta Lake tables, through Delta Kernel for Java (no Spark): one Delta table per
 * feature under a root path, laid out as the Python reference's {@code DeltaMetadataStore} lays them
 * out. See {@link io.metaxy.store.delta.DeltaMetadataStore}.
 */
@NullMarked
package io.metaxy.store.delta;

import org.jspecify.annotations.NullMarked;
