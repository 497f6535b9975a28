package io.metaxy.store.duckdb;

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
import io.metaxy.store.FeatureNotFoundException;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStoreException;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.TestGraphs;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB-specific behaviour: file layout, reference-written tables, locking, atomic appends. */
class DuckDbMetadataStoreTest {
  private static final FeatureKey VIDEO = FeatureKey.of("video/raw");
  private static final FeatureKey CLIP = FeatureKey.of("video/clip");

  private final BufferAllocator allocator = new RootAllocator();

  @TempDir
  Path tmp;

  @AfterEach
  void close() {
    allocator.close();
  }

  private static FeatureGraph graph() {
    return TestGraphs.videoClip();
  }

  private DuckDbMetadataStore store(String db) {
    return new DuckDbMetadataStore(StoreOptions.of(graph()).allocator(allocator), db);
  }

  private List<String> sql(String db, String query) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void tableNamesAndByFieldStructs() throws Exception {
    String db = tmp.resolve("m.duckdb").toString();
    DuckDbMetadataStore s = store(db);
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = batch(
            allocator,
            row(
                "video_id",
                "v1",
                "metaxy_provenance_by_field",
                pbf("audio", "a", "frames", "f")))) {
      s.write(VIDEO, b);
    }
    assertEquals(
        List.of("video__raw"), sql(db, "SELECT table_name FROM information_schema.tables"));
    assertEquals(
        List.of("STRUCT(audio VARCHAR, frames VARCHAR)"),
        sql(
            db,
            "SELECT data_type FROM information_schema.columns WHERE column_name = 'metaxy_provenance_by_field'"));
    assertEquals(
        List.of("TIMESTAMP WITH TIME ZONE"),
        sql(
            db,
            "SELECT data_type FROM information_schema.columns WHERE column_name = 'metaxy_updated_at'"));
  }

  @Test
  void readsStructByFieldTablesWrittenByTheReference() throws Exception {
    String db = tmp.resolve("ref.duckdb").toString();
    DuckDbMetadataStore s = store(db);
    String fv = s.featureVersion(VIDEO);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement st = c.createStatement()) {
      // The layout the Python reference writes: STRUCT by-field columns, tz-aware timestamps.
      st.execute("CREATE TABLE video__raw (video_id VARCHAR, "
          + "metaxy_provenance_by_field STRUCT(audio VARCHAR, frames VARCHAR), metaxy_provenance VARCHAR, "
          + "metaxy_feature_version VARCHAR, metaxy_project_version VARCHAR, "
          + "metaxy_data_version_by_field STRUCT(audio VARCHAR, frames VARCHAR), metaxy_data_version VARCHAR, "
          + "metaxy_created_at TIMESTAMPTZ, metaxy_updated_at TIMESTAMPTZ, metaxy_deleted_at TIMESTAMPTZ, "
          + "metaxy_materialization_id VARCHAR)");
      st.execute("INSERT INTO video__raw VALUES "
          + "('v1', {'audio': 'a1', 'frames': 'f1'}, 'p1', '" + fv
          + "', 'pv', {'audio': 'a1', 'frames': 'f1'}, 'p1', "
          + "'2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', NULL, NULL), "
          + "('v1', {'audio': 'a1b', 'frames': 'f1'}, 'p1b', '" + fv
          + "', 'pv', {'audio': 'a1b', 'frames': 'f1'}, 'p1b', "
          + "'2024-01-01 00:00:00+00', '2024-01-02 00:00:00+00', NULL, NULL), "
          + "('v2', {'audio': 'a2', 'frames': 'f2'}, 'p2', '" + fv
          + "', 'pv', {'audio': 'a2', 'frames': 'f2'}, 'p2', "
          + "'2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', NULL, NULL)");
    }
    try (var scope = s.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot r = s.read(VIDEO)) {
        assertEquals(2, r.getRowCount());
        int v1 = rowOf(r, "video_id", "v1");
        assertEquals(
            Map.of("audio", "a1b", "frames", "f1"), cell(r, "metaxy_provenance_by_field", v1));
        assertEquals("p1b", cell(r, "metaxy_provenance", v1));
      }
      // Appending to a reference table keeps its STRUCT layout readable and writable.
      try (VectorSchemaRoot b = batch(
          allocator,
          row(
              "video_id",
              "v3",
              "metaxy_provenance_by_field",
              pbf("audio", "a3", "frames", "f3")))) {
        s.write(VIDEO, b);
      }
      try (Increment inc = s.resolveUpdate(CLIP)) {
        assertEquals(3, inc.newSamples().getRowCount());
      }
    }
  }

  @Test
  void memoryDatabaseLivesOnlyWhileOpen() {
    DuckDbMetadataStore s = store(DuckDbMetadataStore.MEMORY);
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = batch(
            allocator,
            row(
                "video_id",
                "v1",
                "metaxy_provenance_by_field",
                pbf("audio", "a", "frames", "f")))) {
      s.write(VIDEO, b);
      assertTrue(s.hasFeature(VIDEO));
    }
    try (var scope = s.open(AccessMode.READ)) {
      assertFalse(s.hasFeature(VIDEO));
      assertThrows(FeatureNotFoundException.class, () -> s.read(VIDEO));
    }
  }

  @Test
  void failedAppendLeavesTableAsItWas() throws Exception {
    String db = tmp.resolve("atomic.duckdb").toString();
    DuckDbMetadataStore s = store(db);
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
      // "size" is BIGINT in the table: the store refuses text before DuckDB sees it ...
      try (VectorSchemaRoot b = batch(
          allocator,
          row(
              "video_id",
              "v2",
              "size",
              "big",
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
        // ... and the backend alone, given it anyway, fails the INSERT after adding the new column
        // and rolls both back.
        try (StoreBackend raw =
            s.connector().connect(new ConnectRequest(false, null, false, s.allocator()))) {
          MetadataStoreException r =
              assertThrows(MetadataStoreException.class, () -> raw.append("video__raw", b));
          assertTrue(r.getMessage().contains("video__raw"), r.getMessage());
        }
      }
      try (VectorSchemaRoot r = s.read(VIDEO, ReadOptions.DEFAULT.sampleHistory())) {
        assertEquals(1, r.getRowCount());
        assertNull(r.getVector("extra"), "the ALTER TABLE of the failed write was rolled back");
      }
    }
  }

  @Test
  void readModeOpensExistingFileReadOnly() {
    String db = tmp.resolve("ro.duckdb").toString();
    DuckDbMetadataStore s = store(db);
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = batch(
            allocator,
            row(
                "video_id",
                "v1",
                "metaxy_provenance_by_field",
                pbf("audio", "a", "frames", "f")))) {
      s.write(VIDEO, b);
    }
    try (var scope = s.open(AccessMode.READ);
        var inner = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = batch(
            allocator,
            row(
                "video_id",
                "v2",
                "metaxy_provenance_by_field",
                pbf("audio", "a", "frames", "f")))) {
      StoreUnavailableException e =
          assertThrows(StoreUnavailableException.class, () -> s.write(VIDEO, b));
      assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    }
  }

  @Test
  void readingAMissingFileFailsAndCreatesNothingOnlyWriteCreatesIt() {
    Path file = tmp.resolve("typo/data/missing.duckdb");
    DuckDbMetadataStore s = new DuckDbMetadataStore(
        StoreOptions.of(graph()).name("dev").allocator(allocator), file.toString());
    StoreUnavailableException e =
        assertThrows(StoreUnavailableException.class, () -> s.open(AccessMode.READ));
    assertEquals(
        "DuckDB database file " + file.toAbsolutePath()
            + " of store 'dev' does not exist. Opening a store for"
            + " READ never creates it: check the path (the store's 'database' setting), or open the store for WRITE (e.g."
            + " write to it first), which creates it.",
        e.getMessage());
    assertFalse(s.isOpen());
    assertFalse(
        Files.exists(tmp.resolve("typo")), "READ created neither the file nor its directories");

    try (var scope = s.open(AccessMode.WRITE)) {
      writeVideo(s, "v1");
    }
    assertTrue(Files.isRegularFile(file));
    try (var scope = s.open(AccessMode.READ);
        VectorSchemaRoot rows = s.read(VIDEO)) {
      assertEquals(1, rows.getRowCount());
    }
  }

  private void writeVideo(DuckDbMetadataStore s, String id) {
    try (VectorSchemaRoot b = batch(
        allocator,
        row("video_id", id, "metaxy_provenance_by_field", pbf("audio", "a", "frames", "f")))) {
      s.write(VIDEO, b);
    }
  }

  @Test
  void storesOfOneProcessShareTheFileAReaderJoiningAWriter() {
    String db = tmp.resolve("shared.duckdb").toString();
    DuckDbMetadataStore writer = store(db);
    DuckDbMetadataStore reader = store(db);
    try (var w = writer.open(AccessMode.WRITE)) {
      writeVideo(writer, "v1");
      // DuckDB refuses a read-only connection to a file this process holds read-write; the READ
      // store joins the writer's database instead and sees its committed rows.
      try (var r = reader.open(AccessMode.READ);
          VectorSchemaRoot rows = reader.read(VIDEO)) {
        assertEquals(1, rows.getRowCount());
      }
      writeVideo(writer, "v2");
      try (var r = reader.open(AccessMode.READ);
          VectorSchemaRoot rows = reader.read(VIDEO)) {
        assertEquals(2, rows.getRowCount());
      }
    }
  }

  @Test
  void storesOfOneProcessWithClashingSettingsGetAClearError() {
    String db = tmp.resolve("clash.duckdb").toString();
    DuckDbMetadataStore first = store(db);
    try (var w = first.open(AccessMode.WRITE)) {
      writeVideo(first, "v1");
    }
    DuckDbMetadataStore other = new DuckDbMetadataStore(
        StoreOptions.of(graph()).allocator(allocator), db, Map.of("memory_limit", "300MB"));
    // A read-only open first: a writer of the same process cannot join it, whatever its settings.
    for (DuckDbMetadataStore second : List.of(store(db), other)) {
      try (var r = first.open(AccessMode.READ)) {
        StoreUnavailableException e =
            assertThrows(StoreUnavailableException.class, () -> second.open(AccessMode.WRITE));
        assertTrue(
            e.getMessage()
                .contains(Path.of(db).toAbsolutePath() + " is already open in this process"),
            e.getMessage());
        assertFalse(second.isOpen());
      }
    }
    try (var w = first.open(AccessMode.WRITE)) {
      StoreUnavailableException e =
          assertThrows(StoreUnavailableException.class, () -> other.open(AccessMode.READ));
      assertTrue(e.getMessage().contains("[memory_limit]"), e.getMessage());
    }
  }

  @Test
  void secondWriterProcessGetsAClearError() throws Exception {
    String db = tmp.resolve("locked.duckdb").toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(
            java,
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            LockHolder.class.getName(),
            db)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("ready")) {
        // skip anything the child logs before it holds the lock
      }
      assertEquals("ready", line);
      DuckDbMetadataStore s = store(db);
      StoreUnavailableException e =
          assertThrows(StoreUnavailableException.class, () -> s.open(AccessMode.WRITE));
      assertTrue(e.getMessage().contains(Path.of(db).toAbsolutePath().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("locked by another process"), e.getMessage());
      assertFalse(s.isOpen());
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
  }
}
