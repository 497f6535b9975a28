package io.metaxy.store.spi;

/**
 * How a table stores its by-field columns ({@code metaxy_provenance_by_field},
 * {@code metaxy_data_version_by_field}) on stores that have a choice (DuckDB). See
 * {@link ByFieldLayouts} and {@link io.metaxy.store.LayoutConversion}.
 */
public enum ByFieldLayout {
  /** One string child per field: the Python reference's default, and ours. */
  STRUCT,
  /** A string-to-string map: the reference with {@code enable_map_datatype} on. */
  MAP
}
