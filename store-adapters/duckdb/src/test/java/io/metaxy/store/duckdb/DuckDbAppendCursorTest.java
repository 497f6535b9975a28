package io.metaxy.store.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.filter.Filters;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.support.ArrowBatches;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DuckDB backend's append cursors (incremental resolves rely on them never missing a row) and its
 * array-bound {@code IN} on id columns.
 */
class DuckDbAppendCursorTest {
  private final BufferAllocator allocator = new RootAllocator();

  @TempDir
  Path dir;

  private Connection connection;
  private DuckDbBackend backend;

  @BeforeEach
  void open() throws Exception {
    connection = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("t.duckdb"));
    backend = new DuckDbBackend(connection, "test", false);
    sql(
        connection,
        "CREATE TABLE t (id BIGINT, name VARCHAR, metaxy_updated_at TIMESTAMPTZ, metaxy_deleted_at TIMESTAMPTZ)");
    sql(connection, "INSERT INTO t SELECT range, 'n' || range, now(), NULL FROM range(1000)");
  }

  @AfterEach
  void close() {
    backend.close();
    allocator.close();
  }

  private static void sql(Connection c, String... statements) throws Exception {
    try (Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private List<Long> appended(String cursor) {
    try (VectorSchemaRoot r = backend.scanAppended("t", cursor, List.of("id"), allocator)) {
      assertNotNull(r, "the cursor is still valid");
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < r.getRowCount(); i++) {
        ids.add((Long) ArrowBatches.value(r.getVector("id"), i));
      }
      return List.copyOf(new TreeSet<>(ids));
    }
  }

  @Test
  void aWriterWhoseTransactionBeganBeforeTheCursorAndCommittedAfterIsInTheTail() throws Exception {
    Connection early = connection.unwrap(DuckDBConnection.class).duplicate();
    Connection late = connection.unwrap(DuckDBConnection.class).duplicate();
    try (early;
        late) {
      early.setAutoCommit(false);
      sql(
          early,
          "INSERT INTO t VALUES (5000, 'early', TIMESTAMPTZ '2020-01-01 00:00:00+00', NULL)");
      sql(late, "INSERT INTO t VALUES (6000, 'late', now(), NULL)");
      String cursor = backend.appendCursor("t"); // sees 6000, not the uncommitted 5000
      early.commit();
      sql(late, "INSERT INTO t VALUES (7000, 'after', now(), NULL)");
      // 5000 began first, with a timestamp years old, and committed after the cursor: not missed.
      assertEquals(List.of(5000L, 7000L), appended(cursor));
    }
  }

  @Test
  void rowsWrittenByOtherToolsWithOnlyTheSpecsColumnsAreInTheTail() throws Exception {
    String cursor = backend.appendCursor("t");
    // As the Python reference writes: no column of ours, a clock that went backwards.
    sql(
        connection,
        "INSERT INTO t (id, metaxy_updated_at) VALUES (42, TIMESTAMPTZ '1999-01-01 00:00:00+00')");
    assertEquals(List.of(42L), appended(cursor));
    assertEquals(List.of(), appended(backend.appendCursor("t")));
  }

  @Test
  void equalCursorsMeanAnUnchangedTableAndAnyChangeMakesThemDiffer() throws Exception {
    String before = backend.appendCursor("t");
    assertTrue(backend.unchangedBetween("t", before, backend.appendCursor("t")));
    sql(connection, "INSERT INTO t VALUES (9999, 'x', now(), NULL)");
    String appended = backend.appendCursor("t");
    assertFalse(backend.unchangedBetween("t", before, appended));
    sql(connection, "DELETE FROM t WHERE id = 3");
    String deleted = backend.appendCursor("t");
    assertFalse(backend.unchangedBetween("t", appended, deleted));
    sql(connection, "CHECKPOINT");
    assertFalse(backend.unchangedBetween("t", appended, backend.appendCursor("t")));
  }

  @Test
  void aHardDeleteInvalidatesTheCursorBeforeAndAfterACheckpoint() throws Exception {
    String cursor = backend.appendCursor("t");
    sql(connection, "DELETE FROM t WHERE id = 3");
    assertNull(backend.scanAppended("t", cursor, List.of("id"), allocator));
    sql(connection, "CHECKPOINT"); // renumbers the rows after the deleted one
    assertNull(backend.scanAppended("t", cursor, List.of("id"), allocator));
    // Appending as many rows as were deleted brings the count back; the last row before the end
    // differs.
    sql(connection, "INSERT INTO t VALUES (9999, 'x', now(), NULL)");
    assertNull(backend.scanAppended("t", cursor, List.of("id"), allocator));
  }

  @Test
  void aTableDroppedAndCreatedAgainWithAsManyRowsInvalidatesTheCursor() throws Exception {
    String cursor = backend.appendCursor("t");
    sql(
        connection,
        "DROP TABLE t",
        "CREATE TABLE t (id BIGINT, name VARCHAR, metaxy_updated_at TIMESTAMPTZ, metaxy_deleted_at TIMESTAMPTZ)",
        "INSERT INTO t SELECT range, 'other' || range, now(), NULL FROM range(1000)");
    assertNull(backend.scanAppended("t", cursor, List.of("id"), allocator));
  }

  @Test
  void longInListsOnIdColumnsAreBoundAsArraysAndSelectTheSameRows() throws Exception {
    sql(
        connection,
        "CREATE TABLE s (id VARCHAR, n BIGINT, metaxy_updated_at TIMESTAMPTZ, metaxy_deleted_at TIMESTAMPTZ)");
    sql(connection, "INSERT INTO s SELECT 'k' || range, range, now(), NULL FROM range(2000)");
    // Quotes, commas, brackets and a backslash: the list is bound as JSON, exact whatever the text.
    sql(connection, "INSERT INTO s VALUES ('we\"ird, [x] \\', 5000, now(), NULL)");
    List<Long> longs = new ArrayList<>();
    List<String> strings = new ArrayList<>();
    for (long i = 0; i <= 3 * DuckDbBackend.ARRAY_IN_VALUES; i += 3) {
      longs.add(i);
      strings.add("k" + i);
    }
    strings.add("we\"ird, [x] \\");
    try (VectorSchemaRoot r = backend.scan(
            new ScanRequest(
                "t",
                null,
                List.of("id"),
                Map.of(),
                Filters.in("id", longs),
                List.of("id"),
                Set.of()),
            allocator);
        VectorSchemaRoot q = backend.scan(
            new ScanRequest(
                "s",
                null,
                List.of("id"),
                Map.of(),
                Filters.in("id", strings),
                List.of("n"),
                Set.of()),
            allocator)) {
      assertEquals(longs.size(), r.getRowCount());
      List<Long> got = new ArrayList<>();
      for (int i = 0; i < q.getRowCount(); i++) {
        got.add((Long) ArrowBatches.value(q.getVector("n"), i));
      }
      List<Long> want = new ArrayList<>(longs);
      want.add(5000L);
      assertEquals(want, List.copyOf(new TreeSet<>(got)));
    }
  }
}
