package io.metaxy.store.support;

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
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.util.VectorAppender;

/**
 * Concatenation of one column's parts (of the same type) into a vector allocated once at its final
 * size: fixed-width, UTF-8/binary and struct columns by buffer copies, other kinds through Arrow's
 * {@link VectorAppender}. Appending row by row or batch by batch with growing buffers costs several
 * times as much on million-row columns.
 */
public final class ArrowConcat {
  private ArrowConcat() {}

  /** The parts (left open) as one new vector of {@code total} rows. */
  public static FieldVector column(List<FieldVector> parts, int total, BufferAllocator allocator) {
    FieldVector target = parts.get(0).getField().createVector(allocator);
    try {
      fill(parts, target, total);
      return target;
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
  }

  static void fill(List<FieldVector> parts, FieldVector target, int total) {
    if (target instanceof BaseFixedWidthVector d && !(target instanceof BitVector)) {
      d.allocateNew(total);
      int width = d.getTypeWidth();
      long at = 0;
      for (FieldVector p : parts) {
        int n = p.getValueCount();
        d.getDataBuffer()
            .setBytes(at * width, ((BaseFixedWidthVector) p).getDataBuffer(), 0, (long) n * width);
        validity(p, d.getValidityBuffer(), at);
        at += n;
      }
      d.setValueCount(total);
    } else if (target instanceof BaseVariableWidthVector d) {
      long bytes = 0;
      for (FieldVector p : parts) {
        BaseVariableWidthVector v = (BaseVariableWidthVector) p;
        int n = v.getValueCount();
        bytes += n == 0
            ? 0
            : v.getOffsetBuffer().getInt((long) n * 4) - v.getOffsetBuffer().getInt(0);
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
        // Raw reads and writes: both buffers were sized above, and the checked accessors cost more
        // than the copy.
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
