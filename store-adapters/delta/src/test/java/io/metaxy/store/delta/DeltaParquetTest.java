package io.metaxy.store.delta;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.internal.data.DefaultRowBasedColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.GenericRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import io.metaxy.store.support.ArrowBatches;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.hadoop.conf.Configuration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data files DuckDB writes for the Delta store: Kernel's own Parquet reader reads them, and a
 * table mixing them with files Kernel's writer made (as this store wrote before) reads back right.
 */
class DeltaParquetTest {
  private static final String PBF = "metaxy_provenance_by_field";
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private final BufferAllocator allocator = new RootAllocator();
  private final Engine engine = DefaultEngine.create(new Configuration());

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    allocator.close();
  }

  private DeltaConnector connector() {
    return new DeltaConnector(dir.toString(), DeltaConnector.Layout.NESTED, Map.of());
  }

  private StoreBackend backend() {
    return connector().connect(new ConnectRequest(false, null, false, allocator));
  }

  private static Map<String, Map<String, @Nullable Object>> byId(VectorSchemaRoot r) {
    Map<String, Map<String, @Nullable Object>> out = new TreeMap<>();
    for (int i = 0; i < r.getRowCount(); i++) {
      Map<String, @Nullable Object> row = new LinkedHashMap<>();
      for (FieldVector v : r.getFieldVectors()) {
        row.put(v.getName(), ArrowBatches.value(v, i));
      }
      assertNull(out.put(String.valueOf(row.get("id")), row), "one row per id");
    }
    return out;
  }

  @Test
  void kernelsParquetReaderReadsTheFilesDuckDbWrote() throws Exception {
    try (StoreBackend b = backend();
        VectorSchemaRoot batch = batch(
            allocator,
            row("id", "s1", PBF, pbf("a", "x", "b", "y"), "metaxy_updated_at", T, "n", 7L))) {
      b.append("t", batch);
    }
    Snapshot snap = TableManager.loadSnapshot(connector().tablePath("t")).build(engine);
    StructType schema = snap.getSchema();
    List<FileStatus> files = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> it =
        snap.getScanBuilder().build().getScanFiles(engine)) {
      while (it.hasNext()) {
        try (CloseableIterator<Row> rows = it.next().getRows()) {
          rows.forEachRemaining(r -> files.add(InternalScanFileUtils.getAddFileStatus(r)));
        }
      }
    }
    assertEquals(1, files.size());
    try (CloseableIterator<FileReadResult> read = engine
        .getParquetHandler()
        .readParquetFiles(Utils.toCloseableIterator(files.iterator()), schema, Optional.empty())) {
      assertTrue(read.hasNext());
      ColumnarBatch data = read.next().getData();
      assertEquals(1, data.getSize());
      assertEquals("s1", data.getColumnVector(schema.indexOf("id")).getString(0));
      var struct = data.getColumnVector(schema.indexOf(PBF));
      assertEquals("y", struct.getChild(1).getString(0));
      assertEquals(7L, data.getColumnVector(schema.indexOf("n")).getLong(0));
      assertEquals(
          T.getEpochSecond() * 1_000_000L,
          data.getColumnVector(schema.indexOf("metaxy_updated_at")).getLong(0));
    }
  }

  /**
   * A file of Kernel's writer committed between two of DuckDB's, the last widening the table: old
   * rows read nulls for the new column and struct child, and the later file wins (no timestamps, so
   * every row ties).
   */
  @Test
  void filesOfKernelsWriterAndOfDuckDbReadBackTogether() throws Exception {
    try (StoreBackend b = backend()) {
      try (VectorSchemaRoot first = batch(
          allocator,
          row("id", "s1", PBF, pbf("a", "duck1")),
          row("id", "s2", PBF, pbf("a", "duck1")))) {
        b.append("t", first);
      }
      Thread.sleep(20); // files are ordered by modification time (milliseconds)
      String path = connector().tablePath("t");
      Snapshot snap = TableManager.loadSnapshot(path).build(engine);
      StructType schema = snap.getSchema();
      StructType pbfType = (StructType) schema.at(schema.indexOf(PBF)).getDataType();
      List<Row> rows = new ArrayList<>();
      for (String id : List.of("s1", "s3")) {
        rows.add(new GenericRow(
            schema,
            Map.of(
                schema.indexOf("id"),
                id,
                schema.indexOf(PBF),
                new GenericRow(pbfType, Map.of(0, "kernel")))));
      }
      Transaction txn =
          snap.buildUpdateTableTransaction("test", Operation.WRITE).build(engine);
      Row state = txn.getTransactionState(engine);
      var ctx = Transaction.getWriteContext(engine, state, Map.of());
      List<Row> actions;
      try (CloseableIterator<FilteredColumnarBatch> physical = Transaction.transformLogicalData(
              engine,
              state,
              Utils.singletonCloseableIterator(new FilteredColumnarBatch(
                  new DefaultRowBasedColumnarBatch(schema, rows), Optional.empty())),
              Map.of());
          CloseableIterator<DataFileStatus> written = engine
              .getParquetHandler()
              .writeParquetFiles(ctx.getTargetDirectory(), physical, ctx.getStatisticsColumns());
          CloseableIterator<Row> adds =
              Transaction.generateAppendActions(engine, state, written, ctx)) {
        actions = adds.toInMemoryList();
      }
      txn.commit(
          engine,
          CloseableIterable.inMemoryIterable(Utils.toCloseableIterator(actions.iterator())));
      Thread.sleep(20);
      try (VectorSchemaRoot later = batch(
          allocator,
          row("id", "s3", PBF, pbf("a", "duck2", "b", "new"), "tag", "t"),
          row("id", "s4", PBF, pbf("a", "duck2", "b", "new"), "tag", "t"))) {
        b.append("t", later); // widens: column "tag", struct child "b"
      }
      try (VectorSchemaRoot r =
          b.scan(new ScanRequest("t", null, List.of("id"), Map.of()), allocator)) {
        Map<String, Map<String, @Nullable Object>> got = byId(r);
        assertEquals(List.of("s1", "s2", "s3", "s4"), List.copyOf(got.keySet()));
        assertEquals("kernel", ((Map<?, ?>) got.get("s1").get(PBF)).get("a"));
        assertNull(((Map<?, ?>) got.get("s1").get(PBF)).get("b"));
        assertNull(got.get("s1").get("tag"));
        assertEquals("duck1", ((Map<?, ?>) got.get("s2").get(PBF)).get("a"));
        assertEquals("duck2", ((Map<?, ?>) got.get("s3").get(PBF)).get("a"));
        assertEquals("new", ((Map<?, ?>) got.get("s3").get(PBF)).get("b"));
        assertEquals("t", got.get("s4").get("tag"));
      }
    }
  }
}
