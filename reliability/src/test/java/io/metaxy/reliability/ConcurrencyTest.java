package io.metaxy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.ResolveOptions;
import io.metaxy.store.RowFilter;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.delta.DeltaMetadataStore;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import io.metaxy.store.iceberg.IcebergMetadataStore;
import io.metaxy.store.postgres.PostgresMetadataStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Area concurrency: {@code reliability.threads} threads (default 8) write {@code reliability.rows} rows each
 * (default 100k, in 10 batches) of one feature through one store instance, opened once for writing, while
 * the feature's table does not exist yet; other threads read and resolve meanwhile. Every row must be
 * there once, nothing may throw, no read may see part of a batch. On PostgreSQL, Iceberg and Delta also
 * two processes write the same new feature at once. A hang fails the test after {@code reliability.concurrencySeconds}
 * (default 120 s per 800,000 rows) instead of hanging the build.
 */
class ConcurrencyTest {
  private static final List<String> RESULTS = new ArrayList<>();

  @TempDir
  Path dir;

  @AfterAll
  static void closingLine() {
    System.out.println("reliability concurrency: "
        + (RESULTS.isEmpty() ? "nothing ran" : String.join("; ", RESULTS)));
  }

  private static synchronized void result(String line) {
    RESULTS.add(line);
  }

  @Test
  void duckDbOneStoreManyThreads() throws Exception {
    String db = dir.resolve("concurrency.duckdb").toString();
    oneStoreManyThreads("duckdb", options -> new DuckDbMetadataStore(options, db), () -> {});
  }

  @Test
  @ExtendWith(PgCluster.class)
  void postgresOneStoreManyThreads() throws Exception {
    String application = "metaxy-concurrency";
    String url = PgCluster.freshSchema("concurrency") + "&ApplicationName=" + application;
    // Closing the server side of the store's connections unblocks threads hung in the driver.
    oneStoreManyThreads(
        "postgres",
        options -> new PostgresMetadataStore(options, url),
        () -> PgCluster.terminate(application));
  }

  private void oneStoreManyThreads(
      String name, Function<StoreOptions, MetadataStore> stores, Runnable unblock)
      throws Exception {
    oneStoreManyThreads(name, stores, unblock, Knobs.integer("rows", 100_000));
  }

