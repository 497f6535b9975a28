package io.metaxy.store.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.Filters;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.support.ArrowBatches;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The DuckDB scan: projection pushdown and merge-on-read deduplication (in the JVM and in SQL). */
class DuckDbScanTest {
  private static final String DV = "metaxy_data_version_by_field";
  private static final FilterExpr LIVE = Filters.isNull("metaxy_deleted_at");
  /** The tombstone filter plus a condition on the id, which sends the scan down the SQL window path. */
  private static final FilterExpr LIVE_VIA_SQL =
      Filters.and(LIVE, Filters.or(List.of(Filters.isNull("id"), Filters.isNotNull("id"))));

  private final BufferAllocator allocator = new RootAllocator();
  private Connection connection;
  private DuckDbBackend backend;

  @BeforeEach
  void open() throws Exception {
    connection = DriverManager.getConnection("jdbc:duckdb:");
    backend = new DuckDbBackend(connection, "memory", false);
  }

  @AfterEach
  void close() {
    backend.close();
    allocator.close();
  }

  private void sql(String... statements) throws Exception {
    try (Statement st = connection.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private void createTable(String name, String idType) throws Exception {
    sql(
        "CREATE TABLE " + name + " (id " + idType + ", s VARCHAR, metaxy_feature_version VARCHAR, "
            + DV
            + " MAP(VARCHAR, VARCHAR), metaxy_updated_at TIMESTAMPTZ, metaxy_deleted_at TIMESTAMPTZ, extra VARCHAR)");
  }

  private static ScanRequest request(
      String table, FilterExpr filter, List<String> columns, Set<String> omit) {
    return new ScanRequest(
        table, "v1", List.of("id"), Map.of(DV, List.of("a")), filter, columns, omit);
  }

  /** Rows as sorted strings "id|s|dv.a" (row order is not part of the contract). */
  private static List<String> rows(VectorSchemaRoot r) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < r.getRowCount(); i++) {
      List<String> cells = new ArrayList<>();
      for (var v : r.getFieldVectors()) {
        Object value = ArrowBatches.value(v, i);
        cells.add(
            value instanceof Map<?, ?> m
                ? String.valueOf(new TreeMap<>(m))
                : String.valueOf(value));
      }
      out.add(String.join("|", cells));
    }
    return new ArrayList<>(new TreeSet<>(out));
  }

  @Test
  void tableLookupsSeeExactlyTheMainSchemasTablesAndTheirRowCounts() throws Exception {
    createTable("t", "BIGINT");
    sql(
        "CREATE SCHEMA other", "CREATE TABLE other.elsewhere (id BIGINT)",
        "INSERT INTO t (id) SELECT range FROM range(1234)", "DELETE FROM t WHERE id < 4");
    assertEquals(true, backend.hasTable("t"));
    assertEquals(false, backend.hasTable("missing"));
    assertEquals(false, backend.hasTable("elsewhere"), "only the main schema holds feature tables");
    assertEquals(1230, backend.estimatedRows("t"));
    assertEquals(0, backend.estimatedRows("missing"));
    assertEquals(null, backend.integerRange("t", "s"), "not an integer column");
    assertEquals(
        List.of(4L, 1233L, 1230L),
        Arrays.stream(backend.integerRange("t", "id")).boxed().toList());
    // The scan's column listing carries the DuckDB types it chooses the by-field reading by.
    sql("INSERT INTO t (id, metaxy_feature_version, " + DV
        + ") VALUES (5000, 'v1', MAP {'a': 'x'})");
    try (VectorSchemaRoot r = backend.scan(
        new ScanRequest(
            "t", "v1", null, Map.of(DV, List.of("a")), null, List.of("id", DV), Set.of()),
        allocator)) {
      assertEquals(List.of("5000|{a=x}"), rows(r));
    }
  }

