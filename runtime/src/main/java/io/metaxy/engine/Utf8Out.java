package io.metaxy.engine;

import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.VarCharVector;

/**
 * UTF-8 values produced by one chunk of rows, in row order. Chunks are filled in parallel and then
 * copied into one {@link VarCharVector} with bulk buffer writes.
 */
final class Utf8Out {
  byte[] data;
  int len;
  final int[] ends;
  final boolean[] nulls;
  int count;

  Utf8Out(int rows, int bytesPerRow) {
    data = new byte[Math.max(16, rows * bytesPerRow)];
    ends = new int[rows];
    nulls = new boolean[rows];
  }

  void add(byte[] b, int off, int n) {
    if (len + n > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, len + n));
    }
    System.arraycopy(b, off, data, len, n);
    len += n;
    ends[count++] = len;
  }

  void addNull() {
    nulls[count] = true;
    ends[count++] = len;
  }

  /** Fills {@code v} (already named and typed) with the chunks' values, {@code n} rows in all. */
  static void assemble(VarCharVector v, Utf8Out[] chunks, int n) {
    long total = 0;
    for (Utf8Out c : chunks) {
      total += c.len;
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalStateException("column " + v.getName() + " would exceed 2 GiB of string data");
    }
    v.allocateNew(Math.max(total, 1), Math.max(n, 1));
    ArrowBuf offsets = v.getOffsetBuffer();
    ArrowBuf data = v.getDataBuffer();
    ArrowBuf validity = v.getValidityBuffer();
    validity.setZero(0, validity.capacity());
    offsets.setInt(0, 0);
    int row = 0;
    long base = 0;
    for (Utf8Out c : chunks) {
      data.setBytes(base, c.data, 0, c.len);
      for (int i = 0; i < c.count; i++, row++) {
        offsets.setInt((row + 1L) * 4, (int) (base + c.ends[i]));
        if (!c.nulls[i]) {
          BitVectorHelper.setBit(validity, row);
        }
      }
      base += c.len;
    }
    v.setLastSet(n - 1);
    v.setValueCount(n);
  }
}
