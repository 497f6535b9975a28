package io.metaxy.store.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.compare.VectorEqualsVisitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bulk builders of the write path produce the same cells and buffers as the per-row ones. */
class ArrowBatchesBuildersTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    assertEquals(0, allocator.getAllocatedMemory(), "every buffer is released");
    allocator.close();
  }

  /** The meaningful bytes of a buffer: what a reader or an exporter sees. */
  private static byte[] bytes(ArrowBuf b, long length) {
    byte[] out = new byte[(int) length];
    b.getBytes(0, out);
    return out;
  }

  private static void assertSameVarChar(VarCharVector expected, VarCharVector actual) {
    int n = expected.getValueCount();
    assertEquals(n, actual.getValueCount());
    assertEquals(expected.getNullCount(), actual.getNullCount());
    assertTrue(VectorEqualsVisitor.vectorEquals(expected, actual), "same cells");
    assertArrayEquals(
        bytes(expected.getValidityBuffer(), (n + 7) / 8),
        bytes(actual.getValidityBuffer(), (n + 7) / 8),
        "validity bits, padding included");
    assertArrayEquals(
        bytes(expected.getOffsetBuffer(), 4L * (n + 1)),
        bytes(actual.getOffsetBuffer(), 4L * (n + 1)),
        "offsets");
    long data = expected.getOffsetBuffer().getInt(4L * n);
    assertArrayEquals(
        bytes(expected.getDataBuffer(), data), bytes(actual.getDataBuffer(), data), "data");
  }

  @Test
  void constantStringsMatchPerRowStrings() {
    for (String value : Arrays.asList("abc", "", "é – ü", "0123456789abcdef0123", null)) {
      for (int n : new int[] {0, 1, 7, 8, 9, 63, 64, 65, 1000, 100_003}) {
        try (VarCharVector expected =
                ArrowBatches.strings("c", Collections.nCopies(n, value), allocator);
            VarCharVector actual = ArrowBatches.constantStrings("c", value, n, allocator)) {
          assertSameVarChar(expected, actual);
          assertEquals("c", actual.getName());
        }
      }
    }
  }

  @Test
  void constantStringsOverTwoGibibytesFailNamingTheColumn() {
    String big = "x".repeat(1 << 20);
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class,
        () -> ArrowBatches.constantStrings("metaxy_feature_version", big, 4096, allocator));
    assertTrue(e.getMessage().contains("metaxy_feature_version"), e.getMessage());
  }

  private static void assertSameTimestamps(TimeStampVector expected, TimeStampVector actual) {
    int n = expected.getValueCount();
    assertEquals(n, actual.getValueCount());
    assertEquals(expected.getField(), actual.getField());
    assertTrue(VectorEqualsVisitor.vectorEquals(expected, actual), "same cells");
    assertArrayEquals(
        bytes(expected.getValidityBuffer(), (n + 7) / 8),
        bytes(actual.getValidityBuffer(), (n + 7) / 8),
        "validity bits, padding included");
  }

  private TimeStampMilliTZVector millis(Long... values) {
    TimeStampMilliTZVector v = new TimeStampMilliTZVector("given", allocator, "UTC");
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        v.set(i, values[i]);
      }
    }
    v.setValueCount(values.length);
    return v;
  }

  /** The per-row form: each row's given value (in microseconds) or the fallback. */
  private static List<Long> expected(FieldVector given, Long fallback, int n) {
    List<Long> out = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      Long m = ArrowBatches.micros(given, r);
      out.add(m != null ? m : fallback);
    }
    return out;
  }

  @Test
  void timestampsOrMatchPerRowTimestamps() {
    Long[] values = new Long[21];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 3 == 0 ? null : 1_700_000_000_000L + i;
    }
    try (TimeStampMilliTZVector some = millis(values);
        TimeStampMilliTZVector none = millis(new Long[21])) {
      for (FieldVector given : Arrays.asList(some, none, null)) {
        for (Long fallback : Arrays.asList(1_765_000_000_123_456L, null)) {
          try (TimeStampVector expected =
                  ArrowBatches.timestamps("t", expected(given, fallback, 21), allocator);
              TimeStampVector actual =
                  ArrowBatches.timestampsOr("t", given, fallback, 21, allocator)) {
            assertSameTimestamps(expected, actual);
          }
        }
      }
    }
  }
}
