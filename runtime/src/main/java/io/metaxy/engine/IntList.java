package io.metaxy.engine;

import java.util.Arrays;

/** A growable list of ints. */
final class IntList {
  private int[] a = new int[16];
  private int n;

  void add(int v) {
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
    }
    a[n++] = v;
  }

  int size() {
    return n;
  }

  int[] toArray() {
    return Arrays.copyOf(a, n);
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
