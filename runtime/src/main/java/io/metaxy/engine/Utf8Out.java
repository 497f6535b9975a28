package io.metaxy.engine;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.VarCharVector;

/**
 * UTF-8 values produced by one chunk of rows, in row order. Chunks are filled in parallel and then
 * copied into one {@link VarCharVector} with bulk buffer writes.
 */
final class Utf8Out {
  byte[] data;
  int len;
  /** End offset of each value; a null value stores the bitwise complement of its (empty) end. */
  final int[] ends;

  int count;

  Utf8Out(int rows, int bytesPerRow) {
    data = new byte[Math.max(16, rows * bytesPerRow)];
    ends = new int[rows];
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
    ends[count++] = ~len;
  }

  /** Fills {@code v} (already named and typed) with the chunks' values, {@code n} rows in all. */
  static void assemble(VarCharVector v, Utf8Out[] chunks, int n) {
    long total = 0;
    for (Utf8Out c : chunks) {
      total += c.len;
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalStateException(
          "column " + v.getName() + " would exceed 2 GiB of string data");
    }
    v.allocateNew(Math.max(total, 1), Math.max(n, 1));
    ArrowBuf validityBuf = v.getValidityBuffer();
    validityBuf.setZero(0, validityBuf.capacity());
    // Raw writes: ArrowBuf's checked setters cost more than the copying itself at millions of rows.
    long offsets = v.getOffsetBuffer().memoryAddress();
    long data = v.getDataBuffer().memoryAddress();
    long validity = validityBuf.memoryAddress();
    MemoryUtil.putInt(offsets, 0);
    int[] firstRow = new int[chunks.length];
    long[] firstByte = new long[chunks.length];
    for (int c = 1; c < chunks.length; c++) {
      firstRow[c] = firstRow[c - 1] + chunks[c - 1].count;
      firstByte[c] = firstByte[c - 1] + chunks[c - 1].len;
    }
    // Chunks start at multiples of 64 rows (Parallel.chunkStart), so they own whole validity bytes.
    IntStream.range(0, chunks.length).parallel().forEach(ci -> {
      Utf8Out c = chunks[ci];
      long base = firstByte[ci];
      if (c.len > 0) {
        MemoryUtil.copyToMemory(c.data, 0, data + base, c.len);
      }
      int row = firstRow[ci];
      for (int i = 0; i < c.count; i++, row++) {
        int end = c.ends[i];
        MemoryUtil.putInt(offsets + (row + 1L) * 4, (int) (base + (end < 0 ? ~end : end)));
        if (end >= 0) {
          long a = validity + (row >> 3);
          MemoryUtil.putByte(a, (byte) (MemoryUtil.getByte(a) | (1 << (row & 7))));
        }
      }
    });
    v.setLastSet(n - 1);
    v.setValueCount(n);
  }
}
