package io.metaxy.store.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.delta.kernel.defaults.internal.logstore.LogStoreProvider;
import io.delta.storage.LogStore;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log store of local tables: of concurrent writers of one commit version exactly one succeeds and
 * its content is what the file holds. (Kernel's default, {@code HDFSLogStore}, fails this test: it
 * lets several writers of one version return, the last rename winning.)
 */
class LinkLogStoreTest {
  private static final Configuration CONF = DeltaConnector.localConf();

  @TempDir
  Path tmp;

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  private static Iterator<String> lines(String... lines) {
    return List.of(lines).iterator();
  }

  @Test
  void theStoresEngineUsesItForLocalPaths() {
    LogStore store = LogStoreProvider.getLogStore(CONF, "file");
    assertInstanceOf(LinkLogStore.class, store);
  }

  @Test
  void exactlyOneOfConcurrentWritersOfAVersionWins() throws Exception {
    LinkLogStore store = new LinkLogStore(CONF);
    Path log = Files.createDirectories(tmp.resolve("t.delta/_delta_log"));
    int writers = 6;
    int versions = 150;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int v = 0; v < versions; v++) {
        Path file = log.resolve(String.format("%020d.json", v));
        CyclicBarrier start = new CyclicBarrier(writers);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          String content = "{\"writer\":" + w + "}";
          results.add(pool.submit(() -> {
            start.await();
            try {
              store.write(hadoop(file), lines(content, "{\"commitInfo\":{}}"), false, CONF);
              return true;
            } catch (FileAlreadyExistsException e) {
              return false;
            }
          }));
        }
        int winner = -1;
        int wins = 0;
        for (int w = 0; w < writers; w++) {
          if (results.get(w).get()) {
            wins++;
            winner = w;
          }
        }
        assertEquals(1, wins, "writers that returned for version " + v);
        assertEquals(
            List.of("{\"writer\":" + winner + "}", "{\"commitInfo\":{}}"),
            Files.readAllLines(file),
            "version " + v + " holds the winner's commit");
      }
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> files = Files.list(log)) {
      assertEquals(versions, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void overwriteReplacesAndAnExistingVersionIsRefused() throws Exception {
    LinkLogStore store = new LinkLogStore(CONF);
    Path file = tmp.resolve("_delta_log/_last_checkpoint");
    store.write(hadoop(file), lines("a"), true, CONF);
    store.write(hadoop(file), lines("b"), true, CONF);
    assertEquals(List.of("b"), Files.readAllLines(file));
    assertThrows(
        FileAlreadyExistsException.class, () -> store.write(hadoop(file), lines("c"), false, CONF));
    assertEquals(List.of("b"), Files.readAllLines(file));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(1, files.count());
    }
  }
}
