package io.metaxy.store;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** An increment held as several batches per kind of row (one per id range of a partitioned resolve). */
class IncrementTest {
  private static VectorSchemaRoot crops(RootAllocator a, long... widths) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (long w : widths) {
      rows.add(row("video_id", "v" + w, "width", w));
    }
    return batch(a, rows);
  }

  @Test
  void batchesAreKeptAsTheyAreAndJoinedOnlyWhenAskedFor() {
    try (RootAllocator a = new RootAllocator()) {
      VectorSchemaRoot n1 = crops(a, 1, 2);
      VectorSchemaRoot n2 = crops(a, 3);
      VectorSchemaRoot s1 = crops(a, 4);
      VectorSchemaRoot s2 = crops(a, 5, 6);
      VectorSchemaRoot o1 = crops(a);
      try (Increment inc = new Increment(List.of(n1, n2), List.of(s1, s2), List.of(o1), a)) {
        assertEquals(List.of(n1, n2), inc.newBatches());
        assertSame(n1, inc.newBatches().get(0), "the batches are not copied");
        assertEquals(3, inc.newCount());
        assertEquals(3, inc.staleCount());
        assertEquals(0, inc.orphanedCount());
        assertFalse(inc.isEmpty());
        assertEquals(
            List.of(new Crop("v1", 1), new Crop("v2", 2), new Crop("v3", 3)),
            inc.newRecords(Crop.class));
        assertEquals(
            List.of(new Crop("v4", 4), new Crop("v5", 5), new Crop("v6", 6)),
            inc.staleRecords(Crop.class));
        List<IncrementRow> todo = inc.toProcess();
        List<Object> widths = new ArrayList<>();
        List<Boolean> fresh = new ArrayList<>();
        for (IncrementRow r : todo) {
          widths.add(r.get("width"));
          fresh.add(r.isNew());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), widths);
        assertEquals(List.of(true, true, true, false, false, false), fresh);

        VectorSchemaRoot whole = inc.newSamples();
        assertEquals(3, whole.getRowCount());
        assertSame(whole, inc.newSamples(), "joined once");
        assertEquals(
            List.of(new Crop("v1", 1), new Crop("v2", 2), new Crop("v3", 3)),
            Increment.records(whole, MetaxyCrop.COMPANION));
        // Views taken before the join still read the batches, which stay open until close.
        assertEquals(3L, todo.get(2).get("width"));
        assertSame(o1, inc.orphaned(), "a single batch is returned as it is");
      }
      // RootAllocator.close() fails on any buffer left: the joined copy and every batch were
      // released.
    }
  }

  @Test
  void emptyIncrementOfEmptyBatches() {
    try (RootAllocator a = new RootAllocator()) {
      try (Increment inc = new Increment(crops(a), crops(a), crops(a))) {
        assertTrue(inc.isEmpty());
        assertEquals(List.of(), inc.toProcess());
        assertEquals(1, inc.newBatches().size());
      }
    }
  }

  @Test
  void needsABatchPerKindAndAnAllocatorToJoinSeveral() {
    try (RootAllocator a = new RootAllocator()) {
      try (VectorSchemaRoot b1 = crops(a, 1);
          VectorSchemaRoot b2 = crops(a, 2)) {
        assertThrows(
            IllegalArgumentException.class,
            () -> new Increment(List.of(), List.of(b1), List.of(b2), a));
        assertThrows(
            IllegalArgumentException.class,
            () -> new Increment(List.of(b1, b2), List.of(b1), List.of(b2), null));
      }
    }
  }
}
