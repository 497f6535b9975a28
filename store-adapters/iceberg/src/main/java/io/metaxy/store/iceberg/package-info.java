/** The Apache Iceberg metadata store ({@link io.metaxy.store.iceberg.IcebergMetadataStore}). */
@NullMarked
package io.metaxy.store.iceberg;

import org.jspecify.annotations.NullMarked;
