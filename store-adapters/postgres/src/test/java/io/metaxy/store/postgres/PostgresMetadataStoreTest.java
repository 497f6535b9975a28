package io.metaxy.store.postgres;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.cell;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static io.metaxy.store.TestRows.rowOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.DeleteOptions;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.MetadataStoreException;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.RowFilter;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.TestGraphs;
import io.metaxy.store.TestRows;
import io.metaxy.store.memory.InMemoryMetadataStore;
import io.metaxy.store.spi.ByFieldLayout;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import io.metaxy.store.support.ArrowBatches;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** PostgreSQL-specific behaviour: table layout, foreign tables, column types, atomic appends, COPY vs INSERT. */
@ExtendWith(PostgresServer.class)
class PostgresMetadataStoreTest {
  private static final FeatureKey VIDEO = FeatureKey.of("video/raw");
  private static final FeatureKey CLIP = FeatureKey.of("video/clip");

  private final BufferAllocator allocator = new RootAllocator();
  private String url;

  @BeforeEach
  void schema() {
    url = PostgresServer.freshSchema();
  }

  @AfterEach
  void close() {
    PostgresServer.dropSchema(url);
    allocator.close();
  }

  private static FeatureGraph graph() {
    return TestGraphs.videoClip();
  }

  private PostgresMetadataStore store(PostgresStoreConfig config) {
    return new PostgresMetadataStore(StoreOptions.of(graph()).allocator(allocator), config);
  }

  private PostgresMetadataStore store() {
    return store(PostgresStoreConfig.of(url));
  }

