package io.metaxy.store.duckdb;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An Arrow stream of one batch handed over in slices of {@link #SLICE_ROWS} rows, in order, so that a
 * batch can be exported to DuckDB through the C data interface. DuckDB scans an Arrow stream one
 * array at a time per thread: a large batch in one piece is inserted by one thread, and costs it
 * about twice the CPU of the same rows in slices (1M-row batch, measured).
 */
final class SlicedBatchReader extends ArrowReader {
  /**
   * Rows per slice: DuckDB's row-group size, a multiple of its 2048-row vectors and of 8 (validity
   * bits of a slice then start on a byte and are shared, not shifted).
   */
  static final int SLICE_ROWS = 122_880;

  private final VectorSchemaRoot batch;
  private int next;

  SlicedBatchReader(BufferAllocator allocator, VectorSchemaRoot batch) {
    super(allocator);
    this.batch = batch;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    int rows = batch.getRowCount();
    if (next >= rows && !(next == 0 && rows == 0)) {
      return false;
    }
    prepareLoadNextBatch();
    int length = Math.min(SLICE_ROWS, rows - next);
    if (next == 0 && length == rows) {
      // Unloading shares the batch's buffers (reference counted): no copy.
      try (ArrowRecordBatch rb = new VectorUnloader(batch).getRecordBatch()) {
        loadRecordBatch(rb);
      }
    } else {
      // A slice shares the data buffers; only the offsets of variable-width columns are rebased.
      try (VectorSchemaRoot slice = batch.slice(next, length);
          ArrowRecordBatch rb = new VectorUnloader(slice).getRecordBatch()) {
        loadRecordBatch(rb);
      }
    }
    next += Math.max(1, length);
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {}

  @Override
  protected Schema readSchema() {
    return batch.getSchema();
  }
}
