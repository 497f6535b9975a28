package io.metaxy.engine;

import java.util.Arrays;

/** A growable list of ints. */
final class IntList {
  private int[] a;
  private int n;

  IntList() {
    this(16);
  }

  /** A list with room for {@code capacity} values before it grows (sized up front, no copies). */
  IntList(int capacity) {
    a = new int[Math.max(1, capacity)];
  }

  void add(int v) {
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
    }
    a[n++] = v;
  }

  int size() {
    return n;
  }

  /** The values; the backing array itself when it is exactly full (no copy). */
  int[] toArray() {
    return n == a.length ? a : Arrays.copyOf(a, n);
  }

  static int[] concat(IntList[] lists) {
    int total = 0;
    for (IntList l : lists) {
      total += l.n;
    }
    int[] out = new int[total];
    int p = 0;
    for (IntList l : lists) {
      System.arraycopy(l.a, 0, out, p, l.n);
      p += l.n;
    }
    return out;
  }
}
