package io.metaxy.store.duckdb;

import io.metaxy.store.support.ArrowBatches;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntToLongFunction;
import java.util.stream.IntStream;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.jspecify.annotations.Nullable;

/**
 * Merge-on-read deduplication in the JVM: per tuple of id values the row with the greatest
 * {@code (order, rowid)} wins, a null order losing to any other (the SQL
 * {@code row_number() OVER (PARTITION BY ids ORDER BY order DESC NULLS LAST, rowid DESC) = 1}, with
 * null ids forming one group as in SQL). Shipping the unduplicated scan plus two BIGINTs and hashing the
 * ids here costs a fraction of DuckDB's window sort, and when no id repeats (the usual case) the batch
 * is returned as it came.
 */
final class LatestPerId {
  private LatestPerId() {}

  /**
   * The rows that lose to a later row of the same ids, or null when every id tuple is unique.
   *
   * @param order {@code epoch_us(coalesce(deleted_at, updated_at))} per row
   * @param rowid DuckDB's rowid per row (unique)
   */
  static @Nullable BitSet losers(
      List<FieldVector> ids, BigIntVector order, BigIntVector rowid, int n) {
    int cap = Integer.highestOneBit(Math.max(4, n) * 2 - 1) << 1;
    int mask = cap - 1;
    int[] slots = new int[cap]; // row + 1; 0 = empty
    BitSet losers = null;
    if (ids.size() == 1 && ids.get(0) instanceof BigIntVector b && b.getNullCount() == 0) {
      return losersLong(b, order, rowid, n, slots, mask);
    }
    BaseIntVector single = ids.size() == 1 && ids.get(0) instanceof BaseIntVector b ? b : null;
    for (int r = 0; r < n; r++) {
      int h = mix(
          single != null
              ? (single.isNull(r) ? 0x9E3779B9L : single.getValueAsLong(r))
              : hash(ids, r));
      int i = h & mask;
      while (true) {
        int s = slots[i];
        if (s == 0) {
          slots[i] = r + 1;
          break;
        }
        int o = s - 1;
        if (single != null ? sameInt(single, o, r) : same(ids, o, r)) {
          if (losers == null) {
            losers = new BitSet(n);
          }
          if (wins(order, rowid, r, o)) {
            losers.set(o);
            slots[i] = r + 1;
          } else {
            losers.set(r);
          }
          break;
        }
        i = (i + 1) & mask;
      }
    }
    return losers;
  }

  /** {@link #losers} for one non-null BIGINT id column (the common case), reading the buffer directly. */
  private static @Nullable BitSet losersLong(
      BigIntVector ids, BigIntVector order, BigIntVector rowid, int n, int[] slots, int mask) {
    long data = ids.getDataBuffer().memoryAddress();
    BitSet losers = null;
    for (int r = 0; r < n; r++) {
      long k = MemoryUtil.getLong(data + (long) r * Long.BYTES);
      int i = mix(k) & mask;
      while (true) {
        int s = slots[i];
        if (s == 0) {
          slots[i] = r + 1;
          break;
        }
        int o = s - 1;
        if (MemoryUtil.getLong(data + (long) o * Long.BYTES) == k) {
          if (losers == null) {
            losers = new BitSet(n);
          }
          if (wins(order, rowid, r, o)) {
            losers.set(o);
            slots[i] = r + 1;
          } else {
            losers.set(r);
          }
          break;
        }
        i = (i + 1) & mask;
      }
    }
    return losers;
  }

  /** Marker for "every row, in scan order" (compared by identity). */
  static final int[] ALL = new int[0];

  /**
   * The winning row of every id, in id order, for one null-free BIGINT id column whose rows form at
   * most a few increasing runs (a table appended in id order, corrections appended later): the runs
   * are merged and each group of equal ids keeps its winner, with no hash table. {@link #ALL} when the
   * ids already strictly increase (no duplicates, nothing to reorder); null when not applicable.
   */
  static int @Nullable [] winnersInIdOrder(
      List<FieldVector> ids, BigIntVector order, BigIntVector rowid, int n) {
    if (ids.size() != 1 || !(ids.get(0) instanceof BigIntVector v) || v.getNullCount() != 0) {
      return null;
    }
    if (increasingLongs(ids, n)) {
      return ALL;
    }
    long data = v.getDataBuffer().memoryAddress();
    int[] sorted = mergeRuns(n, r -> MemoryUtil.getLong(data + (long) r * Long.BYTES));
    if (sorted == null) {
      return null;
    }
    int[] out = new int[n];
    int m = 0;
    for (int i = 0; i < n; ) {
      int best = sorted[i];
      long k = MemoryUtil.getLong(data + (long) best * Long.BYTES);
      int j = i + 1;
      while (j < n && MemoryUtil.getLong(data + (long) sorted[j] * Long.BYTES) == k) {
        if (wins(order, rowid, sorted[j], best)) {
          best = sorted[j];
        }
        j++;
      }
      out[m++] = best;
      i = j;
    }
    return m == n ? sorted : Arrays.copyOf(out, m);
  }