  private List<String> sql(String query) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private void exec(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static String schemaOf(String url) {
    return url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
  }

  private VectorSchemaRoot video(String id, String audio) {
    return batch(
        allocator,
        row("video_id", id, "metaxy_provenance_by_field", pbf("audio", audio, "frames", "f")));
  }

  @Test
  void tablesAreNamedPerFeatureWithJsonbByFieldColumns() throws Exception {
    PostgresMetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = video("v1", "a")) {
      s.write(VIDEO, b);
    }
    assertEquals(
        List.of("video__raw"),
        sql(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"));
    assertEquals(
        List.of("jsonb"),
        sql(
            "SELECT data_type FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND column_name = 'metaxy_provenance_by_field'"));
    assertEquals(
        List.of("timestamp with time zone"),
        sql("SELECT data_type FROM information_schema.columns "
            + "WHERE table_schema = current_schema() AND column_name = 'metaxy_updated_at'"));
    assertEquals(
        List.of("a"), sql("SELECT metaxy_provenance_by_field ->> 'audio' FROM video__raw"));
  }

  @Test
  void tablePrefixIsPrependedAndHidden() throws Exception {
    PostgresMetadataStore s = store(PostgresStoreConfig.of(url).withTablePrefix("dev_"));
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = video("v1", "a")) {
      s.write(VIDEO, b);
      assertTrue(s.hasFeature(VIDEO));
      try (VectorSchemaRoot r = s.read(VIDEO)) {
        assertEquals(1, r.getRowCount());
      }
    }
    exec("CREATE TABLE other_table (x int)");
    assertEquals(
        List.of("dev_video__raw", "other_table"),
        sql(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"));
    // The unprefixed store does not see the prefixed table.
    PostgresMetadataStore plain = store();
    try (var scope = plain.open(AccessMode.READ)) {
      assertFalse(plain.hasFeature(VIDEO));
    }
  }

  @Test
  void readsTablesCreatedElsewhereWithJsonTextColumnsAndNoSequence() throws Exception {
    PostgresMetadataStore s = store();
    String fv;
    try (var scope = s.open(AccessMode.READ)) {
      fv = s.featureVersion(VIDEO);
    }
    // A table another tool created: json and text by-field columns, no append-order column.
    exec(
        "CREATE TABLE video__raw (video_id text, metaxy_provenance_by_field json, metaxy_provenance text, "
            + "metaxy_feature_version text, metaxy_project_version text, metaxy_data_version_by_field text, "
            + "metaxy_data_version text, metaxy_created_at timestamptz, metaxy_updated_at timestamptz, "
            + "metaxy_deleted_at timestamptz, metaxy_materialization_id text)");
    exec("INSERT INTO video__raw VALUES "
        + "('v1', '{\"audio\": \"a1\", \"frames\": \"f1\"}', 'p1', '" + fv
        + "', 'pv', '{\"audio\": \"a1\", \"frames\": \"f1\"}', 'p1', "
        + "'2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', NULL, NULL), "
        + "('v1', '{\"audio\": \"a1b\"}', 'p1b', '" + fv
        + "', 'pv', '{\"audio\": \"a1b\"}', 'p1b', "
        + "'2024-01-01 00:00:00+00', '2024-01-02 00:00:00+00', NULL, NULL), "
        + "('v2', '{\"audio\": \"a2\", \"frames\": \"f2\"}', 'p2', '" + fv + "', 'pv', NULL, 'p2', "
        + "'2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', NULL, NULL)");
    try (var scope = s.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot r = s.read(VIDEO)) {
        assertEquals(2, r.getRowCount());
        int v1 = rowOf(r, "video_id", "v1");
        Map<String, Object> latest = new HashMap<>();
        latest.put("audio", "a1b");
        latest.put("frames", null);
        assertEquals(latest, cell(r, "metaxy_provenance_by_field", v1), "absent keys read as null");
        assertEquals("p1b", cell(r, "metaxy_provenance", v1));
        assertNull(cell(r, "metaxy_data_version_by_field", rowOf(r, "video_id", "v2")));
      }
      try (VectorSchemaRoot b = video("v3", "a3")) {
        s.write(VIDEO, b);
      }
      try (Increment inc = s.resolveUpdate(CLIP)) {
        assertEquals(3, inc.newSamples().getRowCount());
      }
    }
    // A json (not jsonb) column keeps the text as written.
    assertEquals(
        List.of("{\"audio\":\"a3\",\"frames\":\"f\"}"),
        sql("SELECT metaxy_provenance_by_field::text FROM video__raw WHERE video_id = 'v3'"));
  }

  @Test
  void laterAppendWinsTiesOnUpdatedAt() throws Exception {
    PostgresMetadataStore s = store();
    Instant t = Instant.parse("2024-05-01T00:00:00Z");
    try (var scope = s.open(AccessMode.WRITE)) {
      for (String audio : List.of("first", "second", "third")) {
        try (VectorSchemaRoot b = video("v1", audio)) {
          s.write(VIDEO, b);
        }
      }
    }
    // Same updated_at on every row: only the append order can decide.
    exec("UPDATE video__raw SET metaxy_updated_at = '" + t + "'");
    try (var scope = s.open(AccessMode.READ);
        VectorSchemaRoot r = s.read(VIDEO)) {
      assertEquals(1, r.getRowCount());
      assertEquals(
          Map.of("audio", "third", "frames", "f"), cell(r, "metaxy_provenance_by_field", 0));
    }
  }

  /**
   * Tables created by earlier versions of this store have an append-order column {@code _metaxy_seq}
   * (new tables have the reference's columns only): while it exists it decides ties, whatever the heap
   * order, and converting the table to the reference's layout drops it.
   */
  @Test
  void legacyTablesWithAnAppendOrderColumnKeepAppendOrderWhenHeapOrderDiffers() throws Exception {
    PostgresMetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      for (String audio : List.of("first", "second")) {
        try (VectorSchemaRoot b = video("v1", audio)) {
          s.write(VIDEO, b);
        }
      }
      try (VectorSchemaRoot b = video("v9", "other")) {
        s.write(VIDEO, b);
      }
    }
    // The column as earlier versions created it (existing rows are numbered in heap order, here
    // append order).
    exec("ALTER TABLE video__raw ADD COLUMN _metaxy_seq bigint GENERATED ALWAYS AS IDENTITY");
    // Equal timestamps, and an UPDATE moves the first row's tuple behind the second in the heap.
    exec("UPDATE video__raw SET metaxy_updated_at = '2024-05-01T00:00:00Z'");
    exec(
        "UPDATE video__raw SET metaxy_materialization_id = 'moved' WHERE metaxy_provenance_by_field ->> 'audio' = 'first'");
    try (var scope = s.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot r = s.read(VIDEO, ReadOptions.DEFAULT.sampleHistory())) {
        List<Object> audio = new ArrayList<>();
        for (int i = 0; i < r.getRowCount(); i++) {
          audio.add(((Map<?, ?>) cell(r, "metaxy_provenance_by_field", i)).get("audio"));
        }
        assertEquals(List.of("first", "second", "other"), audio);
      }
      // The hard delete rewrites the table from a scan; the rewrite must keep "second" after
      // "first".
      s.delete(VIDEO, List.of(RowFilter.eq("video_id", "v9")), DeleteOptions.HARD);
      try (VectorSchemaRoot r = s.read(VIDEO)) {
        assertEquals(1, r.getRowCount());
        assertEquals(
            Map.of("audio", "second", "frames", "f"), cell(r, "metaxy_provenance_by_field", 0));
      }
      assertEquals(2, s.convertLayout(VIDEO, ByFieldLayout.STRUCT));
      assertThrows(
          UnsupportedOperationException.class, () -> s.convertLayout(VIDEO, ByFieldLayout.MAP));
      try (VectorSchemaRoot r = s.read(VIDEO)) {
        assertEquals(
            Map.of("audio", "second", "frames", "f"), cell(r, "metaxy_provenance_by_field", 0));
      }
    }
    assertEquals(
        List.of(),
        sql("SELECT column_name FROM information_schema.columns WHERE table_name = 'video__raw'"
            + " AND table_schema = current_schema() AND column_name = '_metaxy_seq'"));
  }

