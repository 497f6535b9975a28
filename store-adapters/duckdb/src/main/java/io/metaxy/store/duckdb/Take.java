package io.metaxy.store.duckdb;

import io.metaxy.store.spi.ArrowBatches;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Row selection by buffer copies for the vector kinds a scan returns (fixed width, UTF-8/binary,
 * structs of those); other kinds fall back to {@code copyFromSafe} per row. Several times faster than
 * the per-row generic copy for the million-row batches deduplication shrinks.
 */
final class Take {
  private Take() {}

  /** The rows whose bit is set, in order; {@code source} is left to the caller. */
  static VectorSchemaRoot rows(VectorSchemaRoot source, java.util.BitSet keep, BufferAllocator allocator) {
    return rows(source, keep.stream().toArray(), allocator);
  }

  /** The given rows, in the given order; {@code source} is left to the caller. */
  static VectorSchemaRoot rows(VectorSchemaRoot source, int[] rows, BufferAllocator allocator) {
    List<FieldVector> out = new ArrayList<>();
    try {
      for (FieldVector v : source.getFieldVectors()) {
        FieldVector target = v.getField().createVector(allocator);
        out.add(target);
        fill(v, target, rows);
      }
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      throw e;
    }
    return ArrowBatches.of(out, rows.length);
  }

  private static void fill(FieldVector src, FieldVector dst, int[] rows) {
    int n = rows.length;
    if (src instanceof BaseFixedWidthVector s && !(src instanceof BitVector) && dst instanceof BaseFixedWidthVector d) {
      d.allocateNew(n);
      int width = s.getTypeWidth();
      ArrowBuf from = s.getDataBuffer();
      ArrowBuf to = d.getDataBuffer();
      for (int j = 0; j < n; j++) {
        int r = rows[j];
        if (!s.isNull(r)) {
          BitVectorHelper.setBit(d.getValidityBuffer(), j);
          if (width == 8) {
            to.setLong((long) j * 8, from.getLong((long) r * 8));
          } else {
            to.setBytes((long) j * width, from, (long) r * width, width);
          }
        }
      }
      d.setValueCount(n);
    } else if (src instanceof BaseVariableWidthVector s && dst instanceof BaseVariableWidthVector d) {
      long bytes = 0;
      for (int r : rows) {
        if (!s.isNull(r)) {
          bytes += s.getValueLength(r);
        }
      }
      d.allocateNew(Math.max(1, bytes), n);
      ArrowBuf fromOffsets = s.getOffsetBuffer();
      ArrowBuf from = s.getDataBuffer();
      ArrowBuf toOffsets = d.getOffsetBuffer();
      ArrowBuf to = d.getDataBuffer();
      int pos = 0;
      toOffsets.setInt(0, 0);
      for (int j = 0; j < n; j++) {
        int r = rows[j];
        if (!s.isNull(r)) {
          BitVectorHelper.setBit(d.getValidityBuffer(), j);
          int start = fromOffsets.getInt((long) r * 4);
          int len = fromOffsets.getInt((long) (r + 1) * 4) - start;
          to.setBytes(pos, from, start, len);
          pos += len;
        }
        toOffsets.setInt((long) (j + 1) * 4, pos);
      }
      d.setLastSet(n - 1);
      d.setValueCount(n);
    } else if (src instanceof StructVector s && dst instanceof StructVector d) {
      d.setInitialCapacity(n);
      d.allocateNew();
      for (int j = 0; j < n; j++) {
        if (!s.isNull(rows[j])) {
          BitVectorHelper.setBit(d.getValidityBuffer(), j);
        }
      }
      List<FieldVector> fromChildren = s.getChildrenFromFields();
      List<FieldVector> toChildren = d.getChildrenFromFields();
      for (int c = 0; c < fromChildren.size(); c++) {
        fill(fromChildren.get(c), toChildren.get(c), rows);
      }
      d.setValueCount(n);
    } else {
      dst.allocateNew();
      for (int j = 0; j < n; j++) {
        dst.copyFromSafe(rows[j], j, src);
      }
      dst.setValueCount(n);
    }
  }
}
