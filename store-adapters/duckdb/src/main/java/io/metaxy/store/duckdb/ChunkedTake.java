package io.metaxy.store.duckdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Row selection straight from the batches of a scan, without concatenating them first: a deduplicated
 * scan keeps most rows but reorders some, and concatenating then taking would copy every value twice
 * and hold three copies at the peak. Row numbers address the batches as if concatenated. Fixed-width,
 * UTF-8/binary and struct columns are copied with raw memory access (the row numbers are checked
 * against the batch bounds once, here); other kinds fall back to {@code copyFromSafe}.
 */
final class ChunkedTake {
  private final int[] chunk; // per output row: its batch
  private final int[] offset; // per output row: its row in that batch

  /** The rows {@code rows} (in that order) of batches holding {@code counts[i]} rows each. */
  ChunkedTake(int[] counts, int[] rows) {
    int[] starts =
        new int[counts.length + 1]; // first row of every batch, plus the total at the end
    for (int i = 0; i < counts.length; i++) {
      starts[i + 1] = starts[i] + counts[i];
    }
    chunk = new int[rows.length];
    offset = new int[rows.length];
    int total = starts[counts.length];
    int k = 0;
    for (int j = 0; j < rows.length; j++) {
      int r = rows[j];
      if (r < 0 || r >= total) {
        throw new IndexOutOfBoundsException("row " + r + " of " + total);
      }
      // Rows are mostly increasing, so the last row's batch is tried first.
      if (r < starts[k] || r >= starts[k + 1]) {
        int i = Arrays.binarySearch(starts, r);
        k = i >= 0 ? i : -i - 2;
        while (starts[k + 1] <= r) {
          k++; // empty batches share a start
        }
      }
      chunk[j] = k;
      offset[j] = r - starts[k];
    }
  }

  /** The selected rows of one column given as its batch parts, as a new vector. */
  FieldVector column(List<FieldVector> parts, BufferAllocator allocator) {
    FieldVector target = parts.get(0).getField().createVector(allocator);
    try {
      fill(parts, target, chunk, offset);
      return target;
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
  }

  private static void fill(List<FieldVector> parts, FieldVector dst, int[] chunk, int[] offset) {
    int n = chunk.length;
    if (dst instanceof BaseFixedWidthVector d
        && !(dst instanceof BitVector)
        && d.getTypeWidth() > 0) {
      d.allocateNew(n);
      int width = d.getTypeWidth();
      long[] data = new long[parts.size()];
      for (int i = 0; i < data.length; i++) {
        data[i] = ((BaseFixedWidthVector) parts.get(i)).getDataBuffer().memoryAddress();
      }
      long to = d.getDataBuffer().memoryAddress();
      for (int j = 0; j < n; j++) {
        long from = data[chunk[j]] + (long) offset[j] * width;
        if (width == 8) {
          MemoryUtil.putLong(to + (long) j * 8, MemoryUtil.getLong(from));
        } else {
          MemoryUtil.copyMemory(from, to + (long) j * width, width);
        }
      }
      validity(parts, d.getValidityBuffer(), chunk, offset);
      d.setValueCount(n);
    } else if (dst instanceof BaseVariableWidthVector d) {
      long[] offsets = new long[parts.size()];
      long[] data = new long[parts.size()];
      for (int i = 0; i < parts.size(); i++) {
        BaseVariableWidthVector p = (BaseVariableWidthVector) parts.get(i);
        offsets[i] = p.getOffsetBuffer().memoryAddress();
        data[i] = p.getDataBuffer().memoryAddress();
      }
      long bytes = 0;
      for (int j = 0; j < n; j++) {
        long o = offsets[chunk[j]] + (long) offset[j] * 4;
        bytes += MemoryUtil.getInt(o + 4) - MemoryUtil.getInt(o);
      }
      if (bytes > Integer.MAX_VALUE) {
        throw new IllegalStateException(
            "column " + dst.getName() + " holds more than 2 GiB of text; read it in parts");
      }
      d.allocateNew(Math.max(1, bytes), n);
      long toOffsets = d.getOffsetBuffer().memoryAddress();
      long to = d.getDataBuffer().memoryAddress();
      int pos = 0;
      MemoryUtil.putInt(toOffsets, 0);
      for (int j = 0; j < n; j++) {
        int c = chunk[j];
        long o = offsets[c] + (long) offset[j] * 4;
        int start = MemoryUtil.getInt(o);
        int len = MemoryUtil.getInt(o + 4) - start;
        copySmall(data[c] + start, to + pos, len);
        pos += len;
        MemoryUtil.putInt(toOffsets + (long) (j + 1) * 4, pos);
      }
      validity(parts, d.getValidityBuffer(), chunk, offset);
      d.setLastSet(n - 1);
      d.setValueCount(n);
    } else if (dst instanceof StructVector d) {
      d.setInitialCapacity(n);
      d.allocateNew();
      validity(parts, d.getValidityBuffer(), chunk, offset);
      List<FieldVector> children = d.getChildrenFromFields();
      // Children are independent copies: on all cores (a by-field struct is most of a scan's
      // bytes).
      IntStream.range(0, children.size()).parallel().forEach(c -> {
        List<FieldVector> childParts = new ArrayList<>();
        for (FieldVector p : parts) {
          childParts.add(((StructVector) p).getChildrenFromFields().get(c));
        }
        fill(childParts, children.get(c), chunk, offset);
      });
      d.setValueCount(n);
    } else {
      dst.allocateNew();
      for (int j = 0; j < n; j++) {
        dst.copyFromSafe(offset[j], j, parts.get(chunk[j]));
      }
      dst.setValueCount(n);
    }
  }

  /**
   * Copies {@code len} bytes in 8-byte words, then the tail: values here are short (versions of 8–16
   * characters), where a bulk copy call costs more than the copy. Never reads beyond {@code len}.
   */
  private static void copySmall(long from, long to, int len) {
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      MemoryUtil.putLong(to + i, MemoryUtil.getLong(from + i));
    }
    for (; i < len; i++) {
      MemoryUtil.putByte(to + i, MemoryUtil.getByte(from + i));
    }
  }

  /** Sets the validity bit of every output row whose source row is valid (the target starts all null). */
  private static void validity(List<FieldVector> parts, ArrowBuf to, int[] chunk, int[] offset) {
    int n = chunk.length;
    boolean[] allValid = new boolean[parts.size()];
    long[] bits = new long[parts.size()];
    boolean none = true;
    for (int i = 0; i < parts.size(); i++) {
      FieldVector p = parts.get(i);
      allValid[i] = p.getNullCount() == 0;
      bits[i] = allValid[i] ? 0 : p.getValidityBuffer().memoryAddress();
      none &= allValid[i];
    }
    if (none) {
      // No nulls anywhere (ids, by-field values): whole bytes at once instead of a bit per row.
      MemoryUtil.setMemory(to.memoryAddress(), n >>> 3, (byte) 0xFF);
      for (int j = n & ~7; j < n; j++) {
        BitVectorHelper.setBit(to, j);
      }
      return;
    }
    for (int j = 0; j < n; j++) {
      int c = chunk[j];
      int o = offset[j];
      if (allValid[c] || (MemoryUtil.getByte(bits[c] + (o >>> 3)) >> (o & 7) & 1) != 0) {
        BitVectorHelper.setBit(to, j);
      }
    }
  }
}
