package io.metaxy.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.config.MetaxyConfig;
import io.metaxy.testing.s3.S3Server;
import io.metaxy.versioning.HashAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lakehouse path of the benchmark at N = 1000: templates written through the Iceberg and Delta
 * stores on local disk and the Iceberg store on the loopback S3 server, resolved in place, verified.
 */
class LakehouseSmokeTest {
  private static final int N = 1000;

  @TempDir
  static Path work;

  private static S3Server s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3Server.start(BenchStore.s3Root(work));
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @Test
  void eachStoreWritesItsTemplateAndResolvesTheExpectedIncrement() {
    for (BenchStore store : List.of(BenchStore.ICEBERG, BenchStore.DELTA, BenchStore.ICEBERG_S3)) {
      for (Phase phase : Phase.values()) {
        Scenario sc = new Scenario(Shape.SIMPLE, N, phase, HashAlgorithm.XXHASH32);
        Path t = store.template(work, sc);
        Templates.Written w = Templates.prepare(sc, store, t, s3.endpoint());
        // Every template build writes the root afresh (none is copied), all N rows.
        assertEquals(N, w.rows(), sc.label() + " on " + store.label());
        assertTrue(w.seconds() > 0, w.toString());
        String prefix = t.getFileName().toString();
        if (store.s3()) {
          assertTrue(s3.objects(prefix) > 0, "no objects under " + prefix);
        }
        MetaxyConfig config = store.config(sc, t, s3.endpoint());
        try (BufferAllocator a = new RootAllocator()) {
          // measure() throws unless the counts are the expected ones and every buffer is released;
          // a second round on the same template finds the same increment (a resolve writes
          // nothing).
          assertTrue(PaperBenchmark.measure(sc, store, config, a) > 0);
          assertTrue(PaperBenchmark.measure(sc, store, config, a) > 0);
          if (phase == Phase.NEW) {
            Scenario wrong = new Scenario(Shape.SIMPLE, N, Phase.STALE, HashAlgorithm.XXHASH32);
            IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> PaperBenchmark.measure(wrong, store, config, a));
            assertTrue(
                e.getMessage().contains("returned new=" + N + " stale=0 orphaned=0")
                    && e.getMessage().contains(store.label()),
                e.getMessage());
          }
        }
        store.delete(t);
        assertFalse(Files.exists(t), t.toString());
        if (store.s3()) {
          assertEquals(0, s3.objects(prefix), prefix);
        }
      }
    }
  }

  @Test
  void aStoreThatCannotBeOpenedPrintsASkipLineWithWhy() throws Exception {
    Path file = Files.writeString(work.resolve("a-file"), "not a directory");
    Scenario sc = new Scenario(Shape.SIMPLE, N, Phase.NEW, HashAlgorithm.XXHASH32);
    Templates.CannotOpen e = assertThrows(
        Templates.CannotOpen.class,
        () -> Templates.prepare(sc, BenchStore.DELTA, file.resolve("t"), ""));
    assertTrue(e.getMessage().startsWith("delta cannot be opened: "), e.getMessage());
    // The template-building child reports it as the driver reads it, and exits normally.
    String out = stdout(() -> PaperBenchmark.main(new String[] {
      "--prepare",
      "--graphs",
      "simple",
      "--sizes",
      "1000",
      "--phases",
      "new",
      "--hash",
      "xxhash32",
      "--store",
      "delta",
      "--template",
      file.resolve("t").toString()
    }));
    assertTrue(out.startsWith(PaperBenchmark.SKIP_PREFIX + "delta cannot be opened: "), out);
    assertEquals(1, out.lines().count(), out);
  }

  @Test
  void theTemplateChildPrintsTheRootWrites() throws Exception {
    Scenario sc = new Scenario(Shape.SIMPLE, N, Phase.NEW, HashAlgorithm.XXHASH32);
    Path t = BenchStore.DELTA.template(work.resolve("child"), sc);
    Files.createDirectories(t.getParent());
    String out = stdout(() -> PaperBenchmark.main(new String[] {
      "--prepare",
      "--graphs",
      "simple",
      "--sizes",
      "1000",
      "--phases",
      "new",
      "--hash",
      "xxhash32",
      "--store",
      "delta",
      "--template",
      t.toString()
    }));
    String line = out.lines()
        .filter(l -> l.startsWith(PaperBenchmark.WRITE_PREFIX))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no write line in: " + out));
    Report.Write w = Report.Write.parse(sc, BenchStore.DELTA, line);
    assertEquals(N, w.rows());
    assertTrue(w.seconds() > 0, out);
  }

  private interface Main {
    void run() throws Exception;
  }

  private static String stdout(Main main) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void storeListsKeepTheirOrderAndRejectNonsense() {
    assertEquals(
        List.of(BenchStore.DELTA_S3, BenchStore.DUCKDB, BenchStore.ICEBERG),
        BenchStore.parseList(" delta-s3,DuckDB, iceberg,"));
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> BenchStore.parseList("iceberg,iceberg"));
    assertTrue(twice.getMessage().contains("iceberg twice"), twice.getMessage());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> BenchStore.parseList("hudi"));
    assertTrue(unknown.getMessage().contains("\"hudi\""), unknown.getMessage());
    // The DuckDB store always runs first in a lakehouse run: it is the ratios' reference.
    Variant xx = Variant.of(HashAlgorithm.XXHASH32);
    assertEquals(
        List.of(
            new PaperBenchmark.Run(Implementation.METAXY, xx, BenchStore.DUCKDB),
            new PaperBenchmark.Run(Implementation.METAXY, xx, BenchStore.DELTA),
            new PaperBenchmark.Run(Implementation.METAXY, xx, BenchStore.ICEBERG_S3)),
        PaperBenchmark.lakehousePlan(
            List.of(BenchStore.DELTA, BenchStore.DUCKDB, BenchStore.ICEBERG_S3), xx));
  }
}
