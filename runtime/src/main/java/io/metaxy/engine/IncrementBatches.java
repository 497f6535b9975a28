package io.metaxy.engine;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The increment of a feature (store spec §4.5). The caller owns the batches and closes them (or this).
 *
 * @param newRows expected rows with no current row on the join columns (expected columns)
 * @param stale expected rows whose current provenance is null or different (expected columns, carrying
 *     the new provenance)
 * @param orphaned current rows that are no longer expected (current columns)
 */
public record IncrementBatches(
    VectorSchemaRoot newRows, VectorSchemaRoot stale, VectorSchemaRoot orphaned)
    implements AutoCloseable {
  /** Closes the three batches. */
  @Override
  public void close() {
    newRows.close();
    stale.close();
    orphaned.close();
  }
}
