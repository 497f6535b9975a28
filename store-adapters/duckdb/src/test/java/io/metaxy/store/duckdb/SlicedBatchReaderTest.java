package io.metaxy.store.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.store.support.ArrowBatches;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch larger than a slice reaches DuckDB whole and in order, nulls included, into a table and a Parquet file. */
class SlicedBatchReaderTest {
  private static final int ROWS = 2 * SlicedBatchReader.SLICE_ROWS + 13;

  @TempDir
  Path dir;

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    assertEquals(0, allocator.getAllocatedMemory(), "every buffer is released");
    allocator.close();
  }

  /** Ids descending (so order is visible), a string null in every 7th row, a struct null in every 5th. */
  private VectorSchemaRoot batch() {
    BigIntVector id = new BigIntVector("id", allocator);
    id.allocateNew(ROWS);
    List<String> names = new ArrayList<>();
    List<Map<String, String>> pbf = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      id.set(r, ROWS - r);
      names.add(r % 7 == 3 ? null : "name-" + r);
      pbf.add(r % 5 == 1 ? null : Map.of("a", "a" + r, "b", "b" + (r * 31)));
    }
    id.setValueCount(ROWS);
    List<FieldVector> vs = new ArrayList<>(List.of(id));
    vs.add(ArrowBatches.strings("name", names, allocator));
    vs.add(ArrowBatches.byFieldStruct("pbf", List.of("a", "b"), pbf, allocator));
    return ArrowBatches.of(vs, ROWS);
  }

  private static void export(
      Connection c, BufferAllocator allocator, VectorSchemaRoot batch, String sql)
      throws Exception {
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
      Data.exportArrayStream(allocator, new SlicedBatchReader(allocator, batch), stream);
      c.unwrap(DuckDBConnection.class).registerArrowStream("input", stream);
      try (Statement st = c.createStatement()) {
        st.execute(sql);
      }
    }
  }

  /** Every row of {@code query} (ordered as stored) against the batch's row at the same position. */
  private static void assertRows(Connection c, String query) throws Exception {
    int r = 0;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        List<Object> expected = Arrays.asList(
            (long) (ROWS - r),
            r % 7 == 3 ? null : "name-" + r,
            r % 5 == 1 ? null : "a" + r,
            r % 5 == 1 ? null : "b" + (r * 31));
        List<Object> actual =
            Arrays.asList(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));
        assertEquals(expected, actual, "row " + r);
        r++;
      }
    }
    assertEquals(ROWS, r, "rows");
  }

  @Test
  void tableAndParquetFileGetEveryRowInOrder() throws Exception {
    assertTrue(ROWS > 2 * SlicedBatchReader.SLICE_ROWS, "three slices, the last one short");
    Path file = dir.resolve("f.parquet");
    try (VectorSchemaRoot batch = batch();
        Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("t.duckdb"))) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (id BIGINT, name VARCHAR, pbf STRUCT(a VARCHAR, b VARCHAR))");
      }
      export(c, allocator, batch, "INSERT INTO t BY NAME SELECT * FROM input");
      assertRows(c, "SELECT id, name, pbf.a, pbf.b FROM t ORDER BY rowid");
      export(c, allocator, batch, "COPY (SELECT * FROM input) TO '" + file + "' (FORMAT parquet)");
      assertRows(
          c,
          "SELECT id, name, pbf.a, pbf.b FROM read_parquet('" + file
              + "', file_row_number = true) ORDER BY file_row_number");
    }
  }
}