  @Test
  void userColumnTypesRoundTrip() {
    PostgresMetadataStore s = store();
    int n = 2;
    List<FieldVector> cols = new ArrayList<>();
    cols.add(ArrowBatches.strings("video_id", List.of("v1", "v2"), allocator));
    cols.add(ArrowBatches.byFieldStruct(
        "metaxy_provenance_by_field",
        List.of("audio", "frames"),
        List.of(Map.of("audio", "a", "frames", "f"), Map.of("audio", "b", "frames", "g")),
        allocator));
    IntVector i32 = new IntVector("i32", allocator);
    i32.allocateNew(n);
    i32.set(0, -7);
    i32.setNull(1);
    cols.add(i32);
    Float4Vector f32 = new Float4Vector("f32", allocator);
    f32.allocateNew(n);
    f32.set(0, 0.25f);
    f32.set(1, Float.NaN);
    cols.add(f32);
    DateDayVector day = new DateDayVector("day", allocator);
    day.allocateNew(n);
    day.set(0, (int) LocalDate.of(2024, 2, 29).toEpochDay());
    day.setNull(1);
    cols.add(day);
    DecimalVector dec = new DecimalVector("price", allocator, 10, 3);
    dec.allocateNew(n);
    dec.set(0, new BigDecimal("1234.500"));
    dec.set(1, new BigDecimal("-0.001"));
    cols.add(dec);
    VarBinaryVector bin = new VarBinaryVector("blob", allocator);
    bin.allocateNew(n);
    bin.set(0, new byte[] {0, (byte) 0xff, '\\', '\t'});
    bin.set(1, new byte[0]);
    cols.add(bin);
    TimeStampMicroVector local = new TimeStampMicroVector("local_ts", allocator);
    local.allocateNew(n);
    local.set(0, 1_700_000_000_123_456L);
    local.setNull(1);
    cols.add(local);
    StructVector meta = (StructVector) new Field(
            "meta",
            FieldType.nullable(ArrowType.Struct.INSTANCE),
            List.of(Field.nullable("w", new ArrowType.Int(64, true))))
        .createVector(allocator);
    meta.allocateNew();
    meta.setIndexDefined(0);
    ((BigIntVector) meta.getChild("w")).setSafe(0, 640);
    meta.setNull(1);
    cols.add(meta);
    ListVector tags = ListVector.empty("tags", allocator);
    tags.addOrGetVector(FieldType.nullable(ArrowType.Utf8.INSTANCE));
    tags.allocateNew();
    int start = tags.startNewValue(0);
    ((VarCharVector) tags.getDataVector()).setSafe(start, "x".getBytes(StandardCharsets.UTF_8));
    ((VarCharVector) tags.getDataVector())
        .setSafe(start + 1, "y\"z".getBytes(StandardCharsets.UTF_8));
    tags.endValue(0, 2);
    tags.startNewValue(1);
    tags.endValue(1, 0);
    tags.setValueCount(n);
    cols.add(tags);
    LargeVarCharVector large = new LargeVarCharVector("large_text", allocator);
    large.allocateNew(n);
    large.setSafe(0, "grand".getBytes(StandardCharsets.UTF_8));
    large.setNull(1);
    cols.add(large);
    LargeVarBinaryVector largeBin = new LargeVarBinaryVector("large_blob", allocator);
    largeBin.allocateNew(n);
    largeBin.setSafe(0, new byte[] {1, 2});
    largeBin.setNull(1);
    cols.add(largeBin);
    VarCharVector text =
        ArrowBatches.strings("note", List.of("tab\there\nnew \\ line \"q\" ü", "\\N"), allocator);
    cols.add(text);
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = ArrowBatches.of(cols, n)) {
      s.write(VIDEO, b);
      try (VectorSchemaRoot r = s.read(VIDEO)) {
        int v1 = rowOf(r, "video_id", "v1");
        int v2 = rowOf(r, "video_id", "v2");
        assertEquals(-7L, cell(r, "i32", v1));
        assertNull(cell(r, "i32", v2));
        assertEquals(new ArrowType.Int(32, true), r.getVector("i32").getField().getType());
        assertEquals(0.25, cell(r, "f32", v1));
        assertTrue(Double.isNaN((Double) cell(r, "f32", v2)));
        assertEquals(LocalDate.of(2024, 2, 29), cell(r, "day", v1));
        assertEquals(new BigDecimal("1234.500"), cell(r, "price", v1));
        assertEquals(new BigDecimal("-0.001"), cell(r, "price", v2));
        assertEquals(List.of(0, 255, 92, 9), toInts((byte[]) cell(r, "blob", v1)));
        assertEquals(0, ((byte[]) cell(r, "blob", v2)).length);
        assertEquals(
            1_700_000_000_123_456L, ((TimeStampMicroVector) r.getVector("local_ts")).get(v1));
        assertEquals(
            Map.of("w", 640L),
            cell(r, "meta", v1),
            "structs are stored as JSONB and read back as structs");
        assertEquals(
            meta.getField().getChildren(), r.getVector("meta").getField().getChildren());
        assertNull(cell(r, "meta", v2));
        var readTags = (ListVector) r.getVector("tags");
        assertEquals(
            List.of("x", "y\"z"),
            readTags.getObject(v1).stream().map(Object::toString).toList());
        assertEquals(List.of(), readTags.getObject(v2));
        assertEquals("grand", cell(r, "large_text", v1));
        assertNull(cell(r, "large_text", v2));
        assertEquals(List.of(1, 2), toInts((byte[]) cell(r, "large_blob", v1)));
        assertEquals("tab\there\nnew \\ line \"q\" ü", cell(r, "note", v1));
        assertEquals("\\N", cell(r, "note", v2), "a literal backslash-N is text, not NULL");
      }
    }
  }

  private static List<Integer> toInts(byte[] bytes) {
    List<Integer> out = new ArrayList<>();
    for (byte x : bytes) {
      out.add(x & 0xff);
    }
    return out;
  }

  @Test
  void structColumnsAreRejectedWithoutAutoCast() {
    PostgresMetadataStore s = store(PostgresStoreConfig.of(url).withAutoCastStructForJsonb(false));
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = batch(
            allocator,
            row(
                "video_id",
                "v1",
                "extra",
                pbf("k", "v"),
                "metaxy_provenance_by_field",
                pbf("audio", "a", "frames", "f")))) {
      RuntimeException e = assertThrows(RuntimeException.class, () -> s.write(VIDEO, b));
      assertTrue(
          e.getMessage().contains("'extra'")
              && e.getMessage().contains("auto_cast_struct_for_jsonb"),
          e.getMessage());
      assertFalse(s.hasFeature(VIDEO), "the failed first write created no table");
    }
  }

  @Test
  void aLostConnectionFailsOneCallAndTheNextReconnects() throws Exception {
    String app = "metaxy-reconnect-" + schemaOf(url);
    PostgresMetadataStore s = store(PostgresStoreConfig.of(url + "&ApplicationName=" + app));
    try (var scope = s.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot b = batch(
          allocator,
          row("video_id", "v1", "metaxy_provenance_by_field", pbf("audio", "a", "frames", "f")))) {
        s.write(VIDEO, b);
      }
      // The server ends the store's session (as a restart or a killed backend process would).
      assertEquals(
          List.of("true"),
          sql(
              "SELECT bool_and(pg_terminate_backend(pid))::text FROM pg_stat_activity WHERE application_name = '"
                  + app + "'"));
      try (VectorSchemaRoot b = batch(
          allocator,
          row("video_id", "v2", "metaxy_provenance_by_field", pbf("audio", "a", "frames", "f")))) {
        MetadataStoreException e =
            assertThrows(MetadataStoreException.class, () -> s.write(VIDEO, b));
        assertTrue(e.getMessage().contains("video__raw"), e.getMessage());
        s.write(VIDEO, b); // the same batch again, on a new connection
      }
      try (VectorSchemaRoot r = s.read(VIDEO, ReadOptions.DEFAULT.sampleHistory())) {
        assertEquals(
            List.of("v1", "v2"), TestRows.sorted(r, "video_id"), "the failed call stored nothing");
      }
    }
  }

  @Test
  void failedAppendLeavesTableAsItWas() throws Exception {
    PostgresMetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot b = batch(
          allocator,
          row(
              "video_id",
              "v1",
              "size",
              10L,
              "metaxy_provenance_by_field",
              pbf("audio", "a", "frames", "f")))) {
        s.write(VIDEO, b);
      }
      // "size" is bigint in the table: the store refuses text before PostgreSQL sees it ...
      try (VectorSchemaRoot b = batch(
          allocator,
          row(
              "video_id",
              "v2",
              "size",
              "12",
              "extra",
              "x",
              "metaxy_provenance_by_field",
              pbf("audio", "a", "frames", "f")),
          row(
              "video_id",
              "v3",
              "size",
              "huge",
              "extra",
              "y",
              "metaxy_provenance_by_field",
              pbf("audio", "a", "frames", "f")))) {
        MetadataStoreException e =
            assertThrows(MetadataStoreException.class, () -> s.write(VIDEO, b));
        assertTrue(e.getMessage().contains("column 'size'"), e.getMessage());
        // ... and the backend alone, given it anyway, fails the COPY after adding the new column
        // and rolls both back (the valid first row too).
        try (StoreBackend raw =
            s.connector().connect(new ConnectRequest(false, null, false, s.allocator()))) {
          MetadataStoreException r =
              assertThrows(MetadataStoreException.class, () -> raw.append("video__raw", b));
          assertTrue(
              r.getMessage().contains("video__raw") && r.getMessage().contains("size"),
              r.getMessage());
        }
      }
      try (VectorSchemaRoot r = s.read(VIDEO, ReadOptions.DEFAULT.sampleHistory())) {
        assertEquals(
            1, r.getRowCount(), "the valid first row of the failed batch was rolled back too");
        assertNull(r.getVector("extra"), "the ALTER TABLE of the failed write was rolled back");
      }
    }
  }

  @Test
  void batchedInsertStoresTheSameRowsAsCopy() throws Exception {
    List<List<String>> results = new ArrayList<>();
    for (PostgresBackend.AppendMethod m : PostgresBackend.AppendMethod.values()) {
      PostgresMetadataStore s = store(
          PostgresStoreConfig.of(url).withTablePrefix(m.name().toLowerCase(Locale.ROOT) + "_"));
      s.appendMethod(m);
      try (var scope = s.open(AccessMode.WRITE);
          VectorSchemaRoot b = batch(
              allocator,
              row(
                  "video_id",
                  "v1",
                  "n",
                  1L,
                  "x",
                  1.5,
                  "ok",
                  true,
                  "t",
                  "a\tb\\c",
                  "metaxy_provenance_by_field",
                  pbf("audio", "a\"1", "frames", "f")),
              row(
                  "video_id",
                  "v2",
                  "n",
                  null,
                  "x",
                  null,
                  "ok",
                  null,
                  "t",
                  null,
                  "metaxy_provenance_by_field",
                  pbf("audio", "a2", "frames", "f")))) {
        s.write(VIDEO, b);
      }
      results.add(sql(
          "SELECT concat_ws('|', video_id, n, x, ok, t, metaxy_provenance_by_field::text, metaxy_provenance) FROM "
              + m.name().toLowerCase(Locale.ROOT) + "_video__raw ORDER BY video_id"));
    }
    assertEquals(results.get(0), results.get(1));
    assertTrue(
        results
            .get(0)
            .get(0)
            .startsWith("v1|1|1.5|t|a\tb\\c|{\"audio\": \"a\\\"1\", \"frames\": \"f\"}|"),
        results.get(0).get(0));
  }

  @Test
  void hardDeleteKeepsByFieldKeysOfOtherRows() throws Exception {
    PostgresMetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot b = batch(
          allocator,
          row("video_id", "v1", "metaxy_provenance_by_field", pbf("audio", "a1", "frames", "f1")),
          row(
              "video_id",
              "v2",
              "metaxy_provenance_by_field",
              pbf("audio", "a2", "frames", "f2")))) {
        s.write(VIDEO, b);
      }
      s.delete(VIDEO, List.of(RowFilter.eq("video_id", "v1")), DeleteOptions.HARD);
    }
    assertEquals(
        List.of("v2 {\"audio\": \"a2\", \"frames\": \"f2\"}"),
        sql("SELECT video_id || ' ' || metaxy_provenance_by_field::text FROM video__raw"));
  }

  @Test
  void concurrentFirstWritesWithNewColumnsAllSucceed() throws Exception {
    int writers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        String id = "v" + w;
        String column = "col_" + w;
        done.add(pool.submit(() -> {
          PostgresMetadataStore s = store();
          go.await();
          // Each writer creates the table if missing and adds its own column: the DDL races.
          try (var scope = s.open(AccessMode.WRITE);
              VectorSchemaRoot b = batch(
                  allocator,
                  row(
                      "video_id",
                      id,
                      column,
                      "x",
                      "metaxy_provenance_by_field",
                      pbf("audio", "a", "frames", "f")))) {
            s.write(VIDEO, b);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    PostgresMetadataStore s = store();
    try (var scope = s.open(AccessMode.READ);
        VectorSchemaRoot r = s.read(VIDEO)) {
      assertEquals(writers, r.getRowCount());
      for (int w = 0; w < writers; w++) {
        assertEquals("x", cell(r, "col_" + w, rowOf(r, "video_id", "v" + w)));
      }
    }
  }

  @Test
  void filtersGiveTheSameRowsAsTheInMemoryStore() {
    List<String> filters = List.of(
        "size > 10",
        "size > 10 AND video_id != 'v3'",
        "video_id IN ('v1', 'v4')",
        "size IS NULL",
        "NOT (size < 20) OR note = 'x'",
        "metaxy_updated_at > '2000-01-01'",
        "metaxy_created_at < '2000-01-01T00:00:00Z'",
        "note = 'tab\there'",
        "size = 'abc'");
    PostgresMetadataStore pg = store();
    InMemoryMetadataStore mem =
        new InMemoryMetadataStore(StoreOptions.of(graph()).allocator(allocator));
    try (var a = pg.open(AccessMode.WRITE);
        var b = mem.open(AccessMode.WRITE)) {
      for (MetadataStore s : List.of(pg, mem)) {
        try (VectorSchemaRoot rows = batch(
            allocator,
            row(
                "video_id",
                "v1",
                "size",
                5L,
                "note",
                "x",
                "metaxy_provenance_by_field",
                pbf("audio", "a", "frames", "f")),
            row(
                "video_id",
                "v2",
                "size",
                15L,
                "note",
                "tab\there",
                "metaxy_provenance_by_field",
                pbf("audio", "a", "frames", "f")),
            row(
                "video_id",
                "v3",
                "size",
                25L,
                "note",
                null,
                "metaxy_provenance_by_field",
                pbf("audio", "a", "frames", "f")),
            row(
                "video_id",
                "v4",
                "size",
                null,
                "note",
                "y",
                "metaxy_provenance_by_field",
                pbf("audio", "a", "frames", "f")))) {
          s.write(VIDEO, rows);
        }
      }
      for (String f : filters) {
        List<Object> expected = null;
        String expectedError = null;
        try (VectorSchemaRoot r = mem.read(VIDEO, ReadOptions.DEFAULT.filters(RowFilter.sql(f)))) {
          expected = TestRows.sorted(r, "video_id").stream()
              .map(Object::toString)
              .map(x -> (Object) x)
              .toList();
        } catch (RuntimeException e) {
          expectedError = e.getClass().getSimpleName();
        }
        if (expectedError != null) {
          String error = expectedError;
          RuntimeException e = assertThrows(
              RuntimeException.class,
              () ->
                  pg.read(VIDEO, ReadOptions.DEFAULT.filters(RowFilter.sql(f))).close(),
              f);
          assertEquals(error, e.getClass().getSimpleName(), f + ": " + e.getMessage());
          continue;
        }
        try (VectorSchemaRoot r = pg.read(VIDEO, ReadOptions.DEFAULT.filters(RowFilter.sql(f)))) {
          assertEquals(
              expected,
              TestRows.sorted(r, "video_id").stream()
                  .map(Object::toString)
                  .map(x -> (Object) x)
                  .toList(),
              f);
        }
      }
    } finally {
      mem.clear(); // the in-memory store keeps its batches in our allocator
    }
  }

  @Test
  void concurrentReadersSeeCommittedRowsAreReusedAndCloseWithTheirBackend() throws Exception {
    PostgresMetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = video("v1", "a")) {
      s.write(VIDEO, b);
    }
    StoreBackend main = s.connector().connect(new ConnectRequest(true, null, false, s.allocator()));
    StoreBackend reader;
    try {
      reader = main.concurrentReader();
      assertTrue(reader.hasTable("video__raw"));
      try (VectorSchemaRoot rows = reader.scan(
          new ScanRequest(
              "video__raw",
              null,
              List.of("video_id"),
              Map.of("metaxy_provenance_by_field", List.of("audio", "frames"))),
          allocator)) {
        assertEquals(1, rows.getRowCount());
      }
      reader.close();
      assertTrue(reader == main.concurrentReader(), "a closed reader is handed out again");
      StoreBackend second = main.concurrentReader();
      assertFalse(second == reader, "a reader in use is not handed out twice");
      second.close();
      reader.close();
    } finally {
      main.close();
    }
    // Closing the backend closed the idle reader's connection.
    assertThrows(MetadataStoreException.class, () -> reader.hasTable("video__raw"));
  }

  @Test
  void tableNamesLongerThanPostgresAllowsAreRefused() {
    PostgresMetadataStore s = store(PostgresStoreConfig.of(url).withTablePrefix("p".repeat(60)));
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = video("v1", "a")) {
      MetadataStoreException e =
          assertThrows(MetadataStoreException.class, () -> s.write(VIDEO, b));
      assertTrue(
          e.getMessage().contains("limited to 63 bytes") && e.getMessage().contains("video__raw"),
          e.getMessage());
    }
  }

  @Test
  void unreachableServerIsAClearErrorWithoutThePassword() {
    PostgresMetadataStore s =
        store(PostgresStoreConfig.of("postgresql://bob:s3cret@127.0.0.1:1/nowhere"));
    StoreUnavailableException e =
        assertThrows(StoreUnavailableException.class, () -> s.open(AccessMode.READ));
    assertTrue(e.getMessage().contains("jdbc:postgresql://127.0.0.1:1/nowhere"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    assertFalse(s.isOpen());
  }

  @Test
  void missingSchemaIsAClearError() {
    PostgresMetadataStore s =
        store(PostgresStoreConfig.of(PostgresServer.url() + "&currentSchema=no_such_schema"));
    StoreUnavailableException e =
        assertThrows(StoreUnavailableException.class, () -> s.open(AccessMode.READ));
    assertTrue(e.getMessage().contains("no current schema"), e.getMessage());
  }

  @Test
  void schemaOfUrlIsUsed() throws Exception {
    PostgresMetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = video("v1", "a")) {
      s.write(VIDEO, b);
      assertTrue(s.display().contains("currentSchema=" + schemaOf(url)), s.display());
    }
    assertEquals(
        List.of(schemaOf(url)),
        sql("SELECT table_schema FROM information_schema.tables WHERE table_name = 'video__raw'"));
  }
}