  @Test
  void projectionReturnsExactlyTheRequestedColumnsInTableOrder() throws Exception {
    createTable("t", "BIGINT");
    sql(
        "INSERT INTO t VALUES (1, 'x', 'v1', MAP {'a': 'h1'}, TIMESTAMPTZ '2024-01-01 00:00:00+00', NULL, 'e1'),"
            + " (2, 'y', 'v1', MAP {'a': 'h2'}, TIMESTAMPTZ '2024-01-01 00:00:00+00', NULL, 'e2')");
    try (VectorSchemaRoot r =
        backend.scan(request("t", LIVE, List.of(DV, "id", "not_a_column"), null), allocator)) {
      assertEquals(List.of("id", DV), ArrowBatches.names(r));
      assertEquals(List.of("1|{a=h1}", "2|{a=h2}"), rows(r));
    }
    try (VectorSchemaRoot r = backend.scan(
        request(
            "t",
            null,
            null,
            Set.of(DV, "metaxy_updated_at", "metaxy_deleted_at", "metaxy_feature_version")),
        allocator)) {
      assertEquals(List.of("id", "s", "extra"), ArrowBatches.names(r));
    }
    // A filter may use columns the projection leaves out (SQL path and JVM path alike).
    FilterExpr onS = Filters.and(LIVE, Filters.eq("s", "y"));
    try (VectorSchemaRoot r = backend.scan(request("t", onS, List.of("id"), null), allocator)) {
      assertEquals(List.of("id"), ArrowBatches.names(r));
      assertEquals(List.of("2"), rows(r));
    }
    try (VectorSchemaRoot r = backend.scan(
        new ScanRequest("t", null, null, Map.of(), onS, List.of("extra"), null), allocator)) {
      assertEquals(List.of("extra"), ArrowBatches.names(r));
      assertEquals(List.of("e2"), rows(r));
    }
  }

  @Test
  void latestRowPerIdByTimestampThenAppendOrderWithTombstonesHidden() throws Exception {
    createTable("t", "BIGINT");
    sql(
        "INSERT INTO t VALUES"
            + " (1, 'old', 'v1', MAP {'a': '1'}, TIMESTAMPTZ '2024-01-01 00:00:01+00', NULL, NULL),"
            + " (1, 'tie-first', 'v1', MAP {'a': '2'}, TIMESTAMPTZ '2024-01-01 00:00:02+00', NULL, NULL),"
            + " (2, 'live', 'v1', MAP {'a': '3'}, TIMESTAMPTZ '2024-01-01 00:00:05+00', NULL, NULL),"
            + " (3, 'null-ts', 'v1', MAP {'a': '4'}, NULL, NULL, NULL),"
            + " (4, 'other-version', 'v2', MAP {'a': '5'}, TIMESTAMPTZ '2024-01-01 00:00:09+00', NULL, NULL),"
            + " (4, 'only', 'v1', MAP {'a': '6'}, TIMESTAMPTZ '2024-01-01 00:00:01+00', NULL, NULL)",
        "INSERT INTO t VALUES"
            + " (1, 'tie-later', 'v1', NULL, TIMESTAMPTZ '2024-01-01 00:00:02+00', NULL, NULL),"
            + " (2, 'tombstone', 'v1', MAP {'a': '3'}, TIMESTAMPTZ '2024-01-01 00:00:05+00', TIMESTAMPTZ '2024-01-01 00:00:06+00', NULL),"
            + " (3, 'dated', 'v1', MAP {'a': '7'}, TIMESTAMPTZ '2024-01-01 00:00:00+00', NULL, NULL)");
    List<String> expected = List.of("1|tie-later|null", "3|dated|{a=7}", "4|only|{a=6}");
    for (FilterExpr f : List.of(LIVE, LIVE_VIA_SQL)) {
      try (VectorSchemaRoot r =
          backend.scan(request("t", f, List.of("id", "s", DV), null), allocator)) {
        assertEquals(expected, rows(r), "filter " + f);
      }
    }
    // Without the tombstone filter the tombstone is the latest row of id 2.
    try (VectorSchemaRoot r =
        backend.scan(request("t", null, List.of("id", "s"), null), allocator)) {
      assertEquals(List.of("1|tie-later", "2|tombstone", "3|dated", "4|only"), rows(r));
    }
  }

