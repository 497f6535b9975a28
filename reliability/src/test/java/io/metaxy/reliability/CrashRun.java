package io.metaxy.reliability;

import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Kill rounds against one store: each round starts a {@link CrashWriter} child that continues the batch
 * numbers on the same database, kills it at a seeded random point (SIGKILL of the child, or of the server
 * process serving it), reopens the store and checks that every batch the child reported is there in full,
 * that no batch is there in part, and that {@code resolveUpdate} of a downstream feature still works.
 */
final class CrashRun {
  /** Where a kill landed. */
  enum Point {
    /** Before the child had opened the store (a DuckDB child may be replaying or checkpointing the WAL). */
    OPENING,
    /** While a write was in flight (its batch may still have committed just before). */
    WRITING,
    /** After a write returned and before the next one began. */
    BETWEEN,
    /** The server process of the child's connection was killed instead of the child. */
    BACKEND
  }

  /** The store under test. */
  interface Target {
    /** The {@link CrashWriter} arguments after the first batch number (kind and location first, see there). */
    List<String> childArgs(long first, int round, int k);

    /** A new store on the same database, for the checks. */
    MetadataStore store(BufferAllocator allocator);

    /** SIGKILLs the server process serving the child; false when there is none to kill. */
    default boolean killBackend() throws Exception {
      throw new UnsupportedOperationException("no server process");
    }

    /** Waits for the server after {@link #killBackend()}. */
    default void awaitRecovery() throws Exception {}
  }

  private final Target target;
  private final Random random;
  private final long seed;
  private final int k;
  private final TreeSet<Long> begun = new TreeSet<>();
  private final TreeSet<Long> reported = new TreeSet<>();
  private final TreeSet<Long> lost = new TreeSet<>();
  private final TreeSet<Long> partial = new TreeSet<>();
  private final TreeSet<Long> committedUnreported = new TreeSet<>();
  private final List<String> errors = new ArrayList<>();
  private final int[] points = new int[Point.values().length];
  private int kills;
  private long next;
  // Observed durations, for kill delays that land inside writes and openings.
  private long firstWriteNanos = 400_000_000L;
  private long writeNanos = 40_000_000L;
  private long openNanos = 1_500_000_000L;

  CrashRun(Target target, long seed, int k) {
    this.target = target;
    this.seed = seed;
    this.random = new Random(seed);
    this.k = k;
  }

  /** Runs {@code kills} rounds, {@code backendKills} of them killing the server process instead of the child. */
  void run(int rounds, int backendKills, BufferAllocator allocator) throws Exception {
    List<Boolean> backend = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      backend.add(i < backendKills);
    }
    Collections.shuffle(backend, random);
    // Keeps the archive's one-time recording out of the first round's timings.
    Child.prepare();
    for (int round = 0; round < rounds && errors.isEmpty(); round++) {
      long t0 = System.nanoTime();
      round(round, backend.get(round));
      long t1 = System.nanoTime();
      check(allocator, false);
      if (Knobs.integer("verbose", 0) > 0) {
        System.out.printf(
            "  round %d took %d ms, its check %d ms%n",
            round, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
      }
    }
    if (errors.isEmpty()) {
      check(allocator, true);
    }
  }

  private void round(int round, boolean backend) throws Exception {
    Point planned = backend
        ? Point.BACKEND
        : round > 0 && random.nextInt(8) == 0 ? Point.OPENING : Point.WRITING;
    int skip = random.nextInt(4);
    double fraction = random.nextDouble();
    long started = System.nanoTime();
    boolean ready = false;
    long lastBegin = -1;
    long beganAt = 0;
    int writesThisChild = 0;
    try (Child child = Child.start(CrashWriter.class, target.childArgs(next, round, k))) {
      if (planned == Point.OPENING) {
        LockSupport.parkNanos((long) (fraction * openNanos));
      } else {
        long wanted = next + skip;
        while (true) {
          String line = child.next(Duration.ofSeconds(60));
          if (line == null) {
            throw new AssertionError(
                "round " + round + ": the child ended before batch " + wanted + child.stderrTail());
          }
          long now = System.nanoTime();
          if (line.equals("ready")) {
            ready = true;
            openNanos = now - started;
          } else if (line.startsWith("begin ")) {
            lastBegin = Long.parseLong(line.substring(6));
            begun.add(lastBegin);
            beganAt = now;
            if (lastBegin == wanted) {
              break;
            }
          } else if (line.startsWith("ok ")) {
            reported.add(Long.parseLong(line.substring(3)));
            long took = now - beganAt;
            if (writesThisChild++ == 0) {
              firstWriteNanos = (firstWriteNanos + took) / 2;
            } else {
              writeNanos = (writeNanos + took) / 2;
            }
          } else {
            throw new AssertionError("round " + round + ": unexpected line from the child: " + line
                + child.stderrTail());
          }
        }
        long expected = writesThisChild == 0 ? firstWriteNanos : writeNanos;
        // Up to 1.5 times a typical write: most kills land inside the write, some just after it.
        LockSupport.parkNanos((long) (fraction * 1.5 * expected));
      }
      List<String> rest;
      if (planned == Point.BACKEND) {
        if (!target.killBackend()) {
          throw new AssertionError("round " + round + ": no server process serves the child");
        }
        int rc = child.waitFor(Duration.ofSeconds(60));
        if (rc == -1) {
          errors.add(
              "round " + round + ": the child still ran 60 s after its server process was killed"
                  + child.stderrTail());
          child.kill();
        }
        rest = child.rest();
        if (rc != -1 && (rc != 3 || rest.stream().noneMatch(l -> l.startsWith("fail ")))) {
          errors.add("round " + round
              + ": after its server process was killed the child's write did not fail" + " (exit "
              + rc + ", last lines " + rest + ")" + child.stderrTail());
        }
        target.awaitRecovery();
      } else {
        int rc = child.kill();
        if (rc != 137) {
          errors.add("round " + round + ": the child exited with " + rc + ", not 137 (SIGKILL)"
              + child.stderrTail());
        }
        rest = child.rest();
      }
      for (String line : rest) {
        if (line.equals("ready")) {
          ready = true;
        } else if (line.startsWith("begin ")) {
          lastBegin = Long.parseLong(line.substring(6));
          begun.add(lastBegin);
        } else if (line.startsWith("ok ")) {
          // Printed before the kill, so the write had returned: it must be there.
          reported.add(Long.parseLong(line.substring(3)));
        }
      }
    }
    kills++;
    Point landed = planned == Point.BACKEND
        ? Point.BACKEND
        : !ready || lastBegin < 0
            ? Point.OPENING
            : reported.contains(lastBegin) ? Point.BETWEEN : Point.WRITING;
    points[landed.ordinal()]++;
    if (Knobs.integer("verbose", 0) > 0) {
      System.out.printf(
          "round %d: planned %s, landed %s, batches %s..%s, skip %d, fraction %.2f, first write %d ms,"
              + " write %d ms, open %d ms%n",
          round,
          planned,
          landed,
          next,
          begun.isEmpty() ? "-" : begun.last(),
          skip,
          fraction,
          firstWriteNanos / 1_000_000,
          writeNanos / 1_000_000,
          openNanos / 1_000_000);
    }
    if (!begun.isEmpty()) {
      // Every batch number is tried once: an unreported batch may have committed, and writing it
      // again would hide a torn write behind a duplicate.
      next = Math.max(next, begun.last() + 1);
    }
  }

