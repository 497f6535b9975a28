package io.metaxy.engine;

/** A stable merge sort of row indexes by a primitive comparator (no boxing). */
final class IntSort {
  interface RowComparator {
    int compare(int a, int b);
  }

  private IntSort() {}

  static void sort(int[] a, RowComparator c) {
    int[] tmp = a.clone();
    mergeSort(tmp, a, 0, a.length, c);
  }

  private static void mergeSort(int[] src, int[] dst, int lo, int hi, RowComparator c) {
    int n = hi - lo;
    if (n < 16) {
      for (int i = lo + 1; i < hi; i++) {
        int v = dst[i];
        int j = i - 1;
        while (j >= lo && c.compare(dst[j], v) > 0) {
          dst[j + 1] = dst[j];
          j--;
        }
        dst[j + 1] = v;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(dst, src, lo, mid, c);
    mergeSort(dst, src, mid, hi, c);
    for (int i = lo, p = lo, q = mid; i < hi; i++) {
      if (q >= hi || (p < mid && c.compare(src[p], src[q]) <= 0)) {
        dst[i] = src[p++];
      } else {
        dst[i] = src[q++];
      }
    }
  }
}
