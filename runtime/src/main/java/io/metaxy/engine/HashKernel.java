package io.metaxy.engine;

import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import io.metaxy.versioning.hash.SampleHasher;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.VarCharVector;
import org.jspecify.annotations.Nullable;

/**
 * The per-row hashing phase: for every row, each output is {@code T(hash(template))} where a template
 * is a fixed sequence of constant bytes and column values; optionally a combined output is
 * {@code T(hash("|".join(outputs in a given order)))} (sample provenance).
 *
 * <p>Rows are split into chunks hashed in parallel. The string to hash is assembled in a reusable byte
 * buffer straight from the Arrow data buffers, and results are written straight into the output
 * vectors: a rendered, truncated hash has a known maximum length, so chunk {@code c} writes its bytes
 * from {@code firstRow(c) * maxLength}; afterwards the chunks are moved together and their offsets
 * shifted. No per-row objects and no heap copies of the results.
 */
final class HashKernel {
  private static final byte PIPE = '|';

  /**
   * One output's string: {@code head consts[0] col[0] consts[1] col[1] ... consts[k]}. Templates whose
   * parts after the head are the same (same constants, same column objects) share that body: it is
   * assembled once per row (the fields of a feature with the same parents differ only in the head).
   *
   * @param head the template's own leading bytes
   * @param consts k+1 constant byte strings
   * @param cols k columns (a null column means "always missing")
   * @param emptyIfNull per column: a missing value counts as {@code ""} (optional dependency) instead of
   *     making the output null
   */
  record Template(byte[] head, byte[][] consts, Col[] cols, boolean[] emptyIfNull) {
    boolean sameBody(Template o) {
      return Arrays.deepEquals(consts, o.consts)
          && Arrays.equals(cols, o.cols)
          && Arrays.equals(emptyIfNull, o.emptyIfNull);
    }
  }

  /** Rows whose scattered reads are issued together ahead of hashing them. */
  static final int TOUCH_BLOCK = 16;

  /** Keeps the JIT from dropping the loads of {@link Col#touch}. */
  @SuppressWarnings("unused")
  private static volatile long sink;

  private HashKernel() {}

  private static long touchAll(Col[] cols, int from, int to, int stage) {
    long x = 0;
    for (Col c : cols) {
      for (int q = from; q < to; q++) {
        x += c.touch(q, stage);
      }
    }
    return x;
  }

  /** The longest rendered value of an algorithm (before truncation). */
  static int renderedLength(HashAlgorithm algorithm) {
    return switch (algorithm) {
      case XXHASH32 -> 10;
      case XXHASH64, WYHASH, FARMHASH -> 20;
      case MD5 -> 32;
      case SHA256 -> 64;
    };
  }

