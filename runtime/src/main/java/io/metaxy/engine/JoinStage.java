package io.metaxy.engine;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.graph.FeaturePlan;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Joins the prepared upstream frames on the plan's join columns (store spec §4.2): required
 * dependencies inner-joined in declaration order, optional ones left-joined, all-optional ones
 * full-outer-joined with coalesced keys. A join only composes row mappings ({@link RowMatch}); values
 * are copied once, when the result batch is built. Sorted unique keys take a linear merge, and sides
 * holding the same keys row by row need no mapping at all; otherwise a {@link KeyTable} matches them.
 */
final class JoinStage {
  private static final String RIGHT_SUFFIX = "_right";

  private enum How {
    INNER,
    LEFT,
    FULL
  }

  /**
   * The rows of one join: output row {@code i} is row {@code left[i]} of the left side and
   * {@code right[i]} of the right side, -1 where that side has no row. A null array means output row
   * {@code i} is row {@code i} of that side, so its columns stay unmapped (and zero-copy).
   */
  record RowMatch(int rows, int @Nullable [] left, int @Nullable [] right) {
    /** Both sides hold the same keys in the same order: every row matches itself. */
    static RowMatch aligned(int rows) {
      return new RowMatch(rows, null, null);
    }

    /** This match with a mapping that is the identity of its side replaced by null. */
    RowMatch withoutIdentities(int leftRows, int rightRows) {
      return new RowMatch(
          rows,
          isIdentity(left, leftRows) ? null : left,
          isIdentity(right, rightRows) ? null : right);
    }

    private static boolean isIdentity(int @Nullable [] map, int sideRows) {
      if (map == null) {
        return true;
      }
      if (map.length != sideRows) {
        return false;
      }
      for (int i = 0; i < map.length; i++) {
        if (map[i] != i) {
          return false;
        }
      }
      return true;
    }
  }

  /** Keeps the JIT from dropping the cache-warming loads of {@link KeyTable#ahead}. */
  @SuppressWarnings("unused")
  private volatile long touchSink;

  /**
   * The join of {@code prepared} (declaration order) on the plan's join columns.
   *
   * @throws MetaxyException when no dependency has rows, a join column is missing, or a user column
   *     comes from two dependencies
   */
  Frame join(
      FeatureKey target, FeaturePlan plan, List<UpstreamPreparation.PreparedUpstream> prepared) {
    List<String> on = plan.joinColumns();
    List<FeaturePlan.Joined<UpstreamPreparation.PreparedUpstream>> ordered =
        plan.joinOrder(prepared, UpstreamPreparation.PreparedUpstream::optional);
    for (FeaturePlan.Joined<UpstreamPreparation.PreparedUpstream> j : ordered) {
      UpstreamPreparation.PreparedUpstream p = j.rows();
      for (String c : on) {
        if (!p.frame().columns.containsKey(c)) {
          throw new MetaxyException("expected rows of " + target + ": join column '" + c
              + "' is missing from upstream " + p.feature() + " (columns: "
              + p.frame().columns.keySet() + "); no shared id columns");
        }
      }
    }
    LinkedHashMap<FeatureKey, Collection<String>> columns = new LinkedHashMap<>();
    ordered.forEach(
        j -> columns.put(j.rows().feature(), j.rows().frame().columns.keySet()));
    plan.checkColumnCollisions(columns);
    Frame acc = ordered.get(0).rows().frame();
    for (int i = 1; i < ordered.size(); i++) {
      How how = switch (ordered.get(i).how()) {
        case INNER -> How.INNER;
        case LEFT -> How.LEFT;
        case FULL -> How.FULL;
        case FIRST -> throw new IllegalStateException("only the first rows are FIRST");
      };
      acc = join(acc, ordered.get(i).rows().frame(), on, how);
    }
    return acc;
  }

  private Frame join(Frame left, Frame right, List<String> on, How how) {
    List<Col> lk = on.stream().map(left.columns::get).toList();
    List<Col> rk = on.stream().map(right.columns::get).toList();
    boolean merge = MergeKeys.applicable(lk, left.rows, rk, right.rows);
    RowMatch match;
    if (merge && left.rows == right.rows && MergeKeys.sameRows(lk, rk, left.rows)) {
      // Both sides hold the same ids in the same order (upstreams read in id order): every row
      // matches itself, whatever the join type, and no row mapping is built at all.
      match = RowMatch.aligned(left.rows);
    } else {
      // A side whose rows all matched exactly once, in order, needs no remapping (and stays
      // zero-copy).
      match = (merge
              ? mergeJoin(lk, left.rows, rk, right.rows, how)
              : hashJoin(lk, left.rows, rk, right.rows, how))
          .withoutIdentities(left.rows, right.rows);
    }
    return combine(left, right, on, how, match);
  }

