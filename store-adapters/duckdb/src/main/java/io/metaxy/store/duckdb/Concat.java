package io.metaxy.store.duckdb;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.util.VectorAppender;

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
    return of(batches, null, allocator);
  }

  /**
   * One batch holding the rows of {@code batches} in order, only the columns named in {@code keep}
   * (all when null), in batch order; closes the batches.
   */
  static VectorSchemaRoot of(List<VectorSchemaRoot> batches, java.util.Set<String> keep, BufferAllocator allocator) {
    try {
      List<Integer> columns = new ArrayList<>();
      List<FieldVector> first = batches.get(0).getFieldVectors();
      for (int c = 0; c < first.size(); c++) {
        if (keep == null || keep.contains(first.get(c).getName())) {
          columns.add(c);
        }
      }
      if (batches.size() == 1) {
        List<FieldVector> shared = new ArrayList<>();
        for (int c : columns) {
          shared.add(io.metaxy.store.spi.ArrowBatches.share(first.get(c), allocator));
        }
        return io.metaxy.store.spi.ArrowBatches.of(shared, batches.get(0).getRowCount());
      }
      int total = 0;
      for (VectorSchemaRoot b : batches) {
        total += b.getRowCount();
      }
      int rows = total;
      List<FieldVector> out = inParallel(columns.size(), i -> {
        List<FieldVector> parts = parts(batches, columns.get(i));
        FieldVector v = column(parts, rows, allocator);
        // Release each column's batch buffers as soon as it is copied: the peak stays near one copy.
        parts.forEach(FieldVector::close);
        return v;
      });
      return io.metaxy.store.spi.ArrowBatches.of(out, total);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
  }

  /**
   * {@code build(0..count-1)} on all cores, in index order. Columns are independent copies whose cost is
   * memory bandwidth and page faults, so two cores nearly halve it. On failure every vector already
   * built is closed.
   */
  static List<FieldVector> inParallel(int count, java.util.function.IntFunction<FieldVector> build) {
    FieldVector[] out = new FieldVector[count];
    try {
      java.util.stream.IntStream.range(0, count).parallel().forEach(i -> out[i] = build.apply(i));
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
    FieldVector target = parts.get(0).getField().createVector(allocator);
    try {
      fill(parts, target, total);
      return target;
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
  }

  private static void fill(List<FieldVector> parts, FieldVector target, int total) {
    if (target instanceof BaseFixedWidthVector d && !(target instanceof BitVector)) {
      d.allocateNew(total);
      int width = d.getTypeWidth();
      long at = 0;
      for (FieldVector p : parts) {
        int n = p.getValueCount();
        d.getDataBuffer().setBytes(at * width, ((BaseFixedWidthVector) p).getDataBuffer(), 0, (long) n * width);
        validity(p, d.getValidityBuffer(), at);
        at += n;
      }
      d.setValueCount(total);
    } else if (target instanceof BaseVariableWidthVector d) {
      long bytes = 0;
      for (FieldVector p : parts) {
        BaseVariableWidthVector v = (BaseVariableWidthVector) p;
        int n = v.getValueCount();
        bytes += n == 0 ? 0 : v.getOffsetBuffer().getInt((long) n * 4) - v.getOffsetBuffer().getInt(0);
      }
      d.allocateNew(Math.max(1, bytes), total);
      ArrowBuf offsets = d.getOffsetBuffer();
      offsets.setInt(0, 0);
      long at = 0;
      int pos = 0;
      for (FieldVector p : parts) {
        BaseVariableWidthVector v = (BaseVariableWidthVector) p;
        int n = v.getValueCount();
        if (n == 0) {
          continue;
        }
        ArrowBuf from = v.getOffsetBuffer();
        int first = from.getInt(0);
        int len = from.getInt((long) n * 4) - first;
        d.getDataBuffer().setBytes(pos, v.getDataBuffer(), first, len);
        int shift = pos - first;
        // Raw reads and writes: both buffers were sized above, and the checked accessors cost more than the copy.
        long src = from.memoryAddress();
        long dst = offsets.memoryAddress() + at * 4;
        for (int r = 1; r <= n; r++) {
          MemoryUtil.putInt(dst + (long) r * 4, MemoryUtil.getInt(src + (long) r * 4) + shift);
        }
        validity(p, d.getValidityBuffer(), at);
        pos += len;
        at += n;
      }
      d.setLastSet(total - 1);
      d.setValueCount(total);
    } else if (target instanceof StructVector d) {
      d.setInitialCapacity(total);
      d.allocateNew();
      long at = 0;
      for (FieldVector p : parts) {
        validity(p, d.getValidityBuffer(), at);
        at += p.getValueCount();
      }
      List<FieldVector> children = d.getChildrenFromFields();
      for (int c = 0; c < children.size(); c++) {
        List<FieldVector> childParts = new ArrayList<>();
        for (FieldVector p : parts) {
          childParts.add(((StructVector) p).getChildrenFromFields().get(c));
        }
        fill(childParts, children.get(c), total);
      }
      d.setValueCount(total);
    } else {
      target.allocateNew();
      for (FieldVector p : parts) {
        p.accept(new VectorAppender(target), null);
      }
      target.setValueCount(total);
    }
  }

  /** Copies {@code part}'s validity bits to {@code to} starting at bit {@code at}. */
  private static void validity(FieldVector part, ArrowBuf to, long at) {
    int n = part.getValueCount();
    if (part.getNullCount() == 0) {
      for (long i = at; i < at + n; i++) {
        if ((i & 7) == 0 && i + 8 <= at + n) {
          to.setByte(i >>> 3, 0xFF);
          i += 7;
        } else {
          BitVectorHelper.setBit(to, i);
        }
      }
      return;
    }
    ArrowBuf from = part.getValidityBuffer();
    if ((at & 7) == 0) {
      int whole = n >>> 3;
      to.setBytes(at >>> 3, from, 0, whole);
      for (int r = whole << 3; r < n; r++) {
        BitVectorHelper.setValidityBit(to, (int) (at + r), BitVectorHelper.get(from, r));
      }
    } else {
      for (int r = 0; r < n; r++) {
        BitVectorHelper.setValidityBit(to, (int) (at + r), BitVectorHelper.get(from, r));
      }
    }
  }
}
