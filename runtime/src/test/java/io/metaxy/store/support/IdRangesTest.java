package io.metaxy.store.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Equal-width cut points of an id range. */
class IdRangesTest {
  @Test
  void cutsAreEqualWidthStrictlyIncreasingAndInsideTheRange() {
    assertArrayEquals(new long[] {500}, IdRanges.cuts(0, 999, 2));
    assertArrayEquals(new long[] {333, 666}, IdRanges.cuts(0, 999, 3));
    assertArrayEquals(
        new long[] {1}, IdRanges.cuts(0, 1, 4), "no empty ranges when the span is narrow");
    assertArrayEquals(new long[] {}, IdRanges.cuts(100, 100, 4));
    assertArrayEquals(new long[] {}, IdRanges.cuts(0, 999, 1));
    assertArrayEquals(new long[] {}, IdRanges.cuts(500, 400, 2), "an empty range");
    assertArrayEquals(
        new long[] {0}, IdRanges.cuts(Long.MIN_VALUE, Long.MAX_VALUE, 2), "no overflow");
  }
}
