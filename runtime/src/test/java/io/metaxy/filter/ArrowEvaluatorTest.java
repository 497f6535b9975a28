package io.metaxy.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaxy.store.TestRows;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.TimeStampSecVector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ViewVarCharVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Arrow-specific evaluation: vector types, three-valued logic and errors naming the column. */
class ArrowEvaluatorTest {
  private BufferAllocator allocator;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    allocator.close();
  }

  private VectorSchemaRoot batch(FieldVector... vectors) {
    VectorSchemaRoot root = new VectorSchemaRoot(List.of(vectors));
    root.setRowCount(vectors.length == 0 ? 0 : vectors[0].getValueCount());
    open.add(root);
    return root;
  }

  private BitVector bools(String name, Boolean... values) {
    BitVector v = new BitVector(name, allocator);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        v.setNull(i);
      } else {
        v.set(i, values[i] ? 1 : 0);
      }
    }
    v.setValueCount(values.length);
    return v;
  }

  private IntVector ints(String name, Integer... values) {
    IntVector v = new IntVector(name, allocator);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        v.setNull(i);
      } else {
        v.set(i, values[i]);
      }
    }
    v.setValueCount(values.length);
    return v;
  }

  private VarCharVector strings(String name, String... values) {
    return TestRows.strings(allocator, name, values);
  }

  private static BitSet rows(int... indices) {
    BitSet b = new BitSet();
    for (int i : indices) {
      b.set(i);
    }
    return b;
  }

  private static BitSet eval(String filter, VectorSchemaRoot root) {
    return Filters.evaluate(Filters.parse(filter), root);
  }

  @Test
  void threeValuedLogicTruthTables() {
    // Rows enumerate all (p, q) pairs over {true, false, null}.
    VectorSchemaRoot root = batch(
        bools("p", true, true, true, false, false, false, null, null, null),
        bools("q", true, false, null, true, false, null, true, false, null));
    assertEquals(rows(0), eval("p AND q", root));
    assertEquals(rows(3, 4, 5, 7, 1), eval("NOT (p AND q)", root));
    assertEquals(rows(0, 1, 2, 3, 6), eval("p OR q", root));
    assertEquals(rows(4), eval("NOT (p OR q)", root));
    assertEquals(rows(3, 4, 5), eval("NOT p", root));
    assertEquals(rows(0, 1, 2, 3, 4, 5), eval("p IS NOT NULL", root));
    assertEquals(rows(3, 4, 5, 6, 7, 8), eval("p IS NOT TRUE", root));
    assertEquals(rows(0, 4, 8), eval("p IS q", root));
    assertEquals(rows(0, 4), eval("p = q", root));
    assertEquals(rows(1, 3), eval("p != q", root));
    assertEquals(rows(), eval("NULL", root));
    assertEquals(rows(), eval("NOT NULL", root));
    assertEquals(rows(0, 1, 2, 3, 4, 5, 6, 7, 8), eval("TRUE", root));
    assertEquals(rows(), eval("p = NULL AND q = NULL AND FALSE", root));
  }

  @Test
  void inWithNullsFollowsSql() {
    VectorSchemaRoot root = batch(ints("x", 1, 2, null));
    assertEquals(rows(0), eval("x IN (1, NULL)", root));
    assertEquals(rows(), eval("x NOT IN (1, NULL)", root));
    assertEquals(rows(1), eval("x NOT IN (1)", root));
    assertEquals(rows(1), eval("NOT x IN (1, 3)", root));
    assertEquals(rows(0, 1), eval("x IN (1.0, 2.0)", root));
  }

  @Test
  void stringsCompareByUtf8Bytes() {
    // U+FF5E sorts before U+1F600 in UTF-8 (and code points), but after it in Java's UTF-16 order.
    VectorSchemaRoot root =
        batch(strings("s", "😀", "～", "a", "", null), strings("t", "～", "😀", "b", "", "x"));
    assertEquals(rows(0), eval("s > '～'", root));
    assertEquals(rows(0), eval("s > t", root));
    assertEquals(rows(1, 2), eval("s < t", root));
    assertEquals(rows(3), eval("s = ''", root));
    assertEquals(rows(1, 2, 3), eval("'～' >= s", root));
  }

  @Test
  void otherIntegerFloatAndStringVectors() {
    SmallIntVector small = new SmallIntVector("small", allocator);
    small.allocateNew(3);
    small.set(0, -2);
    small.set(1, 300);
    small.setNull(2);
    small.setValueCount(3);
    UInt4Vector unsigned = new UInt4Vector("u", allocator);
    unsigned.allocateNew(3);
    unsigned.set(0, 5);
    unsigned.set(1, -1); // 4294967295 unsigned
    unsigned.set(2, 0);
    unsigned.setValueCount(3);
    Float4Vector f = new Float4Vector("f", allocator);
    f.allocateNew(3);
    f.set(0, 0.5f);
    f.set(1, -1.5f);
    f.setNull(2);
    f.setValueCount(3);
    LargeVarCharVector large = new LargeVarCharVector("large", allocator);
    large.allocateNew(3);
    large.setSafe(0, "b".getBytes(StandardCharsets.UTF_8));
    large.setSafe(1, "a".getBytes(StandardCharsets.UTF_8));
    large.setNull(2);
    large.setValueCount(3);
    ViewVarCharVector view = new ViewVarCharVector("view", allocator);
    view.allocateNew(3);
    view.setSafe(0, "a string longer than twelve bytes".getBytes(StandardCharsets.UTF_8));
    view.setSafe(1, "short".getBytes(StandardCharsets.UTF_8));
    view.setNull(2);
    view.setValueCount(3);
    NullVector nulls = new NullVector("n", 3);
    VectorSchemaRoot root = batch(small, unsigned, f, large, view, nulls);
    assertEquals(rows(1), eval("small > 0", root));
    assertEquals(rows(1), eval("u > 4294967294", root));
    assertEquals(rows(0), eval("f > 0 AND f < 0.75", root));
    assertEquals(rows(0), eval("f > small", root));
    assertEquals(rows(1), eval("large = 'a'", root));
    assertEquals(rows(0), eval("view > 'short' OR view < 'b'", root));
    assertEquals(rows(0, 1, 2), eval("n IS NULL", root));
    assertEquals(rows(), eval("n = 1 OR n", root));
  }

  @Test
  void timestampsOfEveryUnitCompareExactly() {
    TimeStampSecVector sec = new TimeStampSecVector("sec", allocator);
    sec.allocateNew(2);
    sec.set(0, 1_704_067_200L); // 2024-01-01T00:00:00Z
    sec.set(1, -1L); // 1969-12-31T23:59:59Z
    sec.setValueCount(2);
    TimeStampMilliTZVector milli = new TimeStampMilliTZVector("milli", allocator, "Europe/Berlin");
    milli.allocateNew(2);
    milli.set(0, 1_704_067_200_001L);
    milli.set(1, -1L); // 1969-12-31T23:59:59.999Z
    milli.setValueCount(2);
    TimeStampNanoVector nano = new TimeStampNanoVector("nano", allocator);
    nano.allocateNew(2);
    nano.set(0, 1_704_067_200_000_000_001L);
    nano.set(1, -1L);
    nano.setValueCount(2);
    DateMilliVector dateMilli = new DateMilliVector("dm", allocator);
    dateMilli.allocateNew(2);
    dateMilli.set(0, 1_704_067_200_000L);
    dateMilli.setNull(1);
    dateMilli.setValueCount(2);
    VectorSchemaRoot root = batch(sec, milli, nano, dateMilli);
    assertEquals(rows(0), eval("sec = TIMESTAMP '2024-01-01T00:00:00Z'", root));
    assertEquals(rows(0), eval("sec = DATE '2024-01-01'", root));
    assertEquals(rows(1), eval("sec < TIMESTAMP '1970-01-01T00:00:00Z'", root));
    assertEquals(rows(0), eval("milli > TIMESTAMP '2024-01-01T00:00:00Z'", root));
    assertEquals(rows(0), eval("milli = TIMESTAMP '2024-01-01T00:00:00.001Z'", root));
    assertEquals(rows(1), eval("milli = TIMESTAMP '1969-12-31T23:59:59.999Z'", root));
    assertEquals(rows(0), eval("nano = TIMESTAMP '2024-01-01T00:00:00.000000001Z'", root));
    assertEquals(rows(0), eval("nano > sec AND milli > nano", root));
    assertEquals(rows(0, 1), eval("nano > sec", root));
    assertEquals(rows(0), eval("nano < milli", root));
    assertEquals(rows(0), eval("dm = sec", root));
  }

  @Test
  void emptyBatchSelectsNothingButStillChecksColumns() {
    VectorSchemaRoot root = batch(ints("x"));
    assertEquals(rows(), eval("x > 1 OR NOT x > 1", root));
    assertThrows(FilterEvaluationException.class, () -> eval("y > 1", root));
  }

  @Test
  void missingColumnIsNamed() {
    VectorSchemaRoot root = batch(ints("age", 1), strings("status", "a"));
    FilterEvaluationException e = assertThrows(
        FilterEvaluationException.class, () -> eval("age > 1 AND heigth IS NULL", root));
    assertEquals(
        "filter heigth IS NULL references column \"heigth\", which is not in the batch (columns: \"age\", \"status\")",
        e.getMessage());
  }

  @Test
  void incompatibleTypesAreNamed() {
    VectorSchemaRoot root = batch(ints("age", 1), strings("status", "a"), bools("flag", true));
    FilterEvaluationException e =
        assertThrows(FilterEvaluationException.class, () -> eval("age = 'x'", root));
    assertEquals(
        "filter age = 'x' compares incompatible types: column \"age\" (Int(32, true)) is integer,"
            + " literal 'x' is string",
        e.getMessage());
    FilterEvaluationException in =
        assertThrows(FilterEvaluationException.class, () -> eval("status IN ('a', 1)", root));
    assertEquals(
        "filter status IN ('a', 1) compares incompatible types: column \"status\" (Utf8) is string,"
            + " literal 1 is integer",
        in.getMessage());
    assertThrows(FilterEvaluationException.class, () -> eval("flag = 1", root));
    assertThrows(FilterEvaluationException.class, () -> eval("status < age", root));
  }

  @Test
  void stringAgainstTimestampPointsToTypedLiterals() {
    TimeStampSecVector sec = new TimeStampSecVector("ts", allocator);
    sec.allocateNew(1);
    sec.set(0, 0L);
    sec.setValueCount(1);
    VectorSchemaRoot root = batch(sec);
    FilterEvaluationException e =
        assertThrows(FilterEvaluationException.class, () -> eval("ts > '2024-01-01'", root));
    assertEquals(
        "filter ts > '2024-01-01' compares incompatible types: column \"ts\" (Timestamp(SECOND, null)) is"
            + " date/timestamp, literal '2024-01-01' is string; write dates as DATE 'yyyy-mm-dd' and"
            + " timestamps as TIMESTAMP 'yyyy-mm-ddThh:mm:ssZ'",
        e.getMessage());
  }

  @Test
  void nonBooleanConditionIsNamed() {
    VectorSchemaRoot root = batch(ints("age", 1));
    FilterEvaluationException e =
        assertThrows(FilterEvaluationException.class, () -> eval("NOT age", root));
    assertEquals(
        "filter condition age must be boolean, but column \"age\" (Int(32, true)) is integer",
        e.getMessage());
  }

  @Test
  void unsupportedVectorTypeIsNamed() {
    VarBinaryVector bin = new VarBinaryVector("blob", allocator);
    bin.allocateNew(1);
    bin.setSafe(0, new byte[] {1});
    bin.setValueCount(1);
    VectorSchemaRoot root = batch(bin);
    FilterEvaluationException e =
        assertThrows(FilterEvaluationException.class, () -> eval("blob IS NULL", root));
    assertEquals(
        "filter blob IS NULL cannot use column \"blob\": type Binary is not supported in filters",
        e.getMessage());
  }
}
