package io.metaxy.engine;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.TransferPair;

/** Builds result vectors from {@link Col}s: zero-copy when no rows move, bulk copies otherwise. */
final class Gather {
  private Gather() {}

  /** A new vector named {@code c.name} holding rows {@code [0, n)} of {@code c}. */
  static FieldVector column(Col c, int n, BufferAllocator allocator) {
    if (c.rows == null
        && c.orElse == null
        && c.parent == null
        && c.vec.getValueCount() == n
        && c.vec.getAllocator().getRoot() == allocator.getRoot()) {
      // Shares the source buffers (reference counted; only possible under one root allocator); the
      // source batch stays usable.
      TransferPair tp = c.vec.getTransferPair(c.name, allocator);
      tp.splitAndTransfer(0, n);
      return (FieldVector) tp.getTo();
    }
    Field f = new Field(c.name, c.vec.getField().getFieldType(), c.vec.getField().getChildren());
    FieldVector out = f.createVector(allocator);
    try {
      fill(c, out, n);
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    return out;
  }

  /** The source row of every result row and whether it is valid, resolving coalesced columns. */
  private static void fill(Col c, FieldVector out, int n) {
    if (c.orElse != null) {
      generic(c, out, n);
      return;
    }
    if (out instanceof VarCharVector v && c.vec instanceof VarCharVector src) {
      varChar(c, src, v, n);
    } else if (out instanceof BaseFixedWidthVector v
        && !(out instanceof BitVector)
        && c.vec instanceof BaseFixedWidthVector src
        && src.getClass() == v.getClass()) {
      fixedWidth(c, src, v, n);
    } else if (out instanceof StructVector s && c.vec instanceof StructVector src && c.parent == null) {
      struct(c, src, s, n);
    } else {
      generic(c, out, n);
    }
  }

  private static void generic(Col c, FieldVector out, int n) {
    out.setInitialCapacity(n);
    out.allocateNew();
    int[] s = new int[1];
    for (int i = 0; i < n; i++) {
      Col src = c.source(i, s);
      if (src != null) {
        out.copyFromSafe(s[0], i, src.vec);
      }
    }
    out.setValueCount(n);
  }

  private static void varChar(Col c, VarCharVector src, VarCharVector out, int n) {
    long total = 0;
    for (int i = 0; i < n; i++) {
      int s = c.row(i);
      if (!c.nullAtSource(s)) {
        total += src.getValueLength(s);
      }
    }
    out.allocateNew(Math.max(1, total), Math.max(1, n));
    ArrowBuf validityBuf = out.getValidityBuffer();
    validityBuf.setZero(0, validityBuf.capacity());
    long offsets = out.getOffsetBuffer().memoryAddress();
    long data = out.getDataBuffer().memoryAddress();
    long validity = validityBuf.memoryAddress();
    long srcOffsets = src.getOffsetBuffer().memoryAddress();
    long srcData = src.getDataBuffer().capacity() == 0 ? 0 : src.getDataBuffer().memoryAddress();
    MemoryUtil.putInt(offsets, 0);
    long pos = 0;
    for (int i = 0; i < n; i++) {
      int s = c.row(i);
      if (!c.nullAtSource(s)) {
        int start = MemoryUtil.getInt(srcOffsets + 4L * s);
        int len = MemoryUtil.getInt(srcOffsets + 4L * s + 4) - start;
        if (len > 0) {
          MemoryUtil.copyMemory(srcData + start, data + pos, len);
        }
        pos += len;
        setBit(validity, i);
      }
      MemoryUtil.putInt(offsets + (i + 1L) * 4, (int) pos);
    }
    out.setLastSet(n - 1);
    out.setValueCount(n);
  }

  private static void setBit(long validity, int i) {
    long a = validity + (i >> 3);
    MemoryUtil.putByte(a, (byte) (MemoryUtil.getByte(a) | (1 << (i & 7))));
  }

  private static void fixedWidth(Col c, BaseFixedWidthVector src, BaseFixedWidthVector out, int n) {
    out.allocateNew(Math.max(1, n));
    int width = src.getTypeWidth();
    ArrowBuf validityBuf = out.getValidityBuffer();
    validityBuf.setZero(0, validityBuf.capacity());
    long data = out.getDataBuffer().memoryAddress();
    long validity = validityBuf.memoryAddress();
    long srcData = src.getDataBuffer().capacity() == 0 ? 0 : src.getDataBuffer().memoryAddress();
    for (int i = 0; i < n; i++) {
      int s = c.row(i);
      if (!c.nullAtSource(s)) {
        if (width == 8) {
          MemoryUtil.putLong(data + (long) i * 8, MemoryUtil.getLong(srcData + (long) s * 8));
        } else if (width == 4) {
          MemoryUtil.putInt(data + (long) i * 4, MemoryUtil.getInt(srcData + (long) s * 4));
        } else {
          MemoryUtil.copyMemory(srcData + (long) s * width, data + (long) i * width, width);
        }
        setBit(validity, i);
      }
    }
    out.setValueCount(n);
  }

  private static void struct(Col c, StructVector src, StructVector out, int n) {
    out.setInitialCapacity(n);
    out.allocateNew();
    List<FieldVector> children = new ArrayList<>(out.getChildrenFromFields());
    for (FieldVector child : children) {
      FieldVector srcChild = (FieldVector) src.getChild(child.getName());
      // A child is null where the struct row is null, whatever the child buffer holds.
      Col cc = new Col(child.getName(), srcChild, src, c.rows, null);
      child.clear();
      fill(cc, child, n);
    }
    ArrowBuf validityBuf = out.getValidityBuffer();
    validityBuf.setZero(0, validityBuf.capacity());
    long validity = validityBuf.memoryAddress();
    for (int i = 0; i < n; i++) {
      if (!c.nullAtSource(c.row(i))) {
        setBit(validity, i);
      }
    }
    out.setValueCount(n);
  }
}