  @SuppressWarnings("try") // the scope keeps the store open for every thread
  private void oneStoreManyThreads(
      String name, Function<StoreOptions, MetadataStore> stores, Runnable unblock, int rows)
      throws Exception {
    int threads = Knobs.integer("threads", 8);
    int k = Math.max(1, rows / 10);
    int batches = rows / k;
    long expected = (long) threads * batches * k;
    Duration limit = limit(expected);
    BufferAllocator allocator = new RootAllocator();
    MetadataStore store = stores.apply(StoreOptions.of(Rows.graph()).allocator(allocator));
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger resolved = new AtomicInteger();
    // A resolve over more rows than this reads the table in id ranges, with no snapshot across them
    // (store spec §9), so it may see a batch in one range and not yet in the next.
    boolean oneScan = expected <= ResolveOptions.DEFAULT_PARTITION_ROWS;
    AtomicInteger writersLeft = new AtomicInteger(threads);
    CountDownLatch firstWrite = new CountDownLatch(1);
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> workers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 2, r -> {
      Thread t = new Thread(r, name + "-worker-" + workers.size());
      t.setDaemon(true);
      workers.add(t);
      return t;
    });
    boolean hung = false;
    long census = -1;
    long started = System.nanoTime();
    try (var scope = store.open(AccessMode.WRITE)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          try {
            start.await();
            for (int j = 0; j < batches; j++) {
              try (VectorSchemaRoot batch =
                  Rows.batch(allocator, ((long) thread * batches + j) * k, k)) {
                store.write(Rows.ROOT, batch);
              }
              firstWrite.countDown();
            }
          } catch (Throwable e) {
            failures.add(e);
          } finally {
            writersLeft.decrementAndGet();
            // A writer that failed before any write must not leave the readers waiting.
            firstWrite.countDown();
          }
          return null;
        }));
      }
      for (int r = 0; r < 2; r++) {
        boolean resolves = r == 1;
        futures.add(pool.submit(() -> {
          try {
            firstWrite.await();
            // Bounded in count (a resolve reads every row written so far, so only a few); they stop
            // earlier when the writers are done.
            for (int i = 0; i < (resolves ? 5 : 500) && writersLeft.get() > 0; i++) {
              if (resolves) {
                try (Increment inc = store.resolveUpdate(Rows.DOWN)) {
                  if (oneScan && inc.newCount() % k != 0) {
                    failures.add(new AssertionError(
                        "resolveUpdate saw " + inc.newCount() + " new samples: part of a batch"));
                  }
                }
              } else {
                // One batch at a time (spread over all of them), so the reads stay cheap next to
                // the writes.
                long batch = (i * 7919L) % ((long) threads * batches);
                try (VectorSchemaRoot some = store.read(
                    Rows.ROOT,
                    ReadOptions.DEFAULT
                        .columns(Rows.ID, Rows.PAYLOAD)
                        .filters(
                            RowFilter.ge(Rows.ID, batch * k),
                            RowFilter.lt(Rows.ID, (batch + 1) * k)))) {
                  Rows.Census c = Rows.census(some, k);
                  if (!c.partial(k).isEmpty() || !c.damaged().isEmpty()) {
                    failures.add(new AssertionError("a read saw part of batch " + batch + ": "
                        + c.perBatch() + " " + c.damaged()));
                  }
                }
              }
              (resolves ? resolved : reads).incrementAndGet();
            }
          } catch (Throwable e) {
            failures.add(e);
          }
          return null;
        }));
      }
      long end = System.nanoTime() + limit.toNanos();
      for (Future<?> f : futures) {
        try {
          f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          hung = true;
          break;
        } catch (ExecutionException e) {
          failures.add(e.getCause());
        }
      }
      if (hung) {
        String stacks = stacks(workers);
        unblock.run();
        failures.add(new AssertionError(
            "threads still running after " + limit.toSeconds() + " s:\n" + stacks));
      } else if (failures.isEmpty()) {
        try (VectorSchemaRoot all = store.read(
            Rows.ROOT, ReadOptions.DEFAULT.sampleHistory().columns(Rows.ID, Rows.PAYLOAD))) {
          Rows.Census c = Rows.census(all, k);
          census = c.rows();
          if (c.rows() != expected
              || c.duplicates() != 0
              || !c.partial(k).isEmpty()
              || !c.damaged().isEmpty()) {
            failures.add(
                new AssertionError(c.rows() + " rows (expected " + expected + "), " + c.duplicates()
                    + " duplicates, partial batches " + c.partial(k) + ", damaged " + c.damaged()));
          }
        }
      }
    } catch (RuntimeException e) {
      failures.add(e);
    } finally {
      pool.shutdownNow();
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      result(name + " one store: "
          + (failures.isEmpty()
              ? census + " rows by " + threads + " threads, 0 exceptions, " + reads.get()
                  + " reads and " + resolved.get() + " resolves meanwhile, " + seconds + " s"
              : "FAILED, " + failures.size() + " exceptions" + (hung ? " and a hang" : "")
                  + " (first: " + failures.peek() + ")"));
      if (!hung) {
        try {
          store.close();
        } catch (RuntimeException e) {
          failures.add(e);
        }
        if (failures.isEmpty()) {
          allocator.close();
        }
      }
    }
    if (!failures.isEmpty()) {
      fail(describe(failures));
    }
  }

  @Test
  @ExtendWith(PgCluster.class)
  void postgresTwoProcessesWriteOneNewFeature() throws Exception {
    twoProcessesWriteOneNewFeature(
        "postgres", PgCluster.freshSchema("race"), Knobs.integer("processRows", 100_000));
  }

  @Test
  void icebergTwoProcessesWriteOneNewFeature() throws Exception {
    twoProcessesWriteOneNewFeature(
        "iceberg", dir.resolve("race-warehouse").toString(), lakehouseRows());
  }

  @Test
  void deltaTwoProcessesWriteOneNewFeature() throws Exception {
    twoProcessesWriteOneNewFeature("delta", dir.resolve("race-delta").toString(), lakehouseRows());
  }

  @Test
  void icebergOneStoreManyThreads() throws Exception {
    String warehouse = dir.resolve("concurrency-warehouse").toString();
    oneStoreManyThreads(
        "iceberg",
        options -> new IcebergMetadataStore(options, warehouse),
        () -> {},
        lakehouseRows());
  }

  @Test
  void deltaOneStoreManyThreads() throws Exception {
    Path root = dir.resolve("concurrency-delta");
    oneStoreManyThreads(
        "delta", options -> new DeltaMetadataStore(options, root), () -> {}, lakehouseRows());
  }

  /**
   * Two {@link RaceWriter} processes write disjoint samples of one feature whose table does not exist
   * yet, started together: on PostgreSQL both race to create the table, on Iceberg and Delta both
   * race to create it and then to commit every batch (optimistic concurrency, retried on conflict).
   * Every row must be there once and no batch in part.
   */
  @SuppressWarnings("try") // the scope keeps the store open for the read
  private void twoProcessesWriteOneNewFeature(String kind, String location, int rows)
      throws Exception {
    int k = Math.max(1, rows / 10);
    List<Child> children = new ArrayList<>();
    long started = System.nanoTime();
    String outcome = "FAILED";
    try {
      for (int p = 0; p < 2; p++) {
        children.add(Child.start(
            RaceWriter.class,
            List.of(
                kind,
                location,
                String.valueOf((long) p * rows),
                String.valueOf(rows),
                String.valueOf(k))));
      }
      for (Child c : children) {
        assertEquals("ready", c.next(Duration.ofSeconds(60)), c.stderrTail());
      }
      for (Child c : children) {
        c.send("go");
      }
      for (Child c : children) {
        int rc = c.waitFor(limit(2L * rows));
        List<String> rest = rc == -1 ? List.of() : c.rest();
        assertEquals(0, rc, "child " + c.pid() + " ended with " + rc + " " + rest + c.stderrTail());
        assertEquals(List.of("done"), rest, c.stderrTail());
      }
      try (BufferAllocator allocator = new RootAllocator();
          MetadataStore store = StoreKinds.open(
              kind, location, Map.of(), StoreOptions.of(Rows.graph()).allocator(allocator));
          var scope = store.open(AccessMode.READ);
          VectorSchemaRoot all = store.read(
              Rows.ROOT, ReadOptions.DEFAULT.sampleHistory().columns(Rows.ID, Rows.PAYLOAD))) {
        Rows.Census c = Rows.census(all, k);
        assertEquals(
            Map.of("rows", 2L * rows, "duplicates", 0L, "partial", List.of(), "damaged", List.of()),
            Map.of(
                "rows",
                c.rows(),
                "duplicates",
                c.duplicates(),
                "partial",
                c.partial(k),
                "damaged",
                c.damaged()));
        outcome = c.rows() + " rows by 2 processes, 0 exceptions, "
            + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s";
      }
    } finally {
      children.forEach(Child::close);
      result(kind + " two processes: " + outcome);
    }
  }

  /**
   * Rows per thread or process on Iceberg and Delta ({@code reliability.lakehouseRows}, default 20,000 in
   * 10 batches): every batch is a commit there, and what is tested is that commits racing each other
   * lose nothing, which needs many commits rather than many rows.
   */
  private static int lakehouseRows() {
    return Knobs.integer("lakehouseRows", 20_000);
  }

  /**
   * How long the writers may take before the test calls it a hang: {@code reliability.concurrencySeconds},
   * else 120 s per 800,000 rows (a serialised store wrote them in about 30 s here under load).
   */
  private static Duration limit(long rows) {
    return Duration.ofSeconds(
        Knobs.integer("concurrencySeconds", (int) Math.max(120, 120 * rows / 800_000)));
  }

  private static String stacks(List<Thread> threads) {
    StringBuilder sb = new StringBuilder();
    for (Thread t : threads) {
      if (!t.isAlive()) {
        continue;
      }
      sb.append(t.getName()).append(" (").append(t.getState()).append(")\n");
      StackTraceElement[] st = t.getStackTrace();
      for (int i = 0; i < Math.min(st.length, 25); i++) {
        sb.append("    at ").append(st[i]).append('\n');
      }
    }
    return sb.toString();
  }

  private static String describe(ConcurrentLinkedQueue<Throwable> failures) {
    StringBuilder sb = new StringBuilder(failures.size() + " failures; distinct messages:\n");
    failures.stream()
        .map(e -> e.getClass().getName() + ": " + e.getMessage())
        .distinct()
        .limit(10)
        .forEach(m -> sb.append("  ").append(m).append('\n'));
    Throwable first = failures.peek();
    StringWriter w = new StringWriter();
    first.printStackTrace(new PrintWriter(w));
    return sb.append("first:\n").append(w).toString();
  }
}
