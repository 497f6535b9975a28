/** The embedded DuckDB metadata store ({@link io.metaxy.store.duckdb.DuckDbMetadataStore}). */
package io.metaxy.store.duckdb;