  @Test
  void jvmAndSqlDeduplicationAgreeOnRandomHistories() throws Exception {
    for (String idType : List.of("BIGINT", "INTEGER", "VARCHAR")) {
      String t = "t_" + idType.toLowerCase(Locale.ROOT);
      createTable(t, idType);
      Random random = new Random(idType.hashCode());
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < 3000; i++) {
        int id = random.nextInt(1000);
        String idValue = random.nextInt(200) == 0
            ? "NULL"
            : idType.equals("VARCHAR") ? "'k" + id + "'" : String.valueOf(id);
        String ts = random.nextInt(20) == 0
            ? "NULL"
            : "TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL " + random.nextInt(50) + " SECOND";
        String del = random.nextInt(10) == 0
            ? "TIMESTAMPTZ '2024-01-01 00:01:00+00' + INTERVAL " + random.nextInt(50) + " SECOND"
            : "NULL";
        String version = random.nextInt(10) == 0 ? "v2" : "v1";
        values
            .append(values.length() == 0 ? "" : ", ")
            .append("(")
            .append(idValue)
            .append(", 'r")
            .append(i)
            .append("', '")
            .append(version)
            .append("', MAP {'a': 'h")
            .append(i)
            .append("'}, ")
            .append(ts)
            .append(", ")
            .append(del)
            .append(", NULL)");
        if (i % 500 == 499) {
          sql("INSERT INTO " + t + " VALUES " + values);
          values.setLength(0);
        }
      }
      try (VectorSchemaRoot jvm =
              backend.scan(request(t, LIVE, List.of("id", "s", DV), null), allocator);
          VectorSchemaRoot window =
              backend.scan(request(t, LIVE_VIA_SQL, List.of("id", "s", DV), null), allocator)) {
        assertEquals(rows(window), rows(jvm), idType);
        assertEquals(window.getRowCount(), jvm.getRowCount(), idType);
      }
    }
  }

  @Test
  void scansSplitIntoIdRangesReturnTheSameRowsAsOneQuery() throws Exception {
    // Random histories (repeated ids across appends, null ids, tombstones, other versions), read
    // once whole and once cut into id ranges read on several connections.
    sql("SET threads = 3");
    for (String idType : List.of("BIGINT", "INTEGER")) {
      String t = "split_" + idType.toLowerCase(Locale.ROOT);
      createTable(t, idType);
      Random random = new Random(idType.hashCode() + 7);
      for (int batch = 0; batch < 6; batch++) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 500; i++) {
          String id =
              random.nextInt(100) == 0 ? "NULL" : String.valueOf(random.nextInt(2000) - 300);
          String ts =
              "TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL " + random.nextInt(30) + " SECOND";
          String del = random.nextInt(10) == 0 ? ts : "NULL";
          values
              .append(values.length() == 0 ? "" : ", ")
              .append("(")
              .append(id)
              .append(", 'r")
              .append(batch)
              .append('-')
              .append(i)
              .append("', '")
              .append(random.nextInt(10) == 0 ? "v2" : "v1")
              .append("', MAP {'a': 'h")
              .append(i)
              .append("'}, ")
              .append(ts)
              .append(", ")
              .append(del)
              .append(", NULL)");
        }
        sql("INSERT INTO " + t + " VALUES " + values);
      }
      FilterExpr partition = Filters.and(
          LIVE,
          Filters.compare("id", FilterExpr.Op.GE, 100L),
          Filters.compare("id", FilterExpr.Op.LT, 1200L));
      for (FilterExpr filter : List.of(LIVE, partition)) {
        List<String> whole;
        try (VectorSchemaRoot r =
            backend.scan(request(t, filter, List.of("id", "s", DV), null), allocator)) {
          whole = rows(r);
        }
        long before = ScanSplit.minRangeRows;
        ScanSplit.minRangeRows = 200;
        try {
          assertEquals(
              3,
              backend
                  .ranges(
                      t,
                      "id",
                      backend.columns(t),
                      filter == LIVE
                          ? List.of()
                          : ((FilterExpr.And) partition).operands().subList(1, 3))
                  .size(),
              "the scan is split");
          try (VectorSchemaRoot split =
                  backend.scan(request(t, filter, List.of("id", "s", DV), null), allocator);
              VectorSchemaRoot window = backend.scan(
                  request(t, Filters.and(filter, LIVE_VIA_SQL), List.of("id", "s", DV), null),
                  allocator)) {
            assertEquals(whole, rows(split), idType + " " + filter);
            assertEquals(rows(window), rows(split), idType + " " + filter);
            assertEquals(window.getRowCount(), split.getRowCount(), "one row per id");
          }
        } finally {
          ScanSplit.minRangeRows = before;
        }
      }
    }
  }

  @Test
  void scansAreSplitOnlyByIntegerIdsAndWithMoreThanOneDuckDbThread() throws Exception {
    createTable("ints", "BIGINT");
    createTable("strings", "VARCHAR");
    sql(
        "INSERT INTO ints SELECT i, 's', 'v1', NULL, NULL, NULL, NULL FROM range(1000) t(i)",
        "INSERT INTO strings SELECT 'k' || i, 's', 'v1', NULL, NULL, NULL, NULL FROM range(1000) t(i)");
    long before = ScanSplit.minRangeRows;
    ScanSplit.minRangeRows = 100;
    try {
      sql("SET threads = 1");
      assertEquals(
          1, backend.ranges("ints", "id", backend.columns("ints"), List.of()).size(), "one thread");
      try (DuckDbBackend other = new DuckDbBackend(
          connection.unwrap(DuckDBConnection.class).duplicate(), "memory", false)) {
        sql("SET threads = 4");
        assertEquals(
            4, other.ranges("ints", "id", other.columns("ints"), List.of()).size());
        assertEquals(
            1,
            other.ranges("strings", "id", other.columns("strings"), List.of()).size(),
            "text ids");
      }
    } finally {
      ScanSplit.minRangeRows = before;
    }
  }

  @Test
  void jvmAndSqlDeduplicationAgreeOnAppendedRuns() throws Exception {
    // A few runs of increasing BIGINT ids with repeats across runs: the run-merging path of the JVM
    // deduplication, with timestamp ties, null timestamps and tombstones deciding the winners.
    createTable("runs", "BIGINT");
    Random random = new Random(42);
    for (int run = 0; run < 5; run++) {
      StringBuilder values = new StringBuilder();
      int id = random.nextInt(5);
      for (int i = 0; i < 400; i++) {
        id += 1 + random.nextInt(3);
        String ts = random.nextInt(15) == 0
            ? "NULL"
            : "TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL " + random.nextInt(4) + " SECOND";
        String del = random.nextInt(12) == 0
            ? "TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL " + random.nextInt(4) + " SECOND"
            : "NULL";
        values
            .append(values.length() == 0 ? "" : ", ")
            .append("(")
            .append(id)
            .append(", 'r")
            .append(run)
            .append('-')
            .append(i)
            .append("', 'v1', MAP {'a': 'h")
            .append(i)
            .append("'}, ")
            .append(ts)
            .append(", ")
            .append(del)
            .append(", NULL)");
      }
      sql("INSERT INTO runs VALUES " + values);
    }
    try (VectorSchemaRoot jvm =
            backend.scan(request("runs", LIVE, List.of("id", "s", DV), null), allocator);
        VectorSchemaRoot window =
            backend.scan(request("runs", LIVE_VIA_SQL, List.of("id", "s", DV), null), allocator)) {
      List<String> expected = new ArrayList<>(rows(window));
      assertEquals(expected, rows(jvm));
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < jvm.getRowCount(); i++) {
        ids.add(((BigIntVector) jvm.getVector("id")).get(i));
      }
      List<Long> sorted = new ArrayList<>(new TreeSet<>(ids));
      assertEquals(sorted, ids, "winners come back once per id, in id order");
    }
  }

  @Test
  void scansOfManyBatchesKeepEveryValueAndNull() throws Exception {
    // Several Arrow batches (and a short last one) concatenated: values, nulls and struct children
    // must land on the right rows across the batch seams.
    createTable("big", "BIGINT");
    int n = 200_003;
    sql("INSERT INTO big SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'v' || i END, 'v1',"
        + " CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN MAP {'b': 'x'} ELSE MAP {'a': 'h' || i} END,"
        + " TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL (i % 5) SECOND, NULL,"
        + " CASE WHEN i % 3 = 0 THEN NULL ELSE repeat('e', (i % 4)::INTEGER) END FROM range(" + n
        + ") t(i)");
    try (VectorSchemaRoot r = backend.scan(request("big", null, null, null), allocator)) {
      assertEquals(n, r.getRowCount());
      BigIntVector id = (BigIntVector) r.getVector("id");
      StructVector dv = (StructVector) r.getVector(DV);
      TimeStampVector ts = (TimeStampVector) r.getVector("metaxy_updated_at");
      for (int i = 0; i < n; i++) {
        assertEquals(i, id.get(i), "id at row " + i);
        assertEquals(
            i % 7 == 0 ? null : "v" + i, ArrowBatches.value(r.getVector("s"), i), "s at row " + i);
        assertEquals(i % 11 == 0, dv.isNull(i), "by-field null at row " + i);
        Object a = ArrowBatches.value(dv.getChild("a"), i);
        assertEquals(i % 11 == 0 || i % 13 == 0 ? null : "h" + i, a, "by-field a at row " + i);
        assertEquals(
            1_704_067_200_000_000L + (i % 5) * 1_000_000L, ts.get(i), "timestamp at row " + i);
        assertEquals(
            i % 3 == 0 ? null : "e".repeat(i % 4),
            ArrowBatches.value(r.getVector("extra"), i),
            "extra at row " + i);
      }
    }
  }

  @Test
  void deduplicatedScansOfManyBatchesTakeTheWinnersInIdOrder() throws Exception {
    // Corrections appended after 200k rows: the winners are gathered from several batches into id
    // order.
    createTable("fixes", "BIGINT");
    int n = 200_003;
    sql(
        "INSERT INTO fixes SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'v' || i END, 'v1',"
            + " CASE WHEN i % 11 = 0 THEN NULL ELSE MAP {'a': 'h' || i} END, TIMESTAMPTZ '2024-01-01 00:00:00+00', NULL, NULL"
            + " FROM range(" + n + ") t(i)",
        "INSERT INTO fixes SELECT i, CASE WHEN i % 9 = 0 THEN NULL ELSE 'fix' || i END, 'v1', MAP {'a': 'f' || i},"
            + " TIMESTAMPTZ '2024-01-02 00:00:00+00', CASE WHEN i % 10 = 5 THEN TIMESTAMPTZ '2024-01-02 00:00:00+00' END, NULL"
            + " FROM range(0, " + n + ", 3) t(i)");
    try (VectorSchemaRoot r = backend.scan(request("fixes", LIVE, null, null), allocator)) {
      BigIntVector id = (BigIntVector) r.getVector("id");
      StructVector dv = (StructVector) r.getVector(DV);
      int row = 0;
      for (int i = 0; i < n; i++) {
        boolean fixed = i % 3 == 0;
        if (fixed && i % 10 == 5) {
          continue; // the correction is a tombstone: the sample is gone
        }
        assertEquals(i, id.get(row), "id at row " + row);
        String s = fixed ? (i % 9 == 0 ? null : "fix" + i) : (i % 7 == 0 ? null : "v" + i);
        assertEquals(s, ArrowBatches.value(r.getVector("s"), row), "s of id " + i);
        assertEquals(!fixed && i % 11 == 0, dv.isNull(row), "by-field null of id " + i);
        assertEquals(
            fixed ? "f" + i : i % 11 == 0 ? null : "h" + i,
            ArrowBatches.value(dv.getChild("a"), row),
            "a of id " + i);
        row++;
      }
      assertEquals(row, r.getRowCount());
    }
  }

  /** Row values of one column in result order. */
  private static List<String> column(VectorSchemaRoot r, String name) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < r.getRowCount(); i++) {
      out.add(String.valueOf(ArrowBatches.value(r.getVector(name), i)));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"BIGINT", "INTEGER"})
  void appendedRunsComeBackInIdOrder(String idType) throws Exception {
    // BIGINT ids take the run-merging path; other integer ids the hash path, then the runs are
    // merged.
    createTable("t", idType);
    String ts = "TIMESTAMPTZ '2024-01-01 00:00:01+00'";
    String later = "TIMESTAMPTZ '2024-01-01 00:00:02+00'";
    // Three increasing runs (an odd count, so one run waits a merge pass), then corrections of 2
    // and 7.
    sql(
        "INSERT INTO t VALUES (1, 'a', 'v1', MAP {'a': '1'}, " + ts
            + ", NULL, NULL), (4, 'a', 'v1', NULL, " + ts + ", NULL, NULL),"
            + " (7, 'a', 'v1', NULL, " + ts + ", NULL, NULL)",
        "INSERT INTO t VALUES (2, 'a', 'v1', NULL, " + ts + ", NULL, NULL), (5, 'a', 'v1', NULL, "
            + ts + ", NULL, NULL)," + " (8, 'a', 'v1', NULL, " + ts + ", NULL, NULL)",
        "INSERT INTO t VALUES (3, 'a', 'v1', NULL, " + ts + ", NULL, NULL), (6, 'a', 'v1', NULL, "
            + ts + ", NULL, NULL)",
        "INSERT INTO t VALUES (2, 'b', 'v1', NULL, " + later
            + ", NULL, NULL), (7, 'b', 'v1', MAP {'a': '7'}, " + later + ", NULL, NULL)");
    try (VectorSchemaRoot r =
        backend.scan(request("t", LIVE, List.of("id", "s", DV), null), allocator)) {
      assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), column(r, "id"));
      assertEquals(List.of("a", "b", "a", "a", "a", "a", "b", "a"), column(r, "s"));
      assertEquals("{a=7}", String.valueOf(ArrowBatches.value(r.getVector(DV), 6)));
    }
  }

  @Test
  void twoIdColumnsUseTheGenericKeyPath() throws Exception {
    sql(
        "CREATE TABLE m (id BIGINT, part VARCHAR, s VARCHAR, metaxy_feature_version VARCHAR, metaxy_updated_at TIMESTAMPTZ,"
            + " metaxy_deleted_at TIMESTAMPTZ)",
        "INSERT INTO m VALUES (1, 'a', 'x1', 'v1', TIMESTAMPTZ '2024-01-01 00:00:01+00', NULL),"
            + " (1, 'b', 'y1', 'v1', TIMESTAMPTZ '2024-01-01 00:00:01+00', NULL),"
            + " (1, 'a', 'x2', 'v1', TIMESTAMPTZ '2024-01-01 00:00:02+00', NULL),"
            + " (1, NULL, 'n1', 'v1', TIMESTAMPTZ '2024-01-01 00:00:03+00', NULL),"
            + " (1, NULL, 'n2', 'v1', TIMESTAMPTZ '2024-01-01 00:00:01+00', NULL)");
    ScanRequest req =
        new ScanRequest("m", "v1", List.of("id", "part"), Map.of(), LIVE, List.of("s"), null);
    try (VectorSchemaRoot r = backend.scan(req, allocator)) {
      assertEquals(List.of("s"), ArrowBatches.names(r));
      assertEquals(List.of("n1", "x2", "y1"), rows(r));
    }
  }
}
