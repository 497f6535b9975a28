package io.metaxy.store;

/**
 * The store scenarios on DuckDB tables that keep by-field columns as {@code MAP(VARCHAR, VARCHAR)}
 * (the reference's {@code enable_map_datatype}, and every table this store created before STRUCT became
 * its default): that layout stays fully supported.
 */
class DuckDbMapLayoutStoreTest extends DuckDbStoreTest {
  @Override
  protected MetadataStore newStore(StoreOptions options) {
    return super.newStore(options.enableMapDatatype(true));
  }
}
