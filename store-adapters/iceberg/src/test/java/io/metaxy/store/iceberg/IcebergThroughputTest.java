package io.metaxy.store.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import io.metaxy.store.support.ArrowBatches;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rough append and deduplicating-scan figures on a local warehouse; runs only with {@code
 * -Dmetaxy.iceberg.rows=N} (e.g. 1000000), so the normal build stays fast.
 */
class IcebergThroughputTest {
  @TempDir
  Path dir;

  @Test
  void appendAndScan() {
    int n = Integer.getInteger("metaxy.iceberg.rows", 0);
    Assumptions.assumeTrue(n > 0, "set -Dmetaxy.iceberg.rows=N to run");
    IcebergConnector c =
        new IcebergConnector(dir.resolve("wh").toString(), "metaxy", "metaxy", null, true);
    try (BufferAllocator a = new RootAllocator();
        StoreBackend b = c.connect(new ConnectRequest(false, "bench", false, a))) {
      List<String> ids = new ArrayList<>(n);
      List<String> versions = new ArrayList<>(n);
      List<Long> times = new ArrayList<>(n);
      List<Map<String, String>> pbf = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ids.add("sample-" + i);
        versions.add("v1");
        times.add(1_700_000_000_000_000L + i);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("audio", Integer.toHexString(i * 31));
        m.put("frames", Integer.toHexString(i * 17));
        pbf.add(m);
      }
      List<FieldVector> vs = new ArrayList<>();
      vs.add(ArrowBatches.strings("sample_uid", ids, a));
      vs.add(ArrowBatches.byFieldStruct(
          "metaxy_provenance_by_field", List.of("audio", "frames"), pbf, a));
      vs.add(ArrowBatches.strings("metaxy_feature_version", versions, a));
      vs.add(ArrowBatches.timestamps("metaxy_updated_at", new ArrayList<>(times), a));
      try (VectorSchemaRoot batch = ArrowBatches.of(vs, n)) {
        long t0 = System.nanoTime();
        b.append("bench", batch);
        long t1 = System.nanoTime();
        try (VectorSchemaRoot r =
            b.scan(new ScanRequest("bench", "v1", List.of("sample_uid"), Map.of()), a)) {
          long t2 = System.nanoTime();
          assertEquals(n, r.getRowCount());
          System.out.printf(
              "iceberg local: %d rows, append %.2f s (%.0f rows/s), dedup scan %.2f s (%.0f rows/s)%n",
              n, (t1 - t0) / 1e9, n / ((t1 - t0) / 1e9), (t2 - t1) / 1e9, n / ((t2 - t1) / 1e9));
        }
      }
    }
  }
}
