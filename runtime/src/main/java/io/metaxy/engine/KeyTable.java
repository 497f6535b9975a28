package io.metaxy.engine;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * A hash table over the key columns of one side of a join or grouping, held in one primitive array (no
 * per-row objects): open addressing with linear probing, each slot packing the 32-bit key hash with the
 * row number, so a lookup usually costs a single cache miss before the key comparison.
 */
final class KeyTable {
  /** Rows looked up together; their slot loads are independent, so their cache misses overlap. */
  static final int BATCH = 16;

  private final List<Col> keys;
  /** One sub-table per partition (top hash bits), so partitions are built in parallel. */
  private final long[][] tables;

  private final int[] masks;
  private final int shift;

  @SuppressWarnings("unused")
  private volatile long sink;

  /**
   * Indexes rows {@code [0, n)} of {@code keys}; rows with a null key component are left out when
   * {@code skipNullKeys} (join semantics: null keys never match).
   */
  KeyTable(List<Col> keys, int n, boolean skipNullKeys) {
    this.keys = keys;
    int[] hashes = hashRows(keys, n);
    int parts = Integer.highestOneBit(Parallel.chunks(n));
    int bits = Integer.numberOfTrailingZeros(parts);
    this.shift = 32 - bits;
    // Counting sort of the rows by partition (stable: rows stay ascending within a partition).
    int[] starts = new int[parts + 1];
    for (int r = 0; r < n; r++) {
      starts[partOf(hashes[r], shift) + 1]++;
    }
    for (int p = 0; p < parts; p++) {
      starts[p + 1] += starts[p];
    }
    int[] order = new int[n];
    int[] cursor = Arrays.copyOf(starts, parts);
    for (int r = 0; r < n; r++) {
      order[cursor[partOf(hashes[r], shift)]++] = r;
    }
    this.tables = new long[parts][];
    this.masks = new int[parts];
    for (int p = 0; p < parts; p++) {
      tables[p] = new long[capacity(starts[p + 1] - starts[p])];
      masks[p] = tables[p].length - 1;
    }
    IntStream.range(0, parts).parallel().forEach(p -> {
      long[] slots = tables[p];
      int mask = masks[p];
      long touched = 0;
      // Inserted in ascending row order, so a probe meets duplicate keys in row order.
      for (int i = starts[p]; i < starts[p + 1]; i++) {
        int r = order[i];
        if (skipNullKeys && hasNull(keys, r)) {
          continue;
        }
        int h = hashes[r];
        int s = h & mask;
        while (slots[s] != 0) {
          s = (s + 1) & mask;
        }
        slots[s] = pack(h, r);
        touched++;
      }
      sink = touched;
    });
  }

  private static int partOf(int h, int shift) {
    return shift == 32 ? 0 : h >>> shift;
  }

  private int part(int h) {
    return partOf(h, shift);
  }

  /**
   * Loads ahead what probing rows {@code [r, r + BATCH)} of a chunk {@code [from, to)} will read, in a
   * pipeline over blocks of {@link #BATCH} rows: the home slots three blocks ahead, the offsets of the
   * indexed keys (and of {@code also}, a column of the indexed side, when non-null) in those slots two
   * blocks ahead, their bytes one block ahead. Each stage's loads only depend on an earlier block's, so
   * when the indexed rows are scattered relative to the probe order the misses overlap instead of
   * following one another. Call at every block start.
   */
  long ahead(int[] hashes, int r, int from, int to, @Nullable Col also) {
    long x = 0;
    if (r == from) {
      x += touchStage(hashes, r, Math.min(to, r + BATCH), also, 0);
      x += touchStage(hashes, r + BATCH, Math.min(to, r + 2 * BATCH), also, 0);
      x += touchStage(hashes, r + 2 * BATCH, Math.min(to, r + 3 * BATCH), also, 0);
      x += touchStage(hashes, r, Math.min(to, r + BATCH), also, 1);
      x += touchStage(hashes, r + BATCH, Math.min(to, r + 2 * BATCH), also, 1);
      x += touchStage(hashes, r, Math.min(to, r + BATCH), also, 2);
    }
    x += touchStage(hashes, r + 3 * BATCH, Math.min(to, r + 4 * BATCH), also, 0);
    x += touchStage(hashes, r + 2 * BATCH, Math.min(to, r + 3 * BATCH), also, 1);
    x += touchStage(hashes, r + BATCH, Math.min(to, r + 2 * BATCH), also, 2);
    return x;
  }

