package io.metaxy.store.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.store.MetadataStoreException;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreBackend.Append;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import io.metaxy.store.support.ArrowBatches;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntervalDayVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend on a real local warehouse: concurrent writers, and all-or-nothing multi-table appends. */
class IcebergBackendTest {
  private final BufferAllocator allocator = new RootAllocator();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    allocator.close();
  }

  private IcebergConnector connector() {
    return new IcebergConnector(dir.resolve("wh").toString(), "metaxy", "metaxy", null, true);
  }

  private ConnectRequest request() {
    return new ConnectRequest(false, "test", false, allocator);
  }

  /** Rows with ids {@code from..from+n-1} and a value column. */
  private VectorSchemaRoot batch(long from, int n) {
    List<String> ids = new ArrayList<>();
    BigIntVector value = new BigIntVector("value", allocator);
    value.allocateNew(n);
    for (int i = 0; i < n; i++) {
      ids.add("id" + (from + i));
      value.set(i, from + i);
    }
    List<FieldVector> vs = new ArrayList<>();
    vs.add(ArrowBatches.strings("sample_uid", ids, allocator));
    vs.add(value);
    return ArrowBatches.of(vs, n);
  }

  private static int rows(StoreBackend b, String table, BufferAllocator allocator) {
    try (VectorSchemaRoot r = b.scan(new ScanRequest(table, null, null, Map.of()), allocator)) {
      return r.getRowCount();
    }
  }

  /** The sorted values of a string column. */
  private static List<String> sorted(VectorSchemaRoot r, String column) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < r.getRowCount(); i++) {
      out.add(String.valueOf(ArrowBatches.value(r.getVector(column), i)));
    }
    out.sort(null);
    return out;
  }

  @Test
  void aConcurrentReaderScansBesideItsBackendAndClosesOnlyItself() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (StoreBackend main = connector().connect(request())) {
      try (VectorSchemaRoot a = batch(0, 1);
          VectorSchemaRoot b = batch(10, 2)) {
        main.append("a", a);
        main.append("b", b);
      }
      ScanRequest scanA = new ScanRequest("a", null, List.of("sample_uid"), Map.of());
      ScanRequest scanB = new ScanRequest("b", null, List.of("sample_uid"), Map.of());
      try (StoreBackend reader = main.concurrentReader()) {
        assertTrue(reader != null, "the Iceberg backend offers readers");
        // Both scan at the same time, each on its own DuckDB connection of one engine.
        for (int round = 0; round < 5; round++) {
          Future<List<String>> other = pool.submit(() -> {
            try (VectorSchemaRoot r = reader.scan(scanB, allocator)) {
              return sorted(r, "sample_uid");
            }
          });
          try (VectorSchemaRoot r = main.scan(scanA, allocator)) {
            assertEquals(List.of("id0"), sorted(r, "sample_uid"));
          }
          assertEquals(List.of("id10", "id11"), other.get());
        }
      }
      // Closing the reader left the backend's engine and catalog open.
      try (VectorSchemaRoot more = batch(1, 1)) {
        main.append("a", more);
      }
      try (VectorSchemaRoot r = main.scan(scanA, allocator)) {
        assertEquals(List.of("id0", "id1"), sorted(r, "sample_uid"));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** An int16 column is stored as Iceberg int: later int16 (or int32) batches fit, values read as int32. */
  @Test
  void smallIntegersAreStoredAsIntAndTheirTypeIsNotPinned() {
    try (StoreBackend backend = connector().connect(request())) {
      for (int round = 0; round < 2; round++) {
        SmallIntVector v = new SmallIntVector("small", allocator);
        v.allocateNew(1);
        v.set(0, 7 + round);
        try (VectorSchemaRoot rows = ArrowBatches.of(List.of(v), 1)) {
          backend.append("ints", rows);
        }
      }
      assertEquals(
          ArrowType.Null.INSTANCE,
          backend.tableSchema("ints").findField("small").getType());
      try (VectorSchemaRoot r =
          backend.scan(new ScanRequest("ints", null, null, Map.of()), allocator)) {
        assertEquals(
            new ArrowType.Int(32, true), r.getVector("small").getField().getType());
        Set<Object> values = new HashSet<>();
        for (int i = 0; i < r.getRowCount(); i++) {
          values.add(ArrowBatches.value(r.getVector("small"), i));
        }
        assertEquals(Set.of(7L, 8L), values);
      }
    }
  }

  @Test
  void twoStoresAppendingFromSeveralThreadsLoseNoRow() throws Exception {
    IcebergConnector a = connector();
    IcebergConnector b = connector(); // a second store on the same warehouse and catalog
    int threads = 4;
    int batches = 6;
    int size = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        IcebergConnector c = t % 2 == 0 ? a : b;
        long base = t * 1_000_000L;
        done.add(pool.submit(() -> {
          // Every thread its own connection, as a backend is used by one thread at a time; the
          // first appends race on creating the namespace and the table too.
          try (StoreBackend backend = c.connect(request())) {
            for (int i = 0; i < batches; i++) {
              try (VectorSchemaRoot rows = batch(base + (long) i * size, size)) {
                backend.append("shared", rows);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    try (StoreBackend backend = a.connect(request());
        VectorSchemaRoot r =
            backend.scan(new ScanRequest("shared", null, null, Map.of()), allocator)) {
      assertEquals(threads * batches * size, r.getRowCount());
      Set<Object> ids = new HashSet<>();
      for (int i = 0; i < r.getRowCount(); i++) {
        ids.add(ArrowBatches.value(r.getVector("sample_uid"), i));
      }
      assertEquals(threads * batches * size, ids.size());
    }
  }

  @Test
  void aMultiTableAppendFailingAfterACommitRemovesExactlyItsRows() {
    IcebergConnector c = connector();
    try (IcebergBackend backend = (IcebergBackend) c.connect(request());
        IcebergBackend other = (IcebergBackend) c.connect(request())) {
      try (VectorSchemaRoot a0 = batch(0, 3);
          VectorSchemaRoot b0 = batch(0, 2)) {
        backend.appendAll(List.of(new Append("a", a0), new Append("b", b0)));
      }
      Set<String> filesOfA = backend.dataFiles("a");
      // Table b disappears after the call committed to a and before its commit to b.
      backend.beforeCommit = t -> {
        if (t.equals("b")) {
          other.dropTable("b");
        }
      };
      try (VectorSchemaRoot a1 = batch(10, 4);
          VectorSchemaRoot b1 = batch(10, 4)) {
        MetadataStoreException e = assertThrows(
            MetadataStoreException.class,
            () -> backend.appendAll(List.of(new Append("a", a1), new Append("b", b1))));
        assertTrue(e.getMessage().contains("metaxy.b"), e.getMessage());
        assertTrue(e.getMessage().contains("removed again"), e.getMessage());
      }
      backend.beforeCommit = t -> {};
      assertEquals(filesOfA, backend.dataFiles("a"));
      assertEquals(3, rows(backend, "a", allocator));
      // A failure before any commit (a type Iceberg cannot hold) leaves every table as it was.
      try (VectorSchemaRoot a2 = batch(20, 1);
          VectorSchemaRoot bad =
              ArrowBatches.of(List.of(new IntervalDayVector("gap", allocator)), 0)) {
        MetadataStoreException e = assertThrows(
            MetadataStoreException.class,
            () -> backend.appendAll(List.of(new Append("a", a2), new Append("c", bad))));
        assertTrue(e.getMessage().contains("\"gap\""), e.getMessage());
      }
      assertEquals(filesOfA, backend.dataFiles("a"));
    }
  }
}
