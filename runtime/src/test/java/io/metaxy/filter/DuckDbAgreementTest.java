package io.metaxy.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.filter.FilterExpr.Column;
import io.metaxy.filter.FilterExpr.Compare;
import io.metaxy.filter.FilterExpr.In;
import io.metaxy.filter.FilterExpr.IsNull;
import io.metaxy.filter.FilterExpr.Literal;
import io.metaxy.filter.FilterExpr.Op;
import io.metaxy.filter.FilterExpr.Operand;
import io.metaxy.filter.SampleTable.Type;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JVM evaluator and DuckDB (through {@link Filters#toCondition}) must select the same rows from
 * the same data, including NULLs, NaN, signed zeros, non-ASCII strings and timestamps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DuckDbAgreementTest {
  private static Instant ts(String s) {
    return Instant.parse(s);
  }

  private static final SampleTable DATA = new SampleTable(12)
      .add("id", Type.BIGINT, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L)
      .add("age", Type.INTEGER, 17, 25, 30, 45, null, -3, 0, 25, 100, null, 7, 30)
      .add("big", Type.BIGINT, 1L, 25L, null, -5L, 1_000_000L, 30L, 0L, null, 25L, 7L, -1L, 45L)
      .add(
          "score",
          Type.DOUBLE,
          1.5,
          -0.0,
          0.0,
          2.5,
          null,
          25.0,
          1e10,
          Double.NaN,
          30.0,
          null,
          -7.25,
          17.0)
      .add(
          "name",
          Type.VARCHAR,
          "active",
          "active",
          "inactive",
          "deleted",
          null,
          "",
          "Zürich",
          "zebra",
          "a'b",
          "😀",
          "ab",
          "Äpfel")
      .add(
          "tag",
          Type.VARCHAR,
          "active",
          null,
          "x",
          "deleted",
          "b",
          "",
          "Zürich",
          "z",
          "a'b",
          "～",
          "abc",
          null)
      .add(
          "flag",
          Type.BOOLEAN,
          true,
          true,
          false,
          false,
          null,
          true,
          false,
          null,
          true,
          false,
          true,
          null)
      .add(
          "ts",
          Type.TIMESTAMP,
          ts("2024-01-01T00:00:00Z"),
          ts("2024-01-05T00:00:00Z"),
          ts("2024-01-05T10:00:00.000001Z"),
          null,
          ts("1969-12-31T23:59:59.5Z"),
          ts("2024-01-10T00:00:00Z"),
          ts("2024-01-04T23:59:59.999999Z"),
          null,
          ts("2030-06-01T12:00:00Z"),
          ts("2024-01-05T10:00:00Z"),
          ts("2000-02-29T00:00:00Z"),
          ts("2024-01-06T00:00:00Z"))
      .add(
          "day",
          Type.DATE,
          LocalDate.parse("2024-01-01"),
          LocalDate.parse("2024-01-05"),
          null,
          LocalDate.parse("2024-01-06"),
          LocalDate.parse("1969-12-31"),
          null,
          LocalDate.parse("2024-01-04"),
          LocalDate.parse("2000-02-29"),
          LocalDate.parse("2024-01-05"),
          LocalDate.parse("2030-06-01"),
          null,
          LocalDate.parse("2024-01-10"))
      .add(
          "metadata.owner",
          Type.VARCHAR,
          "alice",
          "bob",
          null,
          "alice",
          "carol",
          "bob",
          null,
          "alice",
          "dave",
          "bob",
          "alice",
          null);

  private BufferAllocator allocator;
  private VectorSchemaRoot batch;
  private Connection duckdb;

  @BeforeAll
  void setUp() throws SQLException {
    allocator = new RootAllocator();
    batch = DATA.toArrow(allocator);
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = duckdb.createStatement()) {
      // Zone-less timestamps mean UTC in the JVM evaluator; make DuckDB's session agree.
      st.execute("SET TimeZone = 'UTC'");
    }
    DATA.toDuckDb(duckdb, "data");
  }

  @AfterAll
  void tearDown() throws SQLException {
    batch.close();
    allocator.close();
    duckdb.close();
  }

  /** Checks both engines select the same rows and returns how many they selected. */
  private int assertAgree(FilterExpr e) {
    String text = e.toString();
    FilterExpr parsed = Filters.parse(text);
    assertEquals(e, parsed, "round trip of " + text);
    List<Long> jvm = DATA.ids(Filters.evaluate(parsed, batch));
    List<Long> db = SampleTable.duckDbIds(duckdb, "data", Filters.toCondition(parsed));
    assertEquals(db, jvm, "JVM vs DuckDB for " + text);
    return jvm.size();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "age > 25",
        "age >= 25.0",
        "age < -2.5",
        "age = big",
        "age != big",
        "age < score",
        "score = 0",
        "score = -0.0",
        "score > 1e9",
        "score != score",
        "score = score",
        "score IN (0, 2.5, 25)",
        "big IN (25, 7, NULL)",
        "big NOT IN (25, 7)",
        "big NOT IN (25, NULL)",
        "NOT big NOT IN (25, NULL)",
        "name = 'active'",
        "name > 'Z'",
        "name < 'a'",
        "name >= '～'",
        "name > tag",
        "name = tag",
        "name IN ('', 'a''b', '😀')",
        "name NOT IN ('active')",
        "metadata.owner = 'alice' OR metadata.owner IS NULL",
        "flag",
        "NOT flag",
        "flag = TRUE",
        "flag != FALSE",
        "flag IS TRUE",
        "flag IS NOT TRUE",
        "flag IS FALSE OR flag IS NULL",
        "flag IS NOT NULL AND NOT flag",
        "NOT (flag AND age > 20)",
        "flag OR age > 20",
        "NOT (flag OR age > 20)",
        "age IS big",
        "age IS NOT big",
        "ts = TIMESTAMP '2024-01-05T10:00:00Z'",
        "ts < TIMESTAMP '1970-01-01T00:00:00Z'",
        "ts > TIMESTAMP '2024-01-05T12:00:00+02:00'",
        "ts <= DATE '2024-01-05'",
        "day = DATE '2024-01-05'",
        "day > DATE '2024-01-05'",
        "day IN (DATE '2024-01-01', DATE '2000-02-29', NULL)",
        "day < ts",
        "day = NULL",
        "day != NULL",
        "age < NULL",
        "NULL = 5",
        "NULL IS NULL",
        "1 = 1",
        "2.5 > 3",
        "TRUE",
        "FALSE",
        "NULL",
        "NOT NULL",
        "age = NULL OR score = NULL",
        "(age > 20 OR score < 2) AND NOT name IN ('active', 'deleted') AND metadata.owner != 'bob'"
      })
  void curatedFiltersAgree(String filter) {
    assertAgree(Filters.parse(filter));
  }

  @Test
  void randomFiltersAgree() {
    Random random = new Random(20261127L);
    int partial = 0;
    for (int k = 0; k < 400; k++) {
      int selected = assertAgree(randomCondition(random, 3));
      if (selected > 0 && selected < DATA.rows) {
        partial++;
      }
    }
    // Guards the generator: agreement on filters that select nothing (or everything) proves little.
    assertTrue(
        partial > 200, "only " + partial + " of 400 random filters selected some but not all rows");
  }

  // ---------------------------------------------------------------------------------------------
  // Random filters over the table, type-correct so both engines accept them.

  private static final List<String> NUMERIC = List.of("id", "age", "big", "score");
  private static final List<String> STRINGS = List.of("name", "tag", "metadata.owner");
  private static final List<String> TEMPORAL = List.of("ts", "day");
  private static final List<Object> NUMBERS =
      List.of(-5L, 0L, 1L, 7L, 17L, 25L, 30L, 45L, 100L, 2.5, -0.0, 1e10, 25.0, 1_000_000L, -7.25);
  private static final List<Object> TEXTS = List.of(
      "active", "deleted", "", "Zürich", "zebra", "a'b", "😀", "～", "ab", "abc", "Ä", "A", "z",
      "alice");
  private static final List<Object> TIMES = List.of(
      ts("2024-01-05T00:00:00Z"),
      ts("2024-01-05T10:00:00Z"),
      ts("1970-01-01T00:00:00Z"),
      LocalDate.parse("2024-01-05"),
      LocalDate.parse("2000-02-29"),
      ts("2030-06-01T12:00:00Z"));

  private static <T> T pick(Random r, List<T> xs) {
    return xs.get(r.nextInt(xs.size()));
  }

  private static FilterExpr randomCondition(Random r, int depth) {
    int choice = r.nextInt(depth > 0 ? 10 : 6);
    switch (choice) {
      case 0:
      case 1:
      case 2:
        return randomComparison(r);
      case 3:
        return randomIn(r);
      case 4: {
        List<String> all = new ArrayList<>(NUMERIC);
        all.addAll(STRINGS);
        all.addAll(TEMPORAL);
        all.add("flag");
        Column c = new Column(pick(r, all));
        return r.nextBoolean() ? new IsNull(c) : Filters.not(new IsNull(c));
      }
      case 5: {
        Column flag = new Column("flag");
        int f = r.nextInt(4);
        if (f == 0) {
          return flag;
        }
        Literal b = r.nextBoolean() ? Literal.TRUE : Literal.FALSE;
        Op op = f == 1 ? Op.EQ : f == 2 ? Op.IS : Op.IS_NOT;
        return new Compare(op, flag, b);
      }
      case 6:
        return Filters.not(randomCondition(r, depth - 1));
      case 7:
      case 8:
        return Filters.and(randomConditions(r, depth - 1));
      default:
        return Filters.or(randomConditions(r, depth - 1));
    }
  }

  private static List<FilterExpr> randomConditions(Random r, int depth) {
    List<FilterExpr> out = new ArrayList<>();
    int n = 2 + r.nextInt(2);
    for (int i = 0; i < n; i++) {
      out.add(randomCondition(r, depth));
    }
    return out;
  }

  private static FilterExpr randomComparison(Random r) {
    Op op = pick(r, List.of(Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE, Op.IS, Op.IS_NOT));
    int kind = r.nextInt(3);
    List<String> columns = kind == 0 ? NUMERIC : kind == 1 ? STRINGS : TEMPORAL;
    List<Object> values = kind == 0 ? NUMBERS : kind == 1 ? TEXTS : TIMES;
    Operand left = new Column(pick(r, columns));
    Operand right = r.nextInt(4) == 0 ? new Column(pick(r, columns)) : Literal.of(pick(r, values));
    if (r.nextBoolean()) {
      Operand t = left;
      left = right;
      right = t;
    }
    if (r.nextInt(12) == 0 && !op.isEquality()) {
      right = Literal.NULL;
    }
    return new Compare(op, left, right);
  }

  private static FilterExpr randomIn(Random r) {
    int kind = r.nextInt(3);
    List<String> columns = kind == 0 ? NUMERIC : kind == 1 ? STRINGS : List.of("day");
    List<Object> values = kind == 0
        ? NUMBERS
        : kind == 1
            ? TEXTS
            : List.of(
                LocalDate.parse("2024-01-05"),
                LocalDate.parse("2000-02-29"),
                LocalDate.parse("2024-01-10"));
    List<Literal> items = new ArrayList<>();
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      items.add(r.nextInt(8) == 0 ? Literal.NULL : Literal.of(pick(r, values)));
    }
    return new In(new Column(pick(r, columns)), items, r.nextBoolean());
  }
}
