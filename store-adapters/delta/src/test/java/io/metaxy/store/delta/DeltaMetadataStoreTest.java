package io.metaxy.store.delta;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.cell;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static io.metaxy.store.TestRows.rowOf;
import static io.metaxy.store.TestRows.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.hadoopio.HadoopFileIO;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.SystemTables;
import io.metaxy.store.TestGraphs;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import io.metaxy.store.support.ArrowBatches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta-specific behaviour: where tables live in both layouts, the Delta schema we write, tables laid
 * out as the reference writes them, all-or-nothing multi-table appends, and concurrent writers.
 */
class DeltaMetadataStoreTest {
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

  private DeltaMetadataStore store(Path root, DeltaConnector.Layout layout) {
    return new DeltaMetadataStore(StoreOptions.of(graph()).allocator(allocator), root, layout);
  }

  private void writeVideo(DeltaMetadataStore s, String... ids) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String id : ids) {
      rows.add(row(
          "video_id",
          id,
          "metaxy_provenance_by_field",
          pbf("audio", "a" + id, "frames", "f" + id)));
    }
    try (VectorSchemaRoot b = batch(allocator, rows)) {
      s.write(VIDEO, b);
    }
  }

  private static Snapshot snapshot(Path table) {
    return TableManager.loadSnapshot(table.toString())
        .build(DefaultEngine.create(new Configuration()));
  }

  private static List<String> names(StructType s) {
    return s.fields().stream().map(StructField::getName).toList();
  }

  @Test
  void nestedLayoutPutsEachKeyPartInADirectory() {
    DeltaMetadataStore s = store(tmp, DeltaConnector.Layout.NESTED);
    try (var scope = s.open(AccessMode.WRITE)) {
      writeVideo(s, "v1");
      new SystemTables(s).pushGraphSnapshot(null, Map.of());
    }
    try (StoreBackend b = s.connector().connect(new ConnectRequest(true, null, false, allocator))) {
      assertEquals(List.of("metaxy_system__feature_versions", "video__raw"), b.listTables());
    }
    assertTrue(Files.isDirectory(tmp.resolve("video/raw.delta/_delta_log")));
    // The reference's system key is metaxy-system/feature_versions.
    assertTrue(Files.isDirectory(tmp.resolve("metaxy-system/feature_versions.delta/_delta_log")));
    // Its timestamps are wall-clock UTC (the reference's pl.Datetime("us")): Delta timestamp_ntz,
    // with the table feature Kernel enables for it.
    Snapshot system = snapshot(tmp.resolve("metaxy-system/feature_versions.delta"));
    assertEquals(
        TimestampNTZType.TIMESTAMP_NTZ, system.getSchema().get("recorded_at").getDataType());
    assertTrue(((SnapshotImpl) system).getProtocol().getWriterFeatures().contains("timestampNtz"));
  }

  @Test
  void flatLayoutJoinsKeyPartsWithDoubleUnderscores() {
    DeltaMetadataStore s = store(tmp, DeltaConnector.Layout.FLAT);
    try (var scope = s.open(AccessMode.WRITE)) {
      writeVideo(s, "v1");
    }
    assertTrue(Files.isDirectory(tmp.resolve("video__raw.delta/_delta_log")));
    assertFalse(Files.exists(tmp.resolve("video")));
  }

  @Test
  void tablesHaveTheReferencesDeltaSchema() {
    DeltaMetadataStore s = store(tmp, DeltaConnector.Layout.NESTED);
    try (var scope = s.open(AccessMode.WRITE)) {
      writeVideo(s, "v1");
    }
    Snapshot snap = snapshot(tmp.resolve("video/raw.delta"));
    StructType schema = snap.getSchema();
    assertEquals(
        List.of(
            "video_id",
            "metaxy_provenance_by_field",
            "metaxy_feature_version",
            "metaxy_project_version",
            "metaxy_provenance",
            "metaxy_created_at",
            "metaxy_updated_at",
            "metaxy_deleted_at",
            "metaxy_materialization_id",
            "metaxy_data_version_by_field",
            "metaxy_data_version"),
        names(schema));
    assertEquals("string", schema.get("video_id").getDataType().toString());
    for (String byField : List.of("metaxy_provenance_by_field", "metaxy_data_version_by_field")) {
      StructType children = (StructType) schema.get(byField).getDataType();
      assertEquals(List.of("audio", "frames"), names(children), byField);
      for (StructField c : children.fields()) {
        assertEquals(StringType.STRING, c.getDataType(), byField + "." + c.getName());
      }
    }
    for (String ts : List.of("metaxy_created_at", "metaxy_updated_at", "metaxy_deleted_at")) {
      assertEquals("timestamp", schema.get(ts).getDataType().toString(), ts);
    }
    assertEquals(List.of(), snap.getPartitionColumnNames());
  }

  /** The columns, Delta types and order the reference's delta-rs writes for VIDEO (a root feature). */
  private static StructType referenceSchema() {
    StructType byField = new StructType()
        .add("audio", StringType.STRING, true)
        .add("frames", StringType.STRING, true);
    return new StructType()
        .add("video_id", StringType.STRING, true)
        .add("metaxy_provenance_by_field", byField, true)
        .add("metaxy_feature_version", StringType.STRING, true)
        .add("metaxy_project_version", StringType.STRING, true)
        .add("metaxy_provenance", StringType.STRING, true)
        .add("metaxy_created_at", TimestampType.TIMESTAMP, true)
        .add("metaxy_updated_at", TimestampType.TIMESTAMP, true)
        .add("metaxy_deleted_at", TimestampType.TIMESTAMP, true)
        .add("metaxy_materialization_id", StringType.STRING, true)
        .add("metaxy_data_version_by_field", byField, true)
        .add("metaxy_data_version", StringType.STRING, true);
  }

  @Test
  void readsATableLaidOutAsTheReferenceWritesIt() {
    DeltaMetadataStore s = store(tmp, DeltaConnector.Layout.NESTED);
    String fv = s.featureVersion(VIDEO);
    long day = 86_400_000_000L;
    long t0 = 1_704_067_200_000_000L; // 2024-01-01T00:00:00Z
    // Fixture: one Delta commit of three rows with exactly the reference's columns, in its order.
    List<Map<String, String>> pbf = List.of(
        Map.of("audio", "a1", "frames", "f1"),
        Map.of("audio", "a1b", "frames", "f1"),
        Map.of("audio", "a2", "frames", "f2"));
    List<FieldVector> columns = List.of(
        ArrowBatches.strings("video_id", List.of("v1", "v1", "v2"), allocator),
        ArrowBatches.byFieldStruct(
            "metaxy_provenance_by_field", List.of("audio", "frames"), pbf, allocator),
        ArrowBatches.strings("metaxy_feature_version", List.of(fv, fv, fv), allocator),
        ArrowBatches.strings("metaxy_project_version", List.of("pv", "pv", "pv"), allocator),
        ArrowBatches.strings("metaxy_provenance", List.of("p1", "p1b", "p2"), allocator),
        ArrowBatches.timestamps("metaxy_created_at", List.of(t0, t0, t0), allocator),
        ArrowBatches.timestamps("metaxy_updated_at", List.of(t0, t0 + day, t0), allocator),
        ArrowBatches.timestamps("metaxy_deleted_at", Arrays.asList(null, null, null), allocator),
        ArrowBatches.strings("metaxy_materialization_id", List.of("m", "m", "m"), allocator),
        ArrowBatches.byFieldStruct(
            "metaxy_data_version_by_field", List.of("audio", "frames"), pbf, allocator),
        ArrowBatches.strings("metaxy_data_version", List.of("p1", "p1b", "p2"), allocator));
    try (VectorSchemaRoot fixture = ArrowBatches.of(new ArrayList<>(columns), 3);
        StoreBackend b = s.connector().connect(new ConnectRequest(false, null, false, allocator))) {
      b.append("video__raw", fixture);
    }
    Snapshot snap = snapshot(tmp.resolve("video/raw.delta"));
    StructType expected = referenceSchema();
    assertEquals(names(expected), names(snap.getSchema()));
    for (StructField f : expected.fields()) {
      assertEquals(f.getDataType(), snap.getSchema().get(f.getName()).getDataType(), f.getName());
    }
    assertEquals(List.of(), snap.getPartitionColumnNames());

    try (var scope = s.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot r = s.read(VIDEO)) {
        assertEquals(2, r.getRowCount());
        int v1 = rowOf(r, "video_id", "v1");
        assertEquals(
            Map.of("audio", "a1b", "frames", "f1"), cell(r, "metaxy_provenance_by_field", v1));
        assertEquals(
            Map.of("audio", "a1b", "frames", "f1"), cell(r, "metaxy_data_version_by_field", v1));
        assertEquals("p1b", cell(r, "metaxy_provenance", v1));
        assertEquals("p1b", cell(r, "metaxy_data_version", v1));
        assertEquals(fv, cell(r, "metaxy_feature_version", v1));
        assertEquals("pv", cell(r, "metaxy_project_version", v1));
        assertEquals("m", cell(r, "metaxy_materialization_id", v1));
        assertEquals(t0, ArrowBatches.micros(r.getVector("metaxy_created_at"), v1));
        assertEquals(t0 + day, ArrowBatches.micros(r.getVector("metaxy_updated_at"), v1));
        assertNull(cell(r, "metaxy_deleted_at", v1));
      }
      try (VectorSchemaRoot r = s.read(VIDEO, ReadOptions.DEFAULT.sampleHistory())) {
        assertEquals(3, r.getRowCount());
      }
      // Appending to the reference's table keeps it readable; downstream resolves see every sample.
      writeVideo(s, "v3");
      try (Increment inc = s.resolveUpdate(CLIP)) {
        assertEquals(3, inc.newSamples().getRowCount());
      }
    }
    assertEquals(names(expected), names(snapshot(tmp.resolve("video/raw.delta")).getSchema()));
  }

  @Test
  void aFeatureVersionWithANewFieldWidensTheStruct() throws Exception {
    DeltaMetadataStore s = store(tmp, DeltaConnector.Layout.NESTED);
    try (var scope = s.open(AccessMode.WRITE);
        StoreBackend b = s.connector().connect(new ConnectRequest(false, null, false, allocator))) {
      try (VectorSchemaRoot one = batch(allocator, row("id", "1", "pbf", pbf("a", "x")))) {
        b.append("t", one);
      }
      try (VectorSchemaRoot two =
          batch(allocator, row("id", "2", "pbf", pbf("a", "y", "b", "z"), "extra", "e"))) {
        b.append("t", two);
      }
      Snapshot snap = snapshot(tmp.resolve("t.delta"));
      // Version 0 created the table with the first batch; version 1 is the widened schema and the
      // second batch's file together.
      assertEquals(1, snap.getVersion());
      List<String> commit =
          Files.readAllLines(tmp.resolve("t.delta/_delta_log/00000000000000000001.json"));
      assertEquals(2, commit.size(), commit.toString());
      assertTrue(commit.get(0).startsWith("{\"metaData\""), commit.get(0));
      assertTrue(commit.get(1).startsWith("{\"add\""), commit.get(1));
      StructType schema = snap.getSchema();
      assertEquals(List.of("id", "pbf", "extra"), names(schema));
      assertEquals(List.of("a", "b"), names((StructType) schema.get("pbf").getDataType()));
      try (VectorSchemaRoot r =
          b.scan(new ScanRequest("t", null, null, Map.of("pbf", List.of("b", "a"))), allocator)) {
        int two = rowOf(r, "id", "2");
        int one = rowOf(r, "id", "1");
        assertEquals(Map.of("b", "z", "a", "y"), cell(r, "pbf", two));
        assertEquals("x", ((Map<?, ?>) cell(r, "pbf", one)).get("a"));
        assertNull(((Map<?, ?>) cell(r, "pbf", one)).get("b"));
        assertNull(cell(r, "extra", one));
      }
    }
  }

  @Test
  void appendAllIsAllOrNothingAcrossTables() {
    DeltaMetadataStore s = store(tmp, DeltaConnector.Layout.NESTED);
    try (var scope = s.open(AccessMode.WRITE);
        StoreBackend b = s.connector().connect(new ConnectRequest(false, null, false, allocator))) {
      try (VectorSchemaRoot first = batch(allocator, row("id", "1", "pbf", pbf("a", "x")));
          VectorSchemaRoot clash = batch(allocator, row("id", "1", "pbf", 5L))) {
        b.append("good", first);
        b.append("bad", clash); // 'pbf' is a long column in this table
      }
      try (VectorSchemaRoot more = batch(allocator, row("id", "2", "pbf", pbf("a", "y")));
          VectorSchemaRoot wrong = batch(allocator, row("id", "2", "pbf", pbf("a", "y")))) {
        Exception e = assertThrows(
            RuntimeException.class,
            () -> b.appendAll(List.of(
                new StoreBackend.Append("good", more), new StoreBackend.Append("bad", wrong))));
        assertTrue(
            e.getMessage().contains("Delta table bad") && e.getMessage().contains("'pbf'"),
            e.getMessage());
      }
      // 'good' committed its batch before 'bad' failed; the undo removed exactly that file.
      try (VectorSchemaRoot r = b.scan(new ScanRequest("good", null, null, Map.of()), allocator)) {
        assertEquals(List.of("1"), sorted(r, "id"));
      }
    }
  }

  @Test
  void concurrentWritersOnOneTableLoseNothing() throws Exception {
    DeltaMetadataStore first = store(tmp, DeltaConnector.Layout.NESTED);
    DeltaMetadataStore second = store(tmp, DeltaConnector.Layout.NESTED);
    int threads = 3;
    int writes = 6;
    int rows = 5;
    ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
    try (var a = first.open(AccessMode.WRITE);
        var b = second.open(AccessMode.WRITE)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads * 2; t++) {
        DeltaMetadataStore s = t % 2 == 0 ? first : second;
        int thread = t;
        done.add(pool.submit(() -> {
          for (int w = 0; w < writes; w++) {
            String[] ids = new String[rows];
            for (int r = 0; r < rows; r++) {
              ids[r] = thread + "-" + w + "-" + r;
            }
            writeVideo(s, ids);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      try (VectorSchemaRoot r = first.read(VIDEO, ReadOptions.DEFAULT.sampleHistory())) {
        assertEquals(threads * 2 * writes * rows, r.getRowCount());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void mapDatatypeCreatesDeltaMapsThatStructStoresAppendTo() {
    DeltaMetadataStore maps = new DeltaMetadataStore(
        StoreOptions.of(graph()).allocator(allocator).enableMapDatatype(true), tmp);
    try (var scope = maps.open(AccessMode.WRITE)) {
      writeVideo(maps, "v1");
    }
    StructType schema = snapshot(tmp.resolve("video/raw.delta")).getSchema();
    assertEquals(
        new MapType(StringType.STRING, StringType.STRING, true),
        schema.get("metaxy_provenance_by_field").getDataType());
    // A store without the setting appends its structs to the map table as maps.
    DeltaMetadataStore structs = store(tmp, DeltaConnector.Layout.NESTED);
    try (var scope = structs.open(AccessMode.WRITE)) {
      writeVideo(structs, "v2");
      try (VectorSchemaRoot r = structs.read(VIDEO)) {
        assertEquals(
            Map.of("audio", "av2", "frames", "fv2"),
            cell(r, "metaxy_provenance_by_field", rowOf(r, "video_id", "v2")));
        assertEquals(
            Map.of("audio", "av1", "frames", "fv1"),
            cell(r, "metaxy_provenance_by_field", rowOf(r, "video_id", "v1")));
      }
    }
    assertEquals(schema, snapshot(tmp.resolve("video/raw.delta")).getSchema());
  }

  @Test
  void everyTenthCommitWritesACheckpoint() {
    DeltaMetadataStore s = store(tmp, DeltaConnector.Layout.NESTED);
    try (var scope = s.open(AccessMode.WRITE)) {
      for (int i = 0; i < 11; i++) {
        writeVideo(s, "v" + i);
      }
      try (VectorSchemaRoot r = s.read(VIDEO)) {
        assertEquals(11, r.getRowCount());
      }
    }
    // Kernel's checkpoint hook (delta.checkpointInterval = 10): snapshots start from it.
    assertTrue(Files.exists(
        tmp.resolve("video/raw.delta/_delta_log/00000000000000000010.checkpoint.parquet")));
    assertTrue(Files.exists(tmp.resolve("video/raw.delta/_delta_log/_last_checkpoint")));
  }

  @Test
  void aConcurrentReaderScansBesideItsBackendAndClosesOnlyItself() throws Exception {
    DeltaConnector conn =
        new DeltaConnector(tmp.toString(), DeltaConnector.Layout.NESTED, Map.of());
    ConnectRequest write = new ConnectRequest(false, null, false, allocator);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (StoreBackend main = conn.connect(write)) {
      try (VectorSchemaRoot a = batch(allocator, row("id", "1", "pbf", pbf("a", "x")));
          VectorSchemaRoot b = batch(
              allocator,
              row("id", "2", "pbf", pbf("a", "y")),
              row("id", "3", "pbf", pbf("a", "z")))) {
        main.append("a", a);
        main.append("b", b);
      }
      ScanRequest scanA = new ScanRequest("a", null, List.of("id"), Map.of());
      ScanRequest scanB = new ScanRequest("b", null, List.of("id"), Map.of());
      try (StoreBackend reader = main.concurrentReader()) {
        // Both scan at the same time, each on its own DuckDB connection of one engine.
        for (int round = 0; round < 5; round++) {
          Future<List<String>> other = pool.submit(() -> {
            try (VectorSchemaRoot r = reader.scan(scanB, allocator)) {
              return sorted(r, "id");
            }
          });
          try (VectorSchemaRoot r = main.scan(scanA, allocator)) {
            assertEquals(List.of("1"), sorted(r, "id"));
          }
          assertEquals(List.of("2", "3"), other.get());
        }
      }
      // Closing the reader left the backend's engine open.
      try (VectorSchemaRoot more = batch(allocator, row("id", "4", "pbf", pbf("a", "w")))) {
        main.append("a", more);
      }
      try (VectorSchemaRoot r = main.scan(scanA, allocator)) {
        assertEquals(List.of("1", "4"), sorted(r, "id"));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aConnectionsReusedSnapshotsSeeEveryOtherWritersCommit() {
    DeltaConnector conn =
        new DeltaConnector(tmp.toString(), DeltaConnector.Layout.NESTED, Map.of());
    ConnectRequest write = new ConnectRequest(false, null, false, allocator);
    ScanRequest all = new ScanRequest("t", null, List.of("id"), Map.of());
    try (StoreBackend reader = conn.connect(write);
        StoreBackend writer = conn.connect(write)) {
      assertFalse(reader.hasTable("t"));
      try (VectorSchemaRoot b = batch(allocator, row("id", "1", "pbf", pbf("a", "x")))) {
        writer.append("t", b);
      }
      assertTrue(reader.hasTable("t"));
      try (VectorSchemaRoot r = reader.scan(all, allocator)) {
        assertEquals(List.of("1"), sorted(r, "id"));
      }
      // Another connection's append: the snapshot this one holds is not reused.
      try (VectorSchemaRoot b = batch(allocator, row("id", "2", "pbf", pbf("a", "y")))) {
        writer.append("t", b);
      }
      try (VectorSchemaRoot r = reader.scan(all, allocator)) {
        assertEquals(List.of("1", "2"), sorted(r, "id"));
      }
      // A commit the store writes itself (a new column).
      try (VectorSchemaRoot b =
          batch(allocator, row("id", "3", "pbf", pbf("a", "z"), "extra", "e"))) {
        writer.append("t", b);
      }
      assertTrue(
          reader.tableSchema("t").getFields().stream().anyMatch(f -> f.getName().equals("extra")));
      // Dropped and created again up to the same version (2) the reader last saw, other rows.
      writer.dropTable("t");
      for (String id : List.of("7", "8", "9")) {
        try (VectorSchemaRoot b = batch(allocator, row("id", id, "pbf", pbf("a", id)))) {
          writer.append("t", b);
        }
      }
      try (VectorSchemaRoot r = reader.scan(all, allocator)) {
        assertEquals(List.of("7", "8", "9"), sorted(r, "id"));
      }
      writer.dropTable("t");
      assertFalse(reader.hasTable("t"));
    }
  }

  @Test
  void aHardDeleteKeepsAppendsCommittedAfterItsRead() {
    DeltaConnector conn =
        new DeltaConnector(tmp.toString(), DeltaConnector.Layout.NESTED, Map.of());
    ConnectRequest write = new ConnectRequest(false, null, false, allocator);
    try (StoreBackend deleter = conn.connect(write);
        StoreBackend other = conn.connect(write)) {
      try (VectorSchemaRoot b = batch(
          allocator, row("id", "1", "pbf", pbf("a", "x")), row("id", "2", "pbf", pbf("a", "y")))) {
        deleter.append("t", b);
      }
      // The delete reads the table, another writer appends, then the delete rewrites what it read.
      ScanRequest all = new ScanRequest("t", null, null, Map.of());
      try (VectorSchemaRoot read = deleter.scan(all, allocator)) {
        assertEquals(2, read.getRowCount());
      }
      try (VectorSchemaRoot b = batch(allocator, row("id", "3", "pbf", pbf("a", "z")))) {
        other.append("t", b);
      }
      try (VectorSchemaRoot keep = batch(allocator, row("id", "1", "pbf", pbf("a", "x")))) {
        deleter.replace("t", keep);
      }
      try (VectorSchemaRoot r = other.scan(all, allocator)) {
        assertEquals(List.of("1", "3"), sorted(r, "id"));
      }
    }
  }

  /**
   * A commit whose answer is lost after it was written (an I/O error on the way back): Kernel retries
   * at the same version, finds it taken and cannot tell by whom (CommitStateUnknownException). The
   * store looks for its own files in the table and reports the write done, once, not failed or
   * written twice.
   */
  @Test
  void aCommitWhoseAnswerWasLostIsFoundInTheTable() throws Exception {
    Configuration conf = new Configuration();
    boolean[] lost = {false};
    HadoopFileIO losing = new HadoopFileIO(conf) {
      @Override
      public OutputFile newOutputFile(String path) {
        OutputFile real = super.newOutputFile(path);
        return new OutputFile() {
          @Override
          public String path() {
            return real.path();
          }

          @Override
          public PositionOutputStream create(boolean overwrite) throws IOException {
            return real.create(overwrite);
          }

          @Override
          public void writeAtomically(CloseableIterator<String> data, boolean overwrite)
              throws IOException {
            real.writeAtomically(data, overwrite);
            if (path.endsWith("/_delta_log/00000000000000000001.json") && !lost[0]) {
              lost[0] = true;
              throw new IOException("connection reset after the commit was written");
            }
          }
        };
      }
    };
    DeltaConnector real =
        new DeltaConnector(tmp.toString(), DeltaConnector.Layout.NESTED, Map.of());
    StoreConnector connector = new StoreConnector() {
      @Override
      public StoreBackend connect(ConnectRequest request) {
        return new DeltaBackend(
            real, new TableFiles.Local(conf), DefaultEngine.create(losing), request.mapLayout());
      }

      @Override
      public String display() {
        return real.display();
      }
    };
    try (MetadataStore s =
            new MetadataStore(StoreOptions.of(graph()).allocator(allocator), connector);
        var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String id : List.of("v1", "v2")) {
        rows.add(
            row("video_id", id, "metaxy_provenance_by_field", pbf("audio", "a", "frames", "f")));
      }
      try (VectorSchemaRoot b = batch(allocator, rows)) {
        s.write(VIDEO, b); // version 0: creates the table
      }
      rows.clear();
      rows.add(
          row("video_id", "v3", "metaxy_provenance_by_field", pbf("audio", "a", "frames", "f")));
      try (VectorSchemaRoot b = batch(allocator, rows)) {
        s.write(VIDEO, b); // version 1: written, answer lost
      }
      assertTrue(lost[0], "the commit's answer was lost");
      try (VectorSchemaRoot r = s.read(VIDEO, ReadOptions.DEFAULT.sampleHistory())) {
        assertEquals(3, r.getRowCount(), "v3 stored once");
      }
      assertEquals(1, snapshot(tmp.resolve("video/raw.delta")).getVersion());
    }
  }
}