  /** Reopens the store and checks the invariants; {@code last} also writes downstream and resolves again. */
  @SuppressWarnings("try") // the scope keeps the store open for the checks
  private void check(BufferAllocator allocator, boolean last) {
    MetadataStore store = target.store(allocator);
    try (var scope = store.open(last ? AccessMode.WRITE : AccessMode.READ)) {
      Rows.Census census;
      if (store.hasFeature(Rows.ROOT)) {
        try (VectorSchemaRoot all = store.read(
            Rows.ROOT, ReadOptions.DEFAULT.sampleHistory().columns(Rows.ID, Rows.PAYLOAD))) {
          census = Rows.census(all, k);
        }
      } else {
        census = Rows.census(null, k);
      }
      for (long b : reported) {
        if (census.count(b) != k) {
          lost.add(b);
        }
      }
      for (long b : census.partial(k)) {
        partial.add(b);
      }
      for (long b : census.perBatch().keySet()) {
        if (!begun.contains(b)) {
          errors.add("batch " + b + " is there but was never written");
        }
        if (!reported.contains(b) && census.count(b) == k) {
          committedUnreported.add(b);
        }
      }
      if (census.duplicates() > 0 || !census.damaged().isEmpty()) {
        errors.add(census.duplicates() + " duplicate rows, damaged rows " + census.damaged());
      }
      if (census.rows() > 0) {
        try (Increment inc = store.resolveUpdate(Rows.DOWN)) {
          if (inc.newCount() != census.rows()) {
            errors.add("resolveUpdate(" + Rows.DOWN + ") found " + inc.newCount()
                + " new samples, expected " + census.rows());
          }
          if (last) {
            store.write(Rows.DOWN, inc.newSamples());
          }
        }
        if (last) {
          try (Increment again = store.resolveUpdate(Rows.DOWN)) {
            if (!again.isEmpty()) {
              errors.add("after writing the downstream rows resolveUpdate still finds "
                  + again.newCount() + " new, " + again.staleCount() + " stale, "
                  + again.orphanedCount() + " orphaned");
            }
          }
        }
      }
    } catch (RuntimeException e) {
      errors.add("the store failed after " + kills + " kills: " + e);
      throw e;
    } finally {
      store.close();
    }
  }

  /** The area's closing line. */
  String closingLine(String area) {
    StringBuilder where = new StringBuilder();
    for (Point p : Point.values()) {
      if (points[p.ordinal()] > 0) {
        where
            .append(where.length() == 0 ? "" : ", ")
            .append(points[p.ordinal()])
            .append(' ')
            .append(
                switch (p) {
                  case OPENING -> "opening";
                  case WRITING -> "writing";
                  case BETWEEN -> "between writes";
                  case BACKEND -> "backend";
                });
      }
    }
    return "reliability " + area + ": " + kills + " kills (" + where + "), " + lost.size()
        + " lost, " + partial.size()
        + " partial; " + reported.size() + " batches of " + k + " rows reported, "
        + committedUnreported.size()
        + " committed unreported; seed " + seed;
  }

  /** Every violation found, empty when the store kept its promises. */
  List<String> problems() {
    List<String> out = new ArrayList<>(errors);
    if (!lost.isEmpty()) {
      out.add("reported batches missing or incomplete: " + lost);
    }
    if (!partial.isEmpty()) {
      out.add("batches partly there: " + partial);
    }
    return out;
  }
}
