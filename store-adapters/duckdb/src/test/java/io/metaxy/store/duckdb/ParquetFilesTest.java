package io.metaxy.store.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.metaxy.filter.Filters;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.support.ArrowBatches;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Parquet engine of the lakehouse stores: files written with field ids, scans over files in commit order. */
class ParquetFilesTest {
  private static final String PBF = "metaxy_provenance_by_field";

  @TempDir
  Path dir;

  private final BufferAllocator allocator = new RootAllocator();
  private final ParquetFiles engine = new ParquetFiles(Map.of("threads", "2"));

  @AfterEach
  void close() {
    engine.close();
    allocator.close();
  }

  /** A batch of (id, by-field struct with {@code keys}, version, updated_at, and {@code extra} when given). */
  private VectorSchemaRoot batch(
      List<String> ids, List<String> keys, String version, long updatedAt, @Nullable String extra) {
    List<FieldVector> vs = new ArrayList<>();
    vs.add(ArrowBatches.strings("id", ids, allocator));
    List<Map<String, String>> pbf = new ArrayList<>();
    List<String> versions = new ArrayList<>();
    List<@Nullable Long> times = new ArrayList<>();
    List<String> extras = new ArrayList<>();
    for (String id : ids) {
      Map<String, String> m = new LinkedHashMap<>();
      for (String k : keys) {
        m.put(k, k + ":" + id + ":" + extra);
      }
      pbf.add(m);
      versions.add(version);
      times.add(updatedAt);
      extras.add(extra + ":" + id);
    }
    vs.add(ArrowBatches.byFieldStruct(PBF, keys, pbf, allocator));
    vs.add(ArrowBatches.strings("metaxy_feature_version", versions, allocator));
    vs.add(ArrowBatches.timestamps("metaxy_updated_at", times, allocator));
    List<@Nullable Long> none = new ArrayList<>();
    ids.forEach(id -> none.add(null));
    vs.add(ArrowBatches.timestamps("metaxy_deleted_at", none, allocator));
    if (extra != null) {
      vs.add(ArrowBatches.strings("extra", extras, allocator));
    }
    return ArrowBatches.of(vs, ids.size());
  }

  private static Field withId(Field f, int id, List<Field> children) {
    return new Field(
        f.getName(),
        new FieldType(true, f.getType(), null, Map.of(ParquetFiles.FIELD_ID, String.valueOf(id))),
        children);
  }

  /** The table's schema after both appends: the struct gained a child, and {@code extra} came later. */
  private static Schema tableSchema() {
    Field utf8 = Field.nullable("x", ArrowType.Utf8.INSTANCE);
    return new Schema(List.of(
        withId(Field.nullable("id", ArrowType.Utf8.INSTANCE), 1, List.of()),
        withId(
            new Field(PBF, FieldType.nullable(ArrowType.Struct.INSTANCE), List.of()),
            2,
            List.of(
                withId(new Field("audio", utf8.getFieldType(), null), 5, List.of()),
                withId(new Field("frames", utf8.getFieldType(), null), 6, List.of()))),
        withId(Field.nullable("metaxy_feature_version", ArrowType.Utf8.INSTANCE), 3, List.of()),
        withId(Field.nullable("metaxy_updated_at", ArrowBatches.TIMESTAMP_UTC), 4, List.of()),
        withId(Field.nullable("metaxy_deleted_at", ArrowBatches.TIMESTAMP_UTC), 8, List.of()),
        withId(Field.nullable("extra", ArrowType.Utf8.INSTANCE), 7, List.of())));
  }

  private Path write(String name, VectorSchemaRoot b) {
    try (b) {
      Path p = dir.resolve(name);
      ParquetFiles.Written w = engine.write(b, tableSchema(), p);
      assertEquals(b.getRowCount(), w.rows());
      return p;
    }
  }