  /** Stage 0: home slots; stages 1 and 2: {@link Col#touch} of the rows in those slots. */
  private long touchStage(int[] hashes, int from, int to, @Nullable Col also, int stage) {
    long x = 0;
    for (int q = from; q < to; q++) {
      int h = hashes[q];
      int p = part(h);
      long e = tables[p][h & masks[p]];
      if (stage == 0 || e == 0) {
        x += e;
        continue;
      }
      int j = (int) e - 1;
      for (int k = 0; k < keys.size(); k++) {
        x += keys.get(k).touch(j, stage);
      }
      if (also != null) {
        x += also.touch(j, stage);
      }
    }
    return x;
  }

  /** A power of two keeping the load factor at or below 0.7. */
  private static int capacity(int n) {
    long want = Math.max(8, (long) Math.ceil(n / 0.7));
    if (want > (1 << 30)) {
      throw new IllegalStateException("too many rows for one key table: " + n);
    }
    return Integer.highestOneBit((int) want - 1) << 1;
  }

  private static long pack(int hash, int row) {
    return ((long) hash << 32) | ((row + 1) & 0xFFFFFFFFL);
  }

  static boolean hasNull(List<Col> keys, int r) {
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).isNull(r)) {
        return true;
      }
    }
    return false;
  }

  /** The key hash of every row (computed in parallel). */
  static int[] hashRows(List<Col> keys, int n) {
    int[] h = new int[n];
    Parallel.forChunks(n, (c, from, to) -> {
      for (int r = from; r < to; r++) {
        h[r] = hash(keys, r);
      }
    });
    return h;
  }

  static int hash(List<Col> keys, int r) {
    if (keys.size() == 1) {
      return Col.mix(keys.get(0).hashValue(r) * 0x9E3779B97F4A7C15L);
    }
    int h = 0x9747b28c;
    for (int i = 0; i < keys.size(); i++) {
      h = h * 31 + keys.get(i).hashValue(r);
    }
    return Col.mix(h * 0x9E3779B97F4A7C15L);
  }

  /**
   * The first indexed row whose key equals row {@code r} of {@code probe} (hash {@code h}), or -1. The
   * returned cursor is passed to {@link #next} to find further matches.
   */
  long first(List<Col> probe, int r, int h) {
    int p = part(h);
    return scan(tables[p], masks[p], h & masks[p], probe, r, h);
  }

  /** The next match after cursor {@code c}, or -1. */
  long next(long c, List<Col> probe, int r, int h) {
    int p = part(h);
    return scan(tables[p], masks[p], ((int) (c >>> 32) + 1) & masks[p], probe, r, h);
  }

  /** The row of a cursor. */
  static int row(long cursor) {
    return (int) cursor;
  }

  /** Cursor = slot in the high half, row in the low half. */
  private long scan(long[] slots, int mask, int s, List<Col> probe, int r, int h) {
    while (true) {
      long e = slots[s];
      if (e == 0) {
        return -1;
      }
      if ((int) (e >>> 32) == h) {
        int j = (int) e - 1;
        if (equal(probe, r, j)) {
          return ((long) s << 32) | j;
        }
      }
      s = (s + 1) & mask;
    }
  }

  private boolean equal(List<Col> probe, int r, int j) {
    for (int i = 0; i < keys.size(); i++) {
      if (!probe.get(i).sameValue(r, keys.get(i), j)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Group ids of rows {@code [0, n)} by their key (nulls group together), numbered by first appearance.
   *
   * @return the id per row; the group count is {@code max + 1}
   */
  static int[] groupIds(List<Col> keys, int n) {
    int[] hashes = hashRows(keys, n);
    long[] slots = new long[capacity(n)];
    int mask = slots.length - 1;
    int[] ids = new int[n];
    int groups = 0;
    for (int r = 0; r < n; r++) {
      int h = hashes[r];
      int s = h & mask;
      int found = -1;
      while (slots[s] != 0) {
        long e = slots[s];
        int j = (int) e - 1;
        if ((int) (e >>> 32) == h && sameKey(keys, r, j)) {
          found = ids[j];
          break;
        }
        s = (s + 1) & mask;
      }
      if (found < 0) {
        ids[r] = groups++;
        slots[s] = pack(h, r);
      } else {
        ids[r] = found;
      }
    }
    return ids;
  }

  private static boolean sameKey(List<Col> keys, int r, int j) {
    for (Col k : keys) {
      if (!k.sameValue(r, k, j)) {
        return false;
      }
    }
    return true;
  }
}
