package io.metaxy.store;

import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.support.ArrowTableScan;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A read-only backend of one table whose rows a resolve holds already (an upstream's appended rows,
 * {@link IncrementalResolver}): reading it through the store's read path applies the same rules
 * (version, deduplication, soft deletes, filters, projection) as reading the stored table. It does not
 * own the rows.
 */
final class HeldRows implements StoreBackend {
  private final String table;
  private final VectorSchemaRoot rows;

  HeldRows(String table, VectorSchemaRoot rows) {
    this.table = table;
    this.rows = rows;
  }

  @Override
  public boolean hasTable(String t) {
    return table.equals(t);
  }

  @Override
  public List<String> listTables() {
    return List.of(table);
  }

  @Override
  public VectorSchemaRoot scan(ScanRequest request, BufferAllocator allocator) {
    if (!hasTable(request.table())) {
      throw new MetadataStoreException("table " + request.table() + " is not held here");
    }
    return ArrowTableScan.scan(List.of(rows), request, allocator);
  }

  @Override
  public @Nullable Schema tableSchema(String t) {
    return hasTable(t) ? rows.getSchema() : null;
  }

  @Override
  public void appendAll(List<Append> appends) {
    throw new UnsupportedOperationException("held rows are read-only");
  }

  @Override
  public void replace(String t, VectorSchemaRoot replacement) {
    throw new UnsupportedOperationException("held rows are read-only");
  }

  @Override
  public void dropTable(String t) {
    throw new UnsupportedOperationException("held rows are read-only");
  }

  @Override
  public void close() {}
}
