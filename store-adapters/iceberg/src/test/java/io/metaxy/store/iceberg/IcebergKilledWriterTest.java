package io.metaxy.store.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import io.metaxy.store.support.ArrowBatches;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process killed (SIGKILL) while it appends leaves the table readable with every batch it
 * reported committed, and no part of a batch: each append is one Iceberg commit.
 */
class IcebergKilledWriterTest {
  static final int BATCH = 200;

  @TempDir
  Path dir;

  /** The child: appends batch after batch to table {@code t}, printing each committed batch number. */
  public static void main(String[] args) {
    IcebergConnector c = new IcebergConnector(args[0], "metaxy", "metaxy", null, true);
    try (BufferAllocator a = new RootAllocator();
        StoreBackend b = c.connect(new ConnectRequest(false, "child", false, a))) {
      for (int i = 0; ; i++) {
        List<String> ids = new ArrayList<>();
        for (int r = 0; r < BATCH; r++) {
          ids.add(i + "-" + r);
        }
        try (VectorSchemaRoot rows =
            ArrowBatches.of(List.of(ArrowBatches.strings("sample_uid", ids, a)), BATCH)) {
          b.append("t", rows);
        }
        System.out.println("committed " + i);
        System.out.flush();
      }
    }
  }

  @Test
  void everyReportedBatchSurvivesAKill() throws Exception {
    String warehouse = dir.resolve("wh").toString();
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(
            java,
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            IcebergKilledWriterTest.class.getName(),
            warehouse)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    int reported = -1;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("committed ")) {
          reported = Integer.parseInt(line.substring("committed ".length()));
          if (reported == 5) {
            break; // kill it while it writes the next batch
          }
        }
      }
      p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
      p.waitFor();
    }
    assertEquals(5, reported, "the child reported its commits");
    IcebergConnector c = new IcebergConnector(warehouse, "metaxy", "metaxy", null, true);
    try (BufferAllocator a = new RootAllocator();
        StoreBackend b = c.connect(new ConnectRequest(true, "parent", false, a));
        VectorSchemaRoot r = b.scan(new ScanRequest("t", null, null, Map.of()), a)) {
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < r.getRowCount(); i++) {
        ids.add(String.valueOf(ArrowBatches.value(r.getVector("sample_uid"), i)));
      }
      assertEquals(r.getRowCount(), ids.size(), "no row twice");
      assertEquals(0, r.getRowCount() % BATCH, "whole batches only: " + r.getRowCount());
      for (int i = 0; i <= reported; i++) {
        for (int row = 0; row < BATCH; row++) {
          assertTrue(ids.contains(i + "-" + row), "batch " + i + " row " + row);
        }
      }
      // And the table takes new appends after the crash.
      try (StoreBackend w = c.connect(new ConnectRequest(false, "after", false, a));
          VectorSchemaRoot more = ArrowBatches.of(
              List.of(ArrowBatches.strings("sample_uid", List.of("after"), a)), 1)) {
        w.append("t", more);
        try (VectorSchemaRoot again = w.scan(new ScanRequest("t", null, null, Map.of()), a)) {
          assertEquals(r.getRowCount() + 1, again.getRowCount());
        }
      }
    }
  }
}
