package io.metaxy.engine;

import java.util.List;

/**
 * The sorted fast path of joins and diffs. Stores usually return rows ordered by id; when both sides'
 * keys are null-free, strictly increasing (so unique) and of one comparable family, matching them is a
 * linear merge: no hash table, and every access is sequential.
 */
final class MergeKeys {
  private MergeKeys() {}

  /** Whether rows {@code [0, an)} of {@code a} and {@code [0, bn)} of {@code b} can be merged. */
  static boolean applicable(List<Col> a, int an, List<Col> b, int bn) {
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).mergeable(b.get(i))) {
        return false;
      }
    }
    return strictlyIncreasing(a, an) && strictlyIncreasing(b, bn);
  }

  static int compare(List<Col> a, int r, List<Col> b, int o) {
    for (int i = 0; i < a.size(); i++) {
      int c = Col.compareMergeable(a.get(i), r, b.get(i), o);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /**
   * Whether rows {@code [0, n)} of {@code a} and {@code b} hold the same keys row by row (two
   * {@link #applicable} sides of equal length): then a join matches every row with the same row and
   * needs no row mappings at all.
   */
  static boolean sameRows(List<Col> a, List<Col> b, int n) {
    int chunks = Parallel.chunks(n);
    boolean[] ok = new boolean[chunks];
    Parallel.forChunks(n, (c, from, to) -> {
      for (int r = from; r < to; r++) {
        if (compare(a, r, b, r) != 0) {
          return;
        }
      }
      ok[c] = true;
    });
    for (boolean x : ok) {
      if (!x) {
        return false;
      }
    }
    return true;
  }

  private static boolean strictlyIncreasing(List<Col> keys, int n) {
    int chunks = Parallel.chunks(n);
    boolean[] ok = new boolean[chunks];
    Parallel.forChunks(n, (c, from, to) -> {
      for (int r = Math.max(1, from); r < to; r++) {
        if (compare(keys, r - 1, keys, r) >= 0) {
          return;
        }
      }
      ok[c] = true;
    });
    for (boolean b : ok) {
      if (!b) {
        return false;
      }
    }
    return true;
  }
}
