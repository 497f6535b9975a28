package io.metaxy.store;

import static io.metaxy.SystemColumns.PROVENANCE;

import io.metaxy.store.support.ArrowBatches;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The comparison of expected with current rows when staleness predicates are given (store spec §4.5).
 * {@link io.metaxy.engine.VersioningEngine#diff} has no predicates, so the store runs this variant
 * then; without predicates it uses the engine. Same rules: join on the plan's join columns, stale when
 * the current provenance is null or differs or the stored row matches a predicate, each sample at most
 * once, expansion lineage collapses current rows per parent.
 */
final class PredicateDiff {
  private final BufferAllocator allocator;

  PredicateDiff(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  /** Compares expected rows with current rows on the join columns (spec §4.5). */
  Increment diff(
      VectorSchemaRoot expected,
      VectorSchemaRoot current,
      List<String> joinColumns,
      List<RowFilter> predicates,
      boolean expansion) {
    VectorSchemaRoot cur = current;
    boolean ownsCur = false;
    if (expansion) {
      // Children of one parent collapse to one row (spec §4.4): comparisons are per parent.
      Map<List<Object>, Integer> first = new LinkedHashMap<>();
      List<FieldVector> k = ArrowBatches.columns(current, joinColumns, "current rows");
      for (int r = 0; r < current.getRowCount(); r++) {
        first.putIfAbsent(ArrowBatches.key(k, r), r);
      }
      cur = ArrowBatches.take(
          current, first.values().stream().mapToInt(Integer::intValue).toArray(), allocator);
      ownsCur = true;
    }
    try {
      List<FieldVector> curKeys = ArrowBatches.columns(cur, joinColumns, "current rows");
      List<FieldVector> expKeys = ArrowBatches.columns(expected, joinColumns, "expected rows");
      FieldVector curProv = ArrowBatches.column(cur, PROVENANCE, "current rows");
      FieldVector expProv = ArrowBatches.column(expected, PROVENANCE, "expected rows");
      Map<List<Object>, Integer> curIndex = new LinkedHashMap<>();
      for (int r = 0; r < cur.getRowCount(); r++) {
        curIndex.putIfAbsent(ArrowBatches.key(curKeys, r), r);
      }
      BitSet byPredicate =
          predicates.isEmpty() ? new BitSet() : RowFilter.or(predicates).evaluate(cur);
      List<Integer> newRows = new ArrayList<>();
      List<Integer> staleRows = new ArrayList<>();
      Set<List<Object>> expectedKeys = new HashSet<>();
      for (int r = 0; r < expected.getRowCount(); r++) {
        List<Object> key = ArrowBatches.key(expKeys, r);
        expectedKeys.add(key);
        Integer c = curIndex.get(key);
        if (c == null) {
          newRows.add(r);
          continue;
        }
        Object cp = ArrowBatches.value(curProv, c);
        Object ep = ArrowBatches.value(expProv, r);
        if (cp == null || !cp.equals(ep) || byPredicate.get(c)) {
          staleRows.add(r);
        }
      }
      List<Integer> orphanRows = new ArrayList<>();
      for (Map.Entry<List<Object>, Integer> e : curIndex.entrySet()) {
        if (!expectedKeys.contains(e.getKey())) {
          orphanRows.add(e.getValue());
        }
      }
      return new Increment(
          ArrowBatches.take(expected, toArray(newRows), allocator),
          ArrowBatches.take(expected, toArray(staleRows), allocator),
          ArrowBatches.take(cur, toArray(orphanRows), allocator));
    } finally {
      if (ownsCur) {
        cur.close();
      }
    }
  }

  private static int[] toArray(List<Integer> l) {
    return l.stream().mapToInt(Integer::intValue).toArray();
  }
}
