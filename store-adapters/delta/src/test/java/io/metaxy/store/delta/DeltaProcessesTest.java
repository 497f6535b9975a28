package io.metaxy.store.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.store.TestRows;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writer processes on one Delta table: two processes appending at once lose nothing, and one killed
 * (SIGKILL) in the middle of its appends leaves the table readable with every batch it committed.
 */
class DeltaProcessesTest {
  @TempDir
  Path tmp;

  private static Process start(Path root, String name, int count) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            DeltaAppender.class.getName(),
            root.toString(),
            name,
            Integer.toString(count))
        .redirectError(root.resolve(name + ".err").toFile())
        .start();
  }

  /** Counts the child's "committed" lines on a thread; returns the counter. */
  private static AtomicInteger follow(Process p) {
    AtomicInteger committed = new AtomicInteger();
    Thread t = new Thread(() -> {
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("committed ")) {
            committed.set(Integer.parseInt(line.substring("committed ".length())));
          }
        }
      } catch (Exception e) {
        // the process was killed
      }
    });
    t.setDaemon(true);
    t.start();
    return committed;
  }

  private static String stderr(Path root, String name) {
    try {
      return Files.readString(root.resolve(name + ".err"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void concurrentProcessesLoseNothingAndAKilledOneLeavesItsCommittedBatches() throws Exception {
    int count = 12;
    Process steady = start(tmp, "steady", count);
    Process doomed = start(tmp, "doomed", 1000);
    AtomicInteger steadyDone = follow(steady);
    AtomicInteger doomedDone = follow(doomed);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (doomedDone.get() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      if (doomedDone.get() < 4) {
        // A writer that died is a failure; one still running but slow (CI once saw no 4 commits in
        // 120 s, never reproduced alone) only means this run cannot test the kill: skipped, with
        // why.
        assertTrue(
            doomed.isAlive(),
            () -> "the doomed writer died before 4 commits; its stderr:\n" + stderr(tmp, "doomed"));
        Assumptions.assumeTrue(
            false,
            "the doomed writer committed only " + doomedDone.get() + " batches in 120 s (steady: "
                + steadyDone.get() + "); its stderr:\n" + stderr(tmp, "doomed"));
      }
      doomed.destroyForcibly(); // SIGKILL, wherever it is: writing Parquet, committing, or between
      doomed.waitFor();
      assertTrue(steady.waitFor(120, TimeUnit.SECONDS), "the steady writer did not finish");
      assertEquals(
          0, steady.exitValue(), () -> "steady writer's stderr:\n" + stderr(tmp, "steady"));
      assertEquals(count, steadyDone.get());
    } finally {
      steady.destroyForcibly();
      doomed.destroyForcibly();
    }
    int printed = doomedDone.get();
    DeltaConnector connector =
        new DeltaConnector(tmp.toString(), DeltaConnector.Layout.NESTED, Map.of());
    try (BufferAllocator allocator = new RootAllocator();
        StoreBackend b = connector.connect(new ConnectRequest(true, null, false, allocator));
        VectorSchemaRoot r = b.scan(new ScanRequest("t", null, null, Map.of()), allocator)) {
      List<String> ids = TestRows.sorted(r, "id");
      assertEquals(ids.size(), new HashSet<>(ids).size(), "a row was stored twice");
      long steadyRows = ids.stream().filter(i -> i.startsWith("steady-")).count();
      long doomedRows = ids.stream().filter(i -> i.startsWith("doomed-")).count();
      assertEquals((long) count * DeltaAppender.ROWS, steadyRows);
      // Every batch it reported is there, whole; at most one more (committed before it could
      // print).
      assertEquals(0, doomedRows % DeltaAppender.ROWS, "a half batch is visible");
      long batches = doomedRows / DeltaAppender.ROWS;
      assertTrue(batches == printed || batches == printed + 1, batches + " vs " + printed);
    }
  }
}
