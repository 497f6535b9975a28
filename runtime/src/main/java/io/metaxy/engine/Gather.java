package io.metaxy.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.TransferPair;
import org.jspecify.annotations.Nullable;

/**
 * Builds result vectors and batches from {@link Col}s: zero-copy when no rows move, bulk copies
 * otherwise. Values are copied only here, once per result, whatever the stages before composed.
 */
final class Gather {
  private Gather() {}

  /** Builds the result vectors of {@code cols}, one column per task; on failure none is left open. */
  static List<FieldVector> columns(List<Col> cols, int n, BufferAllocator allocator) {
    FieldVector[] out = new FieldVector[cols.size()];
    try {
      IntStream.range(0, cols.size())
          .parallel()
          .forEach(i -> out[i] = column(cols.get(i), n, allocator));
    } catch (RuntimeException e) {
      Arrays.stream(out).filter(Objects::nonNull).forEach(FieldVector::close);
      throw e;
    }
    return Arrays.asList(out);
  }

  /** Rows {@code idx} (all rows when null) of every column of {@code root}, as a new batch of n rows. */
  static VectorSchemaRoot rows(
      VectorSchemaRoot root, int @Nullable [] idx, int n, BufferAllocator allocator) {
    List<FieldVector> vs = root.getFieldVectors();
    // A column that shares every buffer with an earlier one (the expected batch's data versions
    // share the provenance's) is gathered once and shared again, instead of copied twice.
    int[] sameAs = new int[vs.size()];
    List<Col> cols = new ArrayList<>();
    List<Integer> gathered = new ArrayList<>();
    for (int i = 0; i < vs.size(); i++) {
      sameAs[i] = -1;
      for (int k = 0; k < i && sameAs[i] < 0; k++) {
        if (sameAs[k] < 0 && sameBuffers(vs.get(k), vs.get(i))) {
          sameAs[i] = k;
        }
      }
      if (sameAs[i] < 0) {
        Col c = Col.of(vs.get(i).getName(), vs.get(i));
        cols.add(idx == null ? c : c.remap(idx));
        gathered.add(i);
      }
    }
    List<FieldVector> built = columns(cols, n, allocator);
    FieldVector[] out = new FieldVector[vs.size()];
    for (int g = 0; g < gathered.size(); g++) {
      out[gathered.get(g)] = built.get(g);
    }
    try {
      for (int i = 0; i < vs.size(); i++) {
        if (sameAs[i] >= 0) {
          out[i] = column(Col.of(vs.get(i).getName(), out[sameAs[i]]), n, allocator);
        }
      }
    } catch (RuntimeException e) {
      Arrays.stream(out).filter(Objects::nonNull).forEach(FieldVector::close);
      throw e;
    }
    VectorSchemaRoot r = new VectorSchemaRoot(Arrays.asList(out));
    r.setRowCount(n);
    return r;
  }

  /** Whether two vectors are views of the same memory: same type and value count, every buffer shared. */
  private static boolean sameBuffers(FieldVector a, FieldVector b) {
    if (a.getClass() != b.getClass()
        || a.getValueCount() != b.getValueCount()
        || !a.getField().getType().equals(b.getField().getType())) {
      return false;
    }
    List<ArrowBuf> ab = a.getFieldBuffers();
    List<ArrowBuf> bb = b.getFieldBuffers();
    if (ab.size() != bb.size()) {
      return false;
    }
    boolean anyMemory = false;
    for (int i = 0; i < ab.size(); i++) {
      // Addresses only: a shared buffer may be a shorter slice (zero-copy transfer) of the other.
      boolean aHas = ab.get(i).capacity() > 0;
      if (aHas != (bb.get(i).capacity() > 0)
          || (aHas && ab.get(i).memoryAddress() != bb.get(i).memoryAddress())) {
        return false;
      }
      anyMemory |= aHas;
    }
    List<FieldVector> ac = a.getChildrenFromFields();
    List<FieldVector> bc = b.getChildrenFromFields();
    if (ac.size() != bc.size()) {
      return false;
    }
    for (int i = 0; i < ac.size(); i++) {
      if (!ac.get(i).getName().equals(bc.get(i).getName()) || !sameBuffers(ac.get(i), bc.get(i))) {
        return false;
      }
    }
    return anyMemory || !ac.isEmpty();
  }

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
    Field f =
        new Field(c.name, c.vec.getField().getFieldType(), c.vec.getField().getChildren());
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
    } else if (out instanceof StructVector s
        && c.vec instanceof StructVector src
        && c.parent == null) {
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
