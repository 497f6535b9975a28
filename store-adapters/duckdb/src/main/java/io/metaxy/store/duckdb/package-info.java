/** The embedded DuckDB metadata store ({@link io.metaxy.store.duckdb.DuckDbMetadataStore}). */
@NullMarked
package io.metaxy.store.duckdb;

import org.jspecify.annotations.NullMarked;
