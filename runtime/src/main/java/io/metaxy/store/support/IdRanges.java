package io.metaxy.store.support;

import java.math.BigInteger;
import java.util.Arrays;

/** Equal-width ranges of an integer id: how a large resolve is partitioned and how a large scan is split. */
public final class IdRanges {
  private IdRanges() {}

  /**
   * The points {@code lo < c1 < ... < ck <= hi} that cut {@code [lo, hi]} into at most {@code count}
   * ranges of equal width ({@code [lo, c1), [c1, c2), ..., [ck, hi]}); fewer when the span holds fewer
   * distinct values, none when {@code count <= 1} or {@code hi <= lo}. Exact over the whole long range.
   */
  public static long[] cuts(long lo, long hi, int count) {
    long[] out = new long[Math.max(0, count - 1)];
    int k = 0;
    BigInteger from = BigInteger.valueOf(lo);
    BigInteger span = BigInteger.valueOf(hi).subtract(from).add(BigInteger.ONE);
    for (int i = 1; i < count; i++) {
      long cut = from.add(span.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(count)))
          .longValueExact();
      if (cut > (k == 0 ? lo : out[k - 1])) {
        out[k++] = cut;
      }
    }
    return Arrays.copyOf(out, k);
  }
}
