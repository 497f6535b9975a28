package io.metaxy.engine;

import java.util.List;

/**
 * A hash table over the key columns of one side of a join or grouping, held in primitive arrays (no
 * per-row objects): a bucket head per slot and a chain link per row.
 */
final class KeyTable {
  private final List<Col> keys;
  private final int[] head;
  private final int[] next;
  private final int[] hashes;
  private final int mask;

  /**
   * Indexes rows {@code [0, n)} of {@code keys}; rows with a null key component are left out when
   * {@code skipNullKeys} (join semantics: null keys never match).
   */
  KeyTable(List<Col> keys, int n, boolean skipNullKeys) {
    this.keys = keys;
    this.hashes = hashRows(keys, n);
    int cap = Integer.highestOneBit(Math.max(4, n + (n >> 1)) - 1) << 1;
    this.head = new int[cap];
    this.mask = cap - 1;
    this.next = new int[n];
    // Inserted backwards so chains list rows in ascending order.
    for (int r = n - 1; r >= 0; r--) {
      if (skipNullKeys && hasNull(keys, r)) {
        continue;
      }
      int slot = hashes[r] & mask;
      next[r] = head[slot];
      head[slot] = r + 1;
    }
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
    int h = 0x9747b28c;
    for (int i = 0; i < keys.size(); i++) {
      h = h * 31 + keys.get(i).hashValue(r);
    }
    return Col.mix(h);
  }

  /** The first indexed row whose key equals row {@code r} of {@code probe} (hash {@code h}), or -1. */
  int first(List<Col> probe, int r, int h) {
    return scan(head[h & mask] - 1, probe, r, h);
  }

  /** The next indexed row after {@code j} matching row {@code r} of {@code probe}, or -1. */
  int next(int j, List<Col> probe, int r, int h) {
    return scan(next[j] - 1, probe, r, h);
  }

  private int scan(int j, List<Col> probe, int r, int h) {
    while (j >= 0) {
      if (hashes[j] == h && equal(probe, r, j)) {
        return j;
      }
      j = next[j] - 1;
    }
    return -1;
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
    int cap = Integer.highestOneBit(Math.max(4, n + (n >> 1)) - 1) << 1;
    int mask = cap - 1;
    int[] head = new int[cap];
    int[] next = new int[n];
    int[] ids = new int[n];
    int groups = 0;
    for (int r = 0; r < n; r++) {
      int slot = hashes[r] & mask;
      int j = head[slot] - 1;
      int found = -1;
      while (j >= 0) {
        if (hashes[j] == hashes[r] && sameKey(keys, r, j)) {
          found = ids[j];
          break;
        }
        j = next[j] - 1;
      }
      if (found < 0) {
        ids[r] = groups++;
        next[r] = head[slot];
        head[slot] = r + 1;
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