  /**
   * Hashes every row of {@code [0, n)} into {@code outputs} (templates in order, then the combined
   * output when {@code combineOrder} is non-null). The output vectors are allocated here.
   *
   * @param combineOrder the template indexes whose values are joined with "|" and hashed into the last
   *     output; a null template value makes it null
   */
  static void run(
      int n,
      List<Template> templates,
      int @Nullable [] combineOrder,
      HashAlgorithm algorithm,
      Truncation truncation,
      List<VarCharVector> outputs) {
    int t = templates.size();
    int count = t + (combineOrder == null ? 0 : 1);
    if (outputs.size() != count) {
      throw new IllegalArgumentException(
          "expected " + count + " output vectors, got " + outputs.size());
    }
    int limit = truncation.length() == 0 ? SampleHasher.MAX_LENGTH : truncation.length();
    int maxLen = Math.min(limit, renderedLength(algorithm));
    long[] data = new long[count];
    long[] offsets = new long[count];
    long[] validity = new long[count];
    for (int o = 0; o < count; o++) {
      VarCharVector v = outputs.get(o);
      v.allocateNew(Math.max(1L, (long) n * maxLen), Math.max(1, n));
      ArrowBuf vb = v.getValidityBuffer();
      vb.setZero(0, vb.capacity());
      data[o] = v.getDataBuffer().memoryAddress();
      offsets[o] = v.getOffsetBuffer().memoryAddress();
      validity[o] = vb.memoryAddress();
      MemoryUtil.putInt(offsets[o], 0);
    }
    // owner[o]: the first template with o's body; reserve: room for the longest head before a body.
    int[] owner = new int[t];
    int headRoom = 0;
    for (int o = 0; o < t; o++) {
      owner[o] = o;
      headRoom = Math.max(headRoom, templates.get(o).head().length);
      for (int p = 0; p < o; p++) {
        if (owner[p] == p && templates.get(p).sameBody(templates.get(o))) {
          owner[o] = p;
          break;
        }
      }
    }
    int reserve = headRoom;
    // Columns read through a row mapping (the right side of a hash join): their reads are
    // scattered, so each block of rows loads them ahead (see Col#touch).
    List<Col> scattered = new ArrayList<>();
    for (Template tp : templates) {
      for (Col c : tp.cols) {
        if (c != null && c.mapped() && !scattered.contains(c)) {
          scattered.add(c);
        }
      }
    }
    Col[] ahead = scattered.toArray(new Col[0]);
    int chunks = Parallel.chunks(n);
    // Bytes written by each chunk of each output.
    int[][] written = new int[count][chunks];
    Parallel.forChunks(n, (chunk, from, to) -> {
      SampleHasher hasher = algorithm.newHasher();
      ByteBuf buf = new ByteBuf(256);
      ByteBuf[] bodies = new ByteBuf[t];
      boolean[] bodyNull = new boolean[t];
      for (int o = 0; o < t; o++) {
        bodies[o] = owner[o] == o ? new ByteBuf(256 + reserve) : null;
      }
      byte[] digest = new byte[SampleHasher.MAX_LENGTH];
      // The truncated value of each template output for the current row, for the combined hash.
      byte[][] values = new byte[t][SampleHasher.MAX_LENGTH];
      int[] lengths = new int[t];
      long base = (long) from * maxLen;
      int[] pos = new int[count];
      long touched = 0;
      for (int r = from; r < to; r++) {
        if (ahead.length > 0 && ((r - from) & (TOUCH_BLOCK - 1)) == 0) {
          // Pipelined (Col#touch): offsets two blocks ahead, string bytes one block ahead.
          if (r == from) {
            touched += touchAll(ahead, r, Math.min(to, r + TOUCH_BLOCK), 1);
            touched += touchAll(ahead, r + TOUCH_BLOCK, Math.min(to, r + 2 * TOUCH_BLOCK), 1);
            touched += touchAll(ahead, r, Math.min(to, r + TOUCH_BLOCK), 2);
          }
          touched += touchAll(ahead, r + 2 * TOUCH_BLOCK, Math.min(to, r + 3 * TOUCH_BLOCK), 1);
          touched += touchAll(ahead, r + TOUCH_BLOCK, Math.min(to, r + 2 * TOUCH_BLOCK), 2);
        }
        for (int o = 0; o < t; o++) {
          Template tp = templates.get(o);
          int own = owner[o];
          if (own == o) {
            // The body goes after room for the head, which is then written in front of it.
            ByteBuf body = bodies[o];
            body.len = reserve;
            boolean isNull = false;
            byte[][] consts = tp.consts;
            for (int k = 0; k < tp.cols.length; k++) {
              body.append(consts[k]);
              Col c = tp.cols[k];
              if ((c == null || !c.appendText(r, body)) && !tp.emptyIfNull[k]) {
                isNull = true;
                break;
              }
            }
            if (!isNull) {
              body.append(consts[consts.length - 1]);
            }
            bodyNull[o] = isNull;
          }
          if (bodyNull[own]) {
            lengths[o] = -1;
          } else {
            ByteBuf body = bodies[own];
            int start = reserve - tp.head.length;
            System.arraycopy(tp.head, 0, body.a, start, tp.head.length);
            int len = Math.min(maxLen, hasher.hash(body.a, start, body.len - start, values[o], 0));
            lengths[o] = len;
            put(values[o], len, data[o] + base + pos[o]);
            pos[o] += len;
            setBit(validity[o], r);
          }
          MemoryUtil.putInt(offsets[o] + (r + 1L) * 4, pos[o]);
        }
        if (combineOrder != null) {
          buf.len = 0;
          boolean isNull = false;
          for (int i = 0; i < combineOrder.length; i++) {
            int o = combineOrder[i];
            if (lengths[o] < 0) {
              isNull = true;
              break;
            }
            if (i > 0) {
              buf.ensure(1);
              buf.a[buf.len++] = PIPE;
            }
            buf.append(values[o], 0, lengths[o]);
          }
          if (!isNull) {
            int len = Math.min(maxLen, hasher.hash(buf.a, 0, buf.len, digest, 0));
            put(digest, len, data[t] + base + pos[t]);
            pos[t] += len;
            setBit(validity[t], r);
          }
          MemoryUtil.putInt(offsets[t] + (r + 1L) * 4, pos[t]);
        }
      }
      for (int o = 0; o < count; o++) {
        written[o][chunk] = pos[o];
      }
      sink = touched;
    });
    for (int o = 0; o < count; o++) {
      compact(outputs.get(o), n, chunks, maxLen, written[o], data[o], offsets[o]);
    }
  }

  /**
   * Moves each chunk's bytes down to follow the previous chunk's, and turns its chunk-relative offsets
   * into absolute ones.
   */
  private static void compact(
      VarCharVector v, int n, int chunks, int maxLen, int[] written, long data, long offsets) {
    long[] target = new long[chunks];
    long total = 0;
    for (int c = 0; c < chunks; c++) {
      target[c] = total;
      total += written[c];
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalStateException(
          "column " + v.getName() + " would exceed 2 GiB of string data");
    }
    for (int c = 1; c < chunks; c++) {
      long from = (long) Parallel.chunkStart(n, chunks, c) * maxLen;
      if (written[c] > 0 && from != target[c]) {
        // Destination precedes source: Unsafe's conjoint copy handles the overlap.
        MemoryUtil.copyMemory(data + from, data + target[c], written[c]);
      }
    }
    IntStream.range(1, chunks).parallel().forEach(c -> {
      int shift = (int) target[c];
      if (shift == 0) {
        return;
      }
      for (int r = Parallel.chunkStart(n, chunks, c);
          r < Parallel.chunkStart(n, chunks, c + 1);
          r++) {
        long a = offsets + (r + 1L) * 4;
        MemoryUtil.putInt(a, MemoryUtil.getInt(a) + shift);
      }
    });
    v.setLastSet(n - 1);
    v.setValueCount(n);
  }

  private static final VarHandle NATIVE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  /** Copies a short value a word at a time (a bulk-copy call costs more at these sizes). */
  private static void put(byte[] src, int len, long address) {
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      MemoryUtil.putLong(address + i, (long) NATIVE_LONG.get(src, i));
    }
    for (; i < len; i++) {
      MemoryUtil.putByte(address + i, src[i]);
    }
  }

  private static void setBit(long validity, int i) {
    long a = validity + (i >> 3);
    MemoryUtil.putByte(a, (byte) (MemoryUtil.getByte(a) | (1 << (i & 7))));
  }
}
