package io.metaxy.store.duckdb;

import io.metaxy.store.support.ArrowBatches;
import io.metaxy.store.support.ArrowConcat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Concatenates the batches of one scan into a single batch, allocating every buffer once at its final
 * size: appending batch by batch grows the buffers by doubling, which copies the data several times
 * and needs up to three times its size at the peak. Fixed-width, UTF-8/binary and struct columns are
 * copied buffer by buffer; other kinds use Arrow's {@link VectorAppender}.
 */
final class Concat {
  private Concat() {}

  /** One batch holding the rows of {@code batches} in order; closes the batches. */
  static VectorSchemaRoot of(List<VectorSchemaRoot> batches, BufferAllocator allocator) {
    try {
      List<FieldVector> first = batches.get(0).getFieldVectors();
      if (batches.size() == 1) {
        List<FieldVector> shared = new ArrayList<>();
        for (FieldVector v : first) {
          shared.add(ArrowBatches.share(v, allocator));
        }
        return ArrowBatches.of(shared, batches.get(0).getRowCount());
      }
      int total = 0;
      for (VectorSchemaRoot b : batches) {
        total += b.getRowCount();
      }
      int rows = total;
      List<FieldVector> out = inParallel(first.size(), c -> {
        List<FieldVector> parts = parts(batches, c);
        FieldVector v = column(parts, rows, allocator);
        // Release each column's batch buffers as soon as it is copied: the peak stays near one
        // copy.
        parts.forEach(FieldVector::close);
        return v;
      });
      return ArrowBatches.of(out, total);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
  }

  /**
   * {@code build(0..count-1)} on all cores, in index order. Columns are independent copies whose cost is
   * memory bandwidth and page faults, so two cores nearly halve it. On failure every vector already
   * built is closed.
   */
  static List<FieldVector> inParallel(int count, IntFunction<FieldVector> build) {
    FieldVector[] out = new FieldVector[count];
    try {
      IntStream.range(0, count).parallel().forEach(i -> out[i] = build.apply(i));
    } catch (RuntimeException | Error e) {
      for (FieldVector v : out) {
        if (v != null) {
          v.close();
        }
      }
      throw e;
    }
    return List.of(out);
  }

  /** The vectors of column {@code c} in every batch. */
  static List<FieldVector> parts(List<VectorSchemaRoot> batches, int c) {
    List<FieldVector> parts = new ArrayList<>();
    for (VectorSchemaRoot b : batches) {
      parts.add(b.getVector(c));
    }
    return parts;
  }

  /** One column concatenated from its batch parts (left open) as a new vector of {@code total} rows. */
  static FieldVector column(List<FieldVector> parts, int total, BufferAllocator allocator) {
    return ArrowConcat.column(parts, total, allocator);
  }
}
