package io.metaxy.store;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static io.metaxy.store.TestRows.sorted;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.memory.InMemoryMetadataStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BufferedMetadataWriter} on the in-memory store: flush triggers, stop, error states and
 * memory. Tests synchronise through {@code flush}/{@code stop}; only the interval trigger, which has
 * nothing else to wait on, polls (with a generous limit). The class timeout only turns a deadlock
 * into a failure instead of a hung build.
 */
@Timeout(300)
class BufferedMetadataWriterTest {
  private static final FeatureKey A = FeatureKey.of("a");
  private static final FeatureKey B = FeatureKey.of("b");
  private static final Duration LONG = Duration.ofHours(1);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private BufferAllocator allocator;
  private InMemoryMetadataStore store;
  private final List<BufferedMetadataWriter> writers = new ArrayList<>();

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    FeatureGraph graph = FeatureGraph.of(List.of(
        FeatureDefinition.of(FeatureSpec.builder("a", "id").build(), "test", Map.of()),
        FeatureDefinition.of(FeatureSpec.builder("b", "id").build(), "test", Map.of())));
    store = new InMemoryMetadataStore(StoreOptions.of(graph).allocator(allocator));
  }

  @AfterEach
  void tearDown() {
    for (BufferedMetadataWriter w : writers) {
      try {
        w.stop();
      } catch (IllegalStateException e) {
        // a test's deliberate flush failure
      }
    }
    store.close();
    store.clear();
    // Queued copies, concatenations and written batches were all released.
    allocator.close();
  }

  private BufferedMetadataWriter writer(Integer size, Duration interval, int maxQueue) {
    BufferedMetadataWriter w = new BufferedMetadataWriter(store, size, interval, maxQueue);
    writers.add(w);
    return w;
  }

  /** Puts rows with these ids (caller's batch closed right after: the writer keeps a copy). */
  private void put(BufferedMetadataWriter w, FeatureKey k, String... ids) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String id : ids) {
      rows.add(row("id", id, "metaxy_provenance_by_field", pbf("default", "h" + id)));
    }
    try (VectorSchemaRoot b = batch(allocator, rows)) {
      w.put(k, b);
    }
  }

  private List<String> stored(FeatureKey k) {
    try (var scope = store.open(AccessMode.READ);
        VectorSchemaRoot r = store.read(k)) {
      return sorted(r, "id");
    } catch (FeatureNotFoundException e) {
      return List.of();
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void sizeTriggerFlushesOnceEnoughRowsAreQueued() {
    BufferedMetadataWriter w = writer(3, LONG, 0);
    w.start();
    put(w, A, "1", "2");
    assertEquals(0, w.numWritten(A), "2 rows < flushBatchSize 3, and the interval is an hour");
    put(w, B, "3");
    await(() -> w.numWritten(A) == 2 && w.numWritten(B) == 1, "size-triggered flush");
    assertEquals(List.of("1", "2"), stored(A));
    assertEquals(List.of("3"), stored(B));
  }

  @Test
  void intervalTriggerFlushesWithoutSizeOrExplicitFlush() {
    BufferedMetadataWriter w = writer(null, Duration.ofMillis(50), 0);
    w.start();
    put(w, A, "1");
    put(w, A, "2");
    await(() -> w.numWritten(A) == 2, "interval-triggered flush");
    assertEquals(List.of("1", "2"), stored(A));
  }

  @Test
  void explicitFlushWritesEverythingPutBefore() {
    BufferedMetadataWriter w = writer(null, LONG, 0);
    w.start();
    put(w, A, "1");
    put(w, B, "2", "3");
    put(w, A, "4");
    assertEquals(Map.of(), w.numWritten());
    assertTrue(w.flush(WAIT));
    assertEquals(Map.of(A, 2L, B, 2L), w.numWritten());
    assertEquals(List.of("1", "4"), stored(A));
    assertEquals(List.of("2", "3"), stored(B));
    assertTrue(w.flush(WAIT), "nothing queued: trivially flushed");
  }

  @Test
  void stopFlushesWhatIsQueuedAndEndsPuts() {
    BufferedMetadataWriter w = writer(null, LONG, 0);
    w.start();
    put(w, A, "1", "2");
    put(w, B, "3");
    w.stop();
    assertEquals(List.of("1", "2"), stored(A));
    assertEquals(List.of("3"), stored(B));
    assertEquals(Map.of(A, 2L, B, 1L), w.numWritten());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> put(w, A, "9"));
    assertTrue(e.getMessage().contains("after stop"), e.getMessage());
    assertDoesNotThrow(w::stop, "stop is idempotent");
    assertDoesNotThrow(w::close);
    assertThrows(IllegalStateException.class, w::start);
  }

  @Test
  void putAndFlushBeforeStartFail() {
    BufferedMetadataWriter w = writer(null, null, 0);
    assertTrue(assertThrows(IllegalStateException.class, () -> put(w, A, "1"))
        .getMessage()
        .contains("before start"));
    assertThrows(IllegalStateException.class, () -> w.flush(WAIT));
    w.start();
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> put(w, FeatureKey.of("nope"), "1"))
            .getMessage()
            .contains("nope"));
    assertTrue(w.flush(WAIT));
  }

  @Test
  void failedFlushStopsTheWriterAndIsRethrown() {
    BufferedMetadataWriter w = writer(null, LONG, 0);
    w.start();
    try (VectorSchemaRoot bad =
        batch(allocator, row("not_id", "1", "metaxy_provenance_by_field", pbf("default", "h")))) {
      w.put(A, bad);
    }
    IllegalStateException flush = assertThrows(IllegalStateException.class, () -> w.flush(WAIT));
    assertInstanceOf(MetadataSchemaException.class, flush.getCause());
    assertTrue(flush.getCause().getMessage().contains("'id'"), flush.getCause().getMessage());
    IllegalStateException put = assertThrows(IllegalStateException.class, () -> put(w, A, "2"));
    assertSame(flush.getCause(), put.getCause());
    assertDoesNotThrow(w::stop, "the error was already reported");
    assertEquals(List.of(), stored(A), "nothing was written");
    assertEquals(Map.of(), w.numWritten());
  }

  @Test
  void stopReportsAFlushErrorNotSeenYet() {
    BufferedMetadataWriter w = writer(null, LONG, 0);
    w.start();
    put(w, A, "1");
    try (VectorSchemaRoot bad =
        batch(allocator, row("not_id", "1", "metaxy_provenance_by_field", pbf("default", "h")))) {
      w.put(B, bad);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, w::stop);
    assertInstanceOf(MetadataSchemaException.class, e.getCause());
    assertDoesNotThrow(w::stop, "reported once");
  }

  @Test
  void boundedQueueBlocksPutsUntilFlushed() {
    BufferedMetadataWriter w = writer(null, LONG, 2);
    w.start();
    for (int i = 0; i < 7; i++) {
      put(w, A, String.valueOf(i));
    }
    assertTrue(w.flush(WAIT));
    assertEquals(7L, w.numWritten(A));
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6"), stored(A));
  }

  @RepeatedTest(10) // several rounds of producers contending for a bounded queue
  void concurrentProducersAllLand() throws InterruptedException {
    BufferedMetadataWriter w = writer(5, LONG, 4);
    w.start();
    List<Thread> producers = new ArrayList<>();
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    for (int p = 0; p < 3; p++) {
      int base = p * 100;
      Thread t = new Thread(() -> {
        try {
          for (int i = 0; i < 20; i++) {
            put(w, (i % 2 == 0) ? A : B, String.valueOf(base + i));
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      producers.add(t);
      t.start();
    }
    for (Thread t : producers) {
      t.join();
    }
    assertEquals(List.of(), errors);
    w.stop();
    assertEquals(Map.of(A, 30L, B, 30L), w.numWritten());
    assertEquals(30, stored(A).size());
    assertEquals(30, stored(B).size());
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> new BufferedMetadataWriter(store, -1, null, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new BufferedMetadataWriter(store, null, Duration.ZERO, 0));
    assertThrows(
        IllegalArgumentException.class, () -> new BufferedMetadataWriter(store, null, null, -1));
    assertFalse(store.isOpen());
  }
}
