package io.metaxy.engine;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.SystemColumns;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.spec.Lineage;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits expected rows against current rows into new, stale and orphaned (store spec §4.5). Matching
 * works on row numbers only ({@link IncrementRows}); result batches are gathered afterwards, one column
 * per task. Sorted unique keys take a linear merge; otherwise a {@link KeyTable} over the current keys
 * is probed in parallel with the expected rows.
 */
final class DiffStage {
  /** Under the facade's name, where users look for the engine's timings. */
  private static final Logger LOG = LoggerFactory.getLogger(VersioningEngine.class);

  /** The columns one side of a diff is matched on, over rows {@code [0, rows)}. */
  record DiffSide(List<Col> keys, Col provenance, int rows) {}

  /**
   * The row numbers of an increment: {@code newRows} and {@code stale} index expected rows,
   * {@code orphaned} current rows (parents, when current rows were collapsed).
   */
  record IncrementRows(int[] newRows, int[] stale, int[] orphaned) {}

  private final LineageStage lineage;
  private final BufferAllocator allocator;
  /** Keeps the JIT from dropping the cache-warming loads of {@link KeyTable#ahead}. */
  @SuppressWarnings("unused")
  private volatile long touchSink;

  DiffStage(LineageStage lineage, BufferAllocator allocator) {
    this.lineage = lineage;
    this.allocator = allocator;
  }

  /** See {@link VersioningEngine#diff}. */
  IncrementBatches diff(
      FeatureKey target,
      FeaturePlan plan,
      VectorSchemaRoot expected,
      @Nullable VectorSchemaRoot current) {
    if (current == null) {
      return new IncrementBatches(
          Gather.rows(expected, null, expected.getRowCount(), allocator),
          rows(expected, new int[0]),
          rows(expected, new int[0]));
    }
    List<String> on = plan.joinColumns();
    String ew = "expected rows of " + target;
    String cw = "current rows of " + target;
    List<Col> ek = keyCols(expected, on, ew);
    List<Col> ck = keyCols(current, on, cw);
    DiffSide e = new DiffSide(
        ek,
        Col.of(SystemColumns.PROVENANCE, need(expected, SystemColumns.PROVENANCE, ew)),
        expected.getRowCount());
    DiffSide c = new DiffSide(
        ck,
        Col.of(SystemColumns.PROVENANCE, need(current, SystemColumns.PROVENANCE, cw)),
        current.getRowCount());
    LineageStage.CollapsedCurrent collapsed = null;
    if (plan.deps().stream().anyMatch(d -> d.dep().lineage() instanceof Lineage.Expansion)) {
      collapsed = LineageStage.collapse(c);
      c = collapsed.perParent();
    }
    long t0 = System.nanoTime();
    // Collapsed keys are row-mapped, hence never mergeable: skip the sortedness scans.
    IncrementRows split =
        collapsed == null && MergeKeys.applicable(e.keys(), e.rows(), c.keys(), c.rows())
            ? mergeDiff(e, c)
            : hashDiff(e, c);
    long t1 = System.nanoTime();
    VectorSchemaRoot newRows = rows(expected, split.newRows());
    try {
      VectorSchemaRoot staleRows = rows(expected, split.stale());
      try {
        VectorSchemaRoot orphaned = collapsed == null
            ? rows(current, split.orphaned())
            : lineage.collapsedRows(current, collapsed.groups(), split.orphaned());
        IncrementBatches result = new IncrementBatches(newRows, staleRows, orphaned);
        LOG.debug(
            "diff {}: match {} ms, gather {} ms",
            target,
            (t1 - t0) / 1_000_000,
            (System.nanoTime() - t1) / 1_000_000);
        return result;
      } catch (RuntimeException ex) {
        staleRows.close();
        throw ex;
      }
    } catch (RuntimeException ex) {
      newRows.close();
      throw ex;
    }
  }

  private VectorSchemaRoot rows(VectorSchemaRoot root, int[] idx) {
    return Gather.rows(root, idx, idx.length, allocator);
  }

  private static List<Col> keyCols(VectorSchemaRoot root, List<String> on, String what) {
    List<Col> cols = new ArrayList<>();
    for (String c : on) {
      cols.add(Col.of(c, need(root, c, what)));
    }
    return cols;
  }

  private static FieldVector need(VectorSchemaRoot root, String column, String what) {
    FieldVector v = root.getVector(column);
    if (v == null) {
      throw new MetaxyException(what + " have no '" + column + "' column; columns: "
          + ProvenanceColumns.columnNames(root));
    }
    return v;
  }

  /** Whether a matched current row is stale: its provenance is null or differs (exact comparison). */
  private static boolean stale(Col eProv, int r, Col cProv, int j) {
    return cProv.isNull(j) || !eProv.sameValue(r, cProv, j);
  }

  /** The increment of two key-sorted sides, by a linear merge. */
  private static IncrementRows mergeDiff(DiffSide e, DiffSide c) {
    List<Col> ek = e.keys();
    List<Col> ck = c.keys();
    Col eProv = e.provenance();
    Col cProv = c.provenance();
    int en = e.rows();
    int cn = c.rows();
    IntList nw = new IntList();
    IntList st = new IntList();
    IntList or = new IntList();
    int i = 0;
    int j = 0;
    while (i < en && j < cn) {
      int cmp = MergeKeys.compare(ek, i, ck, j);
      if (cmp < 0) {
        nw.add(i++);
      } else if (cmp > 0) {
        or.add(j++);
      } else {
        if (stale(eProv, i, cProv, j)) {
          st.add(i);
        }
        i++;
        j++;
      }
    }
    for (; i < en; i++) {
      nw.add(i);
    }
    for (; j < cn; j++) {
      or.add(j);
    }
    return new IncrementRows(nw.toArray(), st.toArray(), or.toArray());
  }

  /** The increment by a hash table over the current keys, probed in parallel with the expected keys. */
  private IncrementRows hashDiff(DiffSide e, DiffSide c) {
    List<Col> ek = e.keys();
    Col eProv = e.provenance();
    Col cProv = c.provenance();
    int en = e.rows();
    int cn = c.rows();
    KeyTable table = new KeyTable(c.keys(), cn, true);
    int[] eh = KeyTable.hashRows(ek, en);
    int chunks = Parallel.chunks(en);
    IntList[] news = new IntList[chunks];
    IntList[] stales = new IntList[chunks];
    boolean[] matched = new boolean[cn];
    Parallel.forChunks(en, (chunk, from, to) -> {
      IntList nw = new IntList();
      IntList st = new IntList();
      long touched = 0;
      for (int r = from; r < to; r++) {
        if (((r - from) & (KeyTable.BATCH - 1)) == 0) {
          touched += table.ahead(eh, r, from, to, cProv);
        }
        if (KeyTable.hasNull(ek, r)) {
          nw.add(r);
          continue;
        }
        long cur = table.first(ek, r, eh[r]);
        if (cur < 0) {
          nw.add(r);
          continue;
        }
        while (cur >= 0) {
          int j = KeyTable.row(cur);
          // Benign race: every writer stores true.
          matched[j] = true;
          if (stale(eProv, r, cProv, j)) {
            st.add(r);
          }
          cur = table.next(cur, ek, r, eh[r]);
        }
      }
      news[chunk] = nw;
      stales[chunk] = st;
      touchSink = touched;
    });
    IntList orphans = new IntList();
    for (int j = 0; j < cn; j++) {
      if (!matched[j]) {
        orphans.add(j);
      }
    }
    return new IncrementRows(IntList.concat(news), IntList.concat(stales), orphans.toArray());
  }
}