  @Test
  void writtenFilesCarryFieldIdsOnEveryColumnAndStructChild() throws Exception {
    Path p =
        write("a.parquet", batch(List.of("a", "b"), List.of("audio", "frames"), "v1", 10, "e"));
    Map<String, String> ids = new HashMap<>();
    Map<String, String> logical = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT name, field_id, logical_type, converted_type"
            + " FROM parquet_schema('" + p + "')")) {
      while (rs.next()) {
        ids.put(rs.getString(1), rs.getString(2));
        logical.put(rs.getString(1), rs.getString(3) + " " + rs.getString(4));
      }
    }
    assertEquals("1", ids.get("id"));
    assertEquals("2", ids.get(PBF));
    assertEquals("5", ids.get("audio"));
    assertEquals("6", ids.get("frames"));
    assertEquals("3", ids.get("metaxy_feature_version"));
    assertEquals("4", ids.get("metaxy_updated_at"));
    assertEquals("7", ids.get("extra"));
    assertEquals("8", ids.get("metaxy_deleted_at"));
    String ts = logical.get("metaxy_updated_at");
    assertEquals(true, ts.contains("isAdjustedToUTC=1") && ts.contains("MICROS"), ts);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT compression FROM parquet_metadata('" + p + "') LIMIT 1")) {
      rs.next();
      assertEquals("ZSTD", rs.getString(1));
    }
  }

  /**
   * The writer gives up on dictionaries for unique values (hashes, ids) early, but a column with a few
   * hundred distinct values per row group, and a constant one, keep theirs for the readers.
   */
  @Test
  void onlyLowCardinalityColumnsAreDictionaryEncoded() throws Exception {
    int rows = 20_000;
    List<String> ids = new ArrayList<>();
    List<String> versions = new ArrayList<>();
    List<String> categories = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      ids.add(String.format("%016x", i * 0x9E3779B97F4A7C15L));
      versions.add("v1");
      categories.add("category-" + (i % 500));
    }
    Path p = write(
        "d.parquet",
        ArrowBatches.of(
            List.of(
                ArrowBatches.strings("id", ids, allocator),
                ArrowBatches.strings("metaxy_feature_version", versions, allocator),
                ArrowBatches.strings("extra", categories, allocator)),
            rows));
    Map<String, String> encodings = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT path_in_schema, encodings FROM parquet_metadata('" + p + "')")) {
      while (rs.next()) {
        encodings.put(rs.getString(1), rs.getString(2));
      }
    }
    assertEquals("PLAIN", encodings.get("id"));
    assertEquals("PLAIN_DICTIONARY", encodings.get("metaxy_feature_version"));
    assertEquals("PLAIN_DICTIONARY", encodings.get("extra"));
  }

  @Test
  void writesReportTheStatisticsOfStringColumns() {
    try (VectorSchemaRoot b = batch(List.of("b", "a", "c"), List.of("audio"), "v2", 10, null)) {
      ParquetFiles.Written w = engine.write(b, tableSchema(), dir.resolve("s.parquet"));
      assertEquals(new ParquetFiles.StringStats("a", "c", 0), w.strings().get("id"));
      assertEquals(
          new ParquetFiles.StringStats("v2", "v2", 0), w.strings().get("metaxy_feature_version"));
      assertNull(w.strings().get("metaxy_updated_at")); // strings only
      assertNull(w.strings().get("extra")); // not in the batch
    }
  }

  @Test
  void aStructWrittenToAMapColumnKeepsItsNonNullChildren() throws Exception {
    List<FieldVector> vs = new ArrayList<>();
    vs.add(ArrowBatches.strings("id", List.of("a", "b"), allocator));
    Map<String, String> partial = new LinkedHashMap<>();
    partial.put("audio", "x");
    List<@Nullable Map<String, String>> pbf = new ArrayList<>();
    pbf.add(partial);
    pbf.add(null);
    vs.add(ArrowBatches.byFieldStruct(PBF, List.of("audio", "frames"), pbf, allocator));
    Field utf8 = Field.notNullable("key", ArrowType.Utf8.INSTANCE);
    Field entries = new Field(
        "entries",
        FieldType.notNullable(ArrowType.Struct.INSTANCE),
        List.of(utf8, Field.nullable("value", ArrowType.Utf8.INSTANCE)));
    Schema target = new Schema(List.of(
        Field.nullable("id", ArrowType.Utf8.INSTANCE),
        new Field(PBF, FieldType.nullable(new ArrowType.Map(false)), List.of(entries))));
    Path p = dir.resolve("m.parquet");
    try (VectorSchemaRoot b = ArrowBatches.of(vs, 2)) {
      engine.write(b, target, p);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, map_keys(" + PBF + ")::VARCHAR, " + PBF
            + " IS NULL FROM read_parquet('" + p + "') ORDER BY id")) {
      rs.next();
      assertEquals("[audio]", rs.getString(2));
      rs.next();
      assertEquals(true, rs.getBoolean(3));
    }
  }

  @Test
  void olderFilesReadNullForColumnsAndChildrenAddedLater() {
    // The first file predates the "frames" child and the "extra" column.
    Path old = write("1.parquet", batch(List.of("a", "b"), List.of("audio"), "v1", 10, null));
    Path fresh = write("2.parquet", batch(List.of("c"), List.of("audio", "frames"), "v1", 10, "e"));
    // The table's struct child added later reaches the file written before it only through the
    // scan.
    try (VectorSchemaRoot r = engine.scan(
        List.of(old, fresh),
        tableSchema(),
        new ScanRequest("t", "v1", List.of("id"), Map.of()),
        allocator)) {
      Map<String, Map<String, @Nullable Object>> byId = byId(r);
      assertEquals(3, byId.size());
      assertNull(byId.get("a").get("extra"));
      assertEquals("e:c", byId.get("c").get("extra"));
      Map<?, ?> a = (Map<?, ?>) byId.get("a").get(PBF);
      assertEquals("audio:a:null", a.get("audio"));
      assertNull(a.get("frames"));
      assertEquals("frames:c:e", ((Map<?, ?>) byId.get("c").get(PBF)).get("frames"));
    }
  }

  @Test
  void tiesGoToTheLaterFileInCommitOrderThenTheLaterRow() {
    Path first = write("x.parquet", batch(List.of("a", "b"), List.of("audio"), "v1", 10, "first"));
    Path second =
        write("y.parquet", batch(List.of("a", "b", "b"), List.of("audio"), "v1", 10, "second"));
    for (List<Path> order : List.of(List.of(first, second), List.of(second, first))) {
      String later = order.get(1) == first ? "first" : "second";
      try (VectorSchemaRoot r = engine.scan(
          order, tableSchema(), new ScanRequest("t", "v1", List.of("id"), Map.of()), allocator)) {
        Map<String, Map<String, @Nullable Object>> byId = byId(r);
        assertEquals(2, byId.size());
        assertEquals(later + ":a", byId.get("a").get("extra"));
        assertEquals(later + ":b", byId.get("b").get("extra"));
      }
    }
    // The SQL path (a filter beyond the tombstone filter) breaks ties the same way.
    try (VectorSchemaRoot r = engine.scan(
        List.of(first, second),
        tableSchema(),
        new ScanRequest(
            "t", "v1", List.of("id"), Map.of(), Filters.isNotNull("extra"), null, Set.of()),
        allocator)) {
      assertEquals("second:a", byId(r).get("a").get("extra"));
    }
  }

  @Test
  void scanAnswersAsTheDuckDbStoreDoes() throws Exception {
    List<VectorSchemaRoot> appends = List.of(
        batch(List.of("a", "b", "c"), List.of("audio"), "v1", 10, null),
        batch(List.of("b", "d"), List.of("audio", "frames"), "v2", 20, "e"),
        batch(List.of("a", "d"), List.of("audio", "frames"), "v1", 30, "f"));
    List<Path> files = new ArrayList<>();
    try (DuckDbBackend store =
        new DuckDbBackend(DriverManager.getConnection("jdbc:duckdb:"), "memory", false)) {
      int i = 0;
      for (VectorSchemaRoot b : appends) {
        store.append("t", b);
        files.add(write((i++) + ".parquet", b));
      }
      List<ScanRequest> requests = List.of(
          new ScanRequest("t", null, null, Map.of()),
          new ScanRequest("t", "v1", List.of("id"), Map.of()),
          new ScanRequest("t", "v2", List.of("id"), Map.of(PBF, List.of("frames", "video"))),
          new ScanRequest(
              "t",
              null,
              List.of("id"),
              Map.of(),
              Filters.eq("metaxy_feature_version", "v1"),
              List.of("id", "extra"),
              Set.of()));
      for (ScanRequest q : requests) {
        try (VectorSchemaRoot expected = store.scan(q, allocator);
            VectorSchemaRoot actual = engine.scan(files, tableSchema(), q, allocator)) {
          assertEquals(ArrowBatches.names(expected), ArrowBatches.names(actual), q.toString());
          assertEquals(rows(expected), rows(actual), q.toString());
        }
      }
    }
  }

  @Test
  void noFilesIsAnEmptyTableOfTheSchema() {
    try (VectorSchemaRoot r = engine.scan(
        List.of(), tableSchema(), new ScanRequest("t", "v1", List.of("id"), Map.of()), allocator)) {
      assertEquals(0, r.getRowCount());
      assertEquals(
          Arrays.asList(
              "id",
              PBF,
              "metaxy_feature_version",
              "metaxy_updated_at",
              "metaxy_deleted_at",
              "extra"),
          ArrowBatches.names(r));
    }
  }

  /** Rows by id, every column by name as a plain value; the ids of {@code r} must be unique. */
  private static Map<String, Map<String, @Nullable Object>> byId(VectorSchemaRoot r) {
    Map<String, Map<String, @Nullable Object>> out = new TreeMap<>();
    for (Map<String, @Nullable Object> row : rows(r)) {
      assertNull(out.put(String.valueOf(row.get("id")), row), "one row per id");
    }
    return out;
  }

  /** Every row, every column by name as a plain value, in a fixed order. */
  private static List<Map<String, @Nullable Object>> rows(VectorSchemaRoot r) {
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    for (int i = 0; i < r.getRowCount(); i++) {
      Map<String, @Nullable Object> row = new LinkedHashMap<>();
      for (FieldVector v : r.getFieldVectors()) {
        row.put(v.getName(), ArrowBatches.value(v, i));
      }
      out.add(row);
    }
    out.sort(Comparator.comparing(Object::toString));
    return out;
  }
}
