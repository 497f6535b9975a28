package io.metaxy.store.duckdb;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/** An Arrow stream of exactly one batch, so a batch can be exported to DuckDB through the C data interface. */
final class SingleBatchReader extends ArrowReader {
  private final VectorSchemaRoot batch;
  private boolean done;

  SingleBatchReader(BufferAllocator allocator, VectorSchemaRoot batch) {
    super(allocator);
    this.batch = batch;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (done) {
      return false;
    }
    prepareLoadNextBatch();
    // Unloading shares the batch's buffers (reference counted): no copy.
    try (ArrowRecordBatch rb = new VectorUnloader(batch).getRecordBatch()) {
      loadRecordBatch(rb);
    }
    done = true;
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