  /** The frame of the matched rows: left columns, then right columns other than the join columns. */
  private static Frame combine(Frame left, Frame right, List<String> on, How how, RowMatch match) {
    int[] lmap = match.left();
    int[] rmap = match.right();
    LinkedHashMap<String, Col> cols = new LinkedHashMap<>();
    for (Map.Entry<String, Col> e : left.columns.entrySet()) {
      Col c = lmap == null ? e.getValue() : e.getValue().remap(lmap);
      if (how == How.FULL && on.contains(e.getKey()) && !(lmap == null && rmap == null)) {
        // The right side's key columns were read from these names when the rows were matched.
        Col fallback = Objects.requireNonNull(
            right.columns.get(e.getKey()), "join column missing on the right");
        c = c.withFallback(rmap == null ? fallback : fallback.remap(rmap));
      }
      cols.put(e.getKey(), c);
    }
    for (Map.Entry<String, Col> e : right.columns.entrySet()) {
      if (on.contains(e.getKey())) {
        continue;
      }
      String name = cols.containsKey(e.getKey()) ? e.getKey() + RIGHT_SUFFIX : e.getKey();
      cols.put(name, (rmap == null ? e.getValue() : e.getValue().remap(rmap)).renamed(name));
    }
    LinkedHashMap<FeatureKey, Map<String, Col>> dvs = new LinkedHashMap<>();
    remapAll(left.dataVersions, lmap, dvs);
    remapAll(right.dataVersions, rmap, dvs);
    return new Frame(match.rows(), cols, dvs);
  }

  /** Adds {@code from} to {@code into}, seen through {@code map} (unchanged when null). */
  private static void remapAll(
      Map<FeatureKey, Map<String, Col>> from,
      int @Nullable [] map,
      Map<FeatureKey, Map<String, Col>> into) {
    if (map == null) {
      into.putAll(from);
      return;
    }
    for (Map.Entry<FeatureKey, Map<String, Col>> e : from.entrySet()) {
      Map<String, Col> m = new LinkedHashMap<>();
      e.getValue().forEach((k, c) -> m.put(k, c.remap(map)));
      into.put(e.getKey(), m);
    }
  }

  /** The joined rows by a hash table over the right keys, probed in parallel. */
  private RowMatch hashJoin(List<Col> lk, int leftRows, List<Col> rk, int rightRows, How how) {
    KeyTable table = new KeyTable(rk, rightRows, true);
    int[] lh = KeyTable.hashRows(lk, leftRows);
    boolean[] used = how == How.FULL ? new boolean[rightRows] : null;
    int chunks = Parallel.chunks(leftRows);
    IntList[] lparts = new IntList[chunks];
    IntList[] rparts = new IntList[chunks];
    Parallel.forChunks(leftRows, (c, from, to) -> {
      IntList li = new IntList(to - from);
      IntList ri = new IntList(to - from);
      long touched = 0;
      for (int r = from; r < to; r++) {
        if (((r - from) & (KeyTable.BATCH - 1)) == 0) {
          touched += table.ahead(lh, r, from, to, null);
        }
        long cur = KeyTable.hasNull(lk, r) ? -1 : table.first(lk, r, lh[r]);
        if (cur < 0) {
          if (how != How.INNER) {
            li.add(r);
            ri.add(-1);
          }
          continue;
        }
        while (cur >= 0) {
          int j = KeyTable.row(cur);
          li.add(r);
          ri.add(j);
          if (used != null) {
            // Benign race: every writer stores true.
            used[j] = true;
          }
          cur = table.next(cur, lk, r, lh[r]);
        }
      }
      lparts[c] = li;
      rparts[c] = ri;
      touchSink = touched;
    });
    int[] lmap = IntList.concat(lparts);
    int[] rmap = IntList.concat(rparts);
    if (used != null) {
      IntList unmatched = new IntList();
      for (int j = 0; j < rightRows; j++) {
        if (!used[j]) {
          unmatched.add(j);
        }
      }
      int m = lmap.length;
      lmap = Arrays.copyOf(lmap, m + unmatched.size());
      Arrays.fill(lmap, m, lmap.length, -1);
      rmap = Arrays.copyOf(rmap, m + unmatched.size());
      System.arraycopy(unmatched.toArray(), 0, rmap, m, unmatched.size());
    }
    return new RowMatch(lmap.length, lmap, rmap);
  }

  /** The joined rows of two key-sorted sides, by a linear merge. */
  private static RowMatch mergeJoin(
      List<Col> lk, int leftRows, List<Col> rk, int rightRows, How how) {
    // Sized for the usual outcome (at most the larger side) so the lists do not grow by copying.
    int guess = how == How.INNER ? Math.min(leftRows, rightRows) : Math.max(leftRows, rightRows);
    IntList li = new IntList(guess);
    IntList ri = new IntList(guess);
    int i = 0;
    int j = 0;
    while (i < leftRows || j < rightRows) {
      int c = i == leftRows ? 1 : j == rightRows ? -1 : MergeKeys.compare(lk, i, rk, j);
      if (c == 0) {
        li.add(i++);
        ri.add(j++);
      } else if (c < 0) {
        if (how != How.INNER) {
          li.add(i);
          ri.add(-1);
        }
        i++;
      } else {
        if (how == How.FULL) {
          li.add(-1);
          ri.add(j);
        }
        j++;
      }
    }
    int[] lmap = li.toArray();
    return new RowMatch(lmap.length, lmap, ri.toArray());
  }
}