  /**
   * Positions {@code 0..n-1} ordered by {@code key} when the keys form at most {@link #MAX_RUNS}
   * increasing runs (null otherwise), merging pairs of runs per pass. Keys are read through {@code key},
   * not copied: two int arrays are the only extra memory (88 MB at 11M rows, where copying the keys
   * along would need 300 MB of heap).
   */
  private static int @Nullable [] mergeRuns(int n, IntToLongFunction key) {
    int[] starts = new int[MAX_RUNS + 1];
    int runs = 1;
    for (int i = 1; i < n; i++) {
      if (key.applyAsLong(i) <= key.applyAsLong(i - 1)) {
        if (runs == MAX_RUNS) {
          return null;
        }
        starts[runs++] = i;
      }
    }
    starts[runs] = n;
    int[] src = IntStream.range(0, n).toArray();
    int[] dst = new int[n];
    while (runs > 1) {
      int out = 0;
      int next = 0;
      for (int r = 0; r < runs; r += 2) {
        int a = starts[r];
        int aEnd = starts[r + 1];
        int b = aEnd;
        int bEnd = r + 2 <= runs ? starts[r + 2] : aEnd;
        starts[next++] = out;
        while (a < aEnd && b < bEnd) {
          // Ties keep the earlier run first (stable); the caller picks winners among equal ids
          // anyway.
          if (key.applyAsLong(src[a]) <= key.applyAsLong(src[b])) {
            dst[out++] = src[a++];
          } else {
            dst[out++] = src[b++];
          }
        }
        while (a < aEnd) {
          dst[out++] = src[a++];
        }
        while (b < bEnd) {
          dst[out++] = src[b++];
        }
      }
      starts[next] = n;
      runs = next;
      int[] t = src;
      src = dst;
      dst = t;
    }
    return src;
  }

  private static final int MAX_RUNS = 64;

  /** Whether the ids are one null-free BIGINT column whose first {@code n} values strictly increase. */
  static boolean increasingLongs(List<FieldVector> ids, int n) {
    if (ids.size() != 1 || !(ids.get(0) instanceof BigIntVector v) || v.getNullCount() != 0) {
      return false;
    }
    // Raw reads (the vector is not modified meanwhile): ArrowBuf's checked getters cost more than
    // the loop.
    long data = v.getDataBuffer().memoryAddress();
    long prev = Long.MIN_VALUE;
    for (int r = 0; r < n; r++) {
      long k = MemoryUtil.getLong(data + (long) r * Long.BYTES);
      if (r > 0 && k <= prev) {
        return false;
      }
      prev = k;
    }
    return true;
  }

  /**
   * {@code rows} ordered by a single null-free integer id when they consist of at most a few increasing
   * runs (a table appended in id order, later corrections appended at its end): the runs are merged.
   * Returns {@code rows} itself when already strictly increasing, and null when the ids are not a single
   * null-free integer column or form too many runs (the rows then stay in scan order).
   *
   * <p>Why: the engine joins and diffs sorted inputs by a linear merge, several times faster than its
   * hash path, and deduplication is what breaks the order of an appended-to table.
   */
  static int @Nullable [] orderedById(List<FieldVector> ids, int[] rows) {
    if (ids.size() != 1
        || !(ids.get(0) instanceof BaseIntVector v)
        || ids.get(0).getNullCount() != 0) {
      return null;
    }
    int[] order = mergeRuns(rows.length, i -> v.getValueAsLong(rows[i]));
    if (order == null) {
      return null;
    }
    int[] out = new int[rows.length];
    boolean moved = false;
    for (int j = 0; j < out.length; j++) {
      out[j] = rows[order[j]];
      moved |= order[j] != j;
    }
    return moved ? out : rows;
  }

  private static boolean wins(BigIntVector order, BigIntVector rowid, int a, int b) {
    boolean an = order.isNull(a);
    boolean bn = order.isNull(b);
    if (an != bn) {
      return bn; // nulls last: a non-null order beats a null one
    }
    if (!an) {
      int c = Long.compare(order.get(a), order.get(b));
      if (c != 0) {
        return c > 0;
      }
    }
    return rowid.get(a) > rowid.get(b);
  }

  private static boolean sameInt(BaseIntVector v, int a, int b) {
    boolean an = v.isNull(a);
    boolean bn = v.isNull(b);
    return an || bn ? an == bn : v.getValueAsLong(a) == v.getValueAsLong(b);
  }

  private static boolean same(List<FieldVector> ids, int a, int b) {
    for (FieldVector v : ids) {
      if (!ArrowBatches.same(ArrowBatches.value(v, a), ArrowBatches.value(v, b))) {
        return false;
      }
    }
    return true;
  }

  private static long hash(List<FieldVector> ids, int r) {
    long h = 1;
    for (FieldVector v : ids) {
      h = h * 31 + (v.isNull(r) ? 0x9E3779B9L : v.hashCode(r));
    }
    return h;
  }

  /** A 64→32 bit finaliser (murmur3 fmix64) so sequential ids spread over the table. */
  private static int mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb93e1a85ec53L;
    k ^= k >>> 33;
    return (int) k;
  }
}
