package io.metaxy.sample;

import io.metaxy.FeatureKey;
import io.metaxy.SystemColumns;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.Lineage;
import io.metaxy.store.Increment;
import io.metaxy.store.support.ArrowBatches;
import io.metaxy.versioning.FieldRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * What the next {@code run} will do, feature by feature, worked out without doing it.
 *
 * <p>The store alone answers for a feature only against what its upstream features hold <em>now</em>:
 * after {@code touch-audio 3} it reports the 3 videos as stale and nothing below them, though the run
 * recomputes the crops, transcripts and chunks of those videos once the videos are recomputed. So the
 * features are taken in the run's order, and each one's changes are carried down to its dependents:
 *
 * <ul>
 *   <li>a sample the run rewrites changes the data version of the fields whose provenance differs
 *       from the stored row's (for {@code touch-audio}: a video's {@code audio}, not its
 *       {@code frames});
 *   <li>a stored downstream sample that depends, through its dependency's join columns, on such a
 *       sample is stale when one of its fields has a changed field among its parents (the crop's
 *       {@code audio} is, the face detection, which reads only the crop's {@code frames}, is not);
 *   <li>a new upstream sample makes a new downstream sample (one group of an aggregation; an existing
 *       group becomes stale), a removed one orphans its dependents (an aggregation group is only
 *       stale while it keeps other members).
 * </ul>
 *
 * <p>This is exact, because every data version in this pipeline is the provenance the run computes,
 * with one limit: the ids of the samples an expansion makes from a new parent (the chunks of a new
 * video) exist only once it has run, so what depends on them is counted as "?" with the number of
 * parents; and a recomputed expansion parent is assumed to give the same children as before. Counts
 * are per join key, like the run's.
 */
final class Forecast {
  /** How the run changes a sample. */
  private enum Kind {
    NEW,
    STALE,
    ORPHANED
  }

  /**
   * A sample the run writes or deletes.
   *
   * @param row its columns: the stored row, or for a new sample what is known of it before the run
   *     (the increment's columns; for a sample made only by propagation, its join columns)
   * @param fields the struct keys of the fields whose data version changes
   */
  private record Change(Kind kind, Map<String, Object> row, Set<String> fields) {}

  /**
   * What the run does to a feature, for its dependents.
   *
   * @param after the rows the feature holds after the run, as far as known (aggregations count members)
   * @param unknown parents whose new samples' ids are not known before the run
   * @param unknownAt the feature holding those parents' new samples
   */
  private record Pending(
      List<Change> changes, List<Map<String, Object>> after, int unknown, String unknownAt) {}

  /**
   * The forecast of one feature.
   *
   * @param counts what the run will count (new, stale, orphaned, skipped per join key)
   * @param unknownNew upstream samples whose new dependents here cannot be counted before the run
   * @param note what the store alone would not show: the feature is not written yet, which counts
   *     wait for upstream features, what is not known yet; empty when nothing needs saying
   */
  record Outlook(Pipeline.Counts counts, int unknownNew, String note) {
    /** The line {@code status} prints. */
    String line() {
      Pipeline.Counts c = counts;
      String added =
          unknownNew == 0 ? String.valueOf(c.added()) : c.added() == 0 ? "?" : c.added() + "+?";
      return String.format(
          Locale.ROOT,
          "%-28s new %3s  stale %3d  orphaned %3d  skipped %3d%s",
          c.feature(),
          added,
          c.stale(),
          c.orphaned(),
          c.skipped(),
          note.isEmpty() ? "" : "  (" + note + ")");
    }
  }

  private final Map<FeatureKey, Pending> pending = new HashMap<>();

  /**
   * Adds the next feature in the run's order.
   *
   * @param own what the store reports for it now, or null when an upstream has no table yet
   * @param stored its current rows (empty when it has no table)
   * @param written whether it has a table
   */
  Outlook add(FeaturePlan plan, Increment own, List<Map<String, Object>> stored, boolean written) {
    List<String> ids = plan.spec().idColumns();
    List<String> join = plan.joinColumns();
    Set<String> allFields = new LinkedHashSet<>();
    plan.spec().fields().forEach(f -> allFields.add(f.key().structKey()));
    Map<List<Object>, List<Map<String, Object>>> storedByJoin = group(stored, join);

    // What the store reports now.
    Map<List<Object>, Change> fresh = new LinkedHashMap<>();
    Map<List<Object>, Change> stale = new LinkedHashMap<>();
    Map<List<Object>, Map<String, Object>> orphans = new LinkedHashMap<>();
    if (own != null) {
      for (Map<String, Object> row : rows(own.newSamples())) {
        fresh.putIfAbsent(project(row, join), new Change(Kind.NEW, row, allFields));
      }
      for (Map<String, Object> row : rows(own.stale())) {
        Map<?, ?> expected = (Map<?, ?>) row.get(SystemColumns.PROVENANCE_BY_FIELD);
        for (Map<String, Object> s : storedByJoin.getOrDefault(project(row, join), List.of())) {
          Map<?, ?> current = (Map<?, ?>) s.get(SystemColumns.DATA_VERSION_BY_FIELD);
          Set<String> changed = new LinkedHashSet<>();
          for (String f : allFields) {
            if (current == null || !Objects.equals(expected.get(f), current.get(f))) {
              changed.add(f);
            }
          }
          markStale(stale, project(s, ids), s, changed);
        }
      }
      for (Map<String, Object> row : rows(own.orphaned())) {
        // An expansion reports one row per parent: every stored child of that parent goes.
        for (Map<String, Object> s : storedByJoin.getOrDefault(project(row, join), List.of(row))) {
          orphans.put(project(s, ids), s);
        }
      }
    }
    Set<List<Object>> ownFresh = new LinkedHashSet<>(fresh.keySet());
    Set<List<Object>> ownStale =
        joinKeys(stale.values().stream().map(Change::row).toList(), join);
    Set<List<Object>> ownOrphans = joinKeys(orphans.values(), join);

    // What the upstream features' changes do here.
    Set<List<Object>> revived = new LinkedHashSet<>();
    int unknown = 0;
    Set<String> causes = new TreeSet<>();
    String unknownAt = null;
    for (FeaturePlan.DepPlan dp : plan.deps()) {
      FeatureKey upKey = dp.dep().feature();
      Pending up = pending.get(upKey);
      if (up == null) {
        continue; // not computed by this run (another project's feature): it does not change here
      }
      if (up.unknown() > 0) {
        unknown += up.unknown();
        unknownAt = up.unknownAt();
      }
      List<String> cols = dp.inputIdColumns();
      List<String> upCols = cols.stream().map(c -> upstreamName(dp, c)).toList();
      Map<List<Object>, List<Map<String, Object>>> mine = group(stored, cols);
      boolean aggregation = dp.dep().lineage() instanceof Lineage.Aggregation;
      for (Change ch : up.changes()) {
        if (!ch.row().keySet().containsAll(upCols)) {
          // New samples of an expansion, known only by their parent: their ids come with the run.
          unknown++;
          unknownAt = upKey.toString();
          continue;
        }
        List<Object> values = project(ch.row(), upCols);
        List<Map<String, Object>> matches = mine.getOrDefault(values, List.of());
        Set<String> affected = affected(plan, upKey, ch.fields());
        boolean effect = !matches.isEmpty();
        switch (ch.kind()) {
          case STALE -> {
            effect &= !affected.isEmpty(); // else none of the fields read here changes
            if (effect) {
              matches.forEach(m -> markStale(stale, project(m, ids), m, affected));
            }
          }
          case ORPHANED -> {
            if (aggregation
                && up.after().stream()
                    .anyMatch(r ->
                        r.keySet().containsAll(upCols) && project(r, upCols).equals(values))) {
              matches.forEach(m -> markStale(stale, project(m, ids), m, affected));
            } else {
              matches.forEach(m -> orphans.put(project(m, ids), m));
              effect |= fresh.remove(project(asRow(cols, values), join)) != null;
            }
          }
          case NEW -> {
            if (effect) {
              matches.forEach(m -> {
                markStale(stale, project(m, ids), m, affected);
                revived.add(project(m, ids));
              });
            } else if (plan.deps().size() > 1) {
              // Whether the other upstream features have this sample too is known only after the
              // run.
              unknown++;
              unknownAt = upKey.toString();
            } else {
              Map<String, Object> row = asRow(cols, values);
              effect = fresh.putIfAbsent(project(row, join), new Change(Kind.NEW, row, allFields))
                  == null;
            }
          }
        }
        if (effect) {
          causes.add(upKey.toString());
        }
      }
    }
    revived.forEach(orphans::remove);
    orphans.keySet().forEach(stale::remove);

    Set<List<Object>> staleKeys =
        joinKeys(stale.values().stream().map(Change::row).toList(), join);
    Set<List<Object>> orphanKeys = joinKeys(orphans.values(), join);
    long skipped = Math.max(0, storedByJoin.size() - staleKeys.size() - orphanKeys.size());
    Pipeline.Counts counts = new Pipeline.Counts(
        plan.feature().toString(), fresh.size(), staleKeys.size(), orphanKeys.size(), skipped);

    List<Change> changes = new ArrayList<>(fresh.values());
    changes.addAll(stale.values());
    orphans.values().forEach(r -> changes.add(new Change(Kind.ORPHANED, r, allFields)));
    List<Map<String, Object>> after = new ArrayList<>();
    stored.stream().filter(r -> !orphans.containsKey(project(r, ids))).forEach(after::add);
    fresh.values().forEach(c -> after.add(c.row()));
    pending.put(plan.feature(), new Pending(changes, after, unknown, unknownAt));

    List<String> notes = new ArrayList<>();
    if (!written) {
      notes.add("not written yet");
    }
    List<String> waiting = new ArrayList<>();
    count(
        waiting,
        "new",
        fresh.keySet().stream().filter(k -> !ownFresh.contains(k)).count());
    count(
        waiting, "stale", staleKeys.stream().filter(k -> !ownStale.contains(k)).count());
    count(
        waiting,
        "orphaned",
        orphanKeys.stream().filter(k -> !ownOrphans.contains(k)).count());
    if (!waiting.isEmpty()) {
      notes.add(String.join(", ", waiting) + " from "
          + (causes.size() == 1
              ? causes.iterator().next() + "'s changes"
              : "the changes of " + String.join(" and ", causes)));
    }
    if (unknown > 0) {
      notes.add("? = samples made from " + unknown + " new in " + unknownAt + ", known once "
          + unknownAt + " has run");
    }
    return new Outlook(counts, unknown, String.join("; ", notes));
  }

  private static void count(List<String> out, String label, long n) {
    if (n > 0) {
      out.add(label + " " + n);
    }
  }

  /** Struct keys of this feature's fields that have one of {@code upstream}'s {@code changed} fields as a parent. */
  private static Set<String> affected(FeaturePlan plan, FeatureKey upstream, Set<String> changed) {
    Set<String> out = new LinkedHashSet<>();
    for (FieldSpec f : plan.spec().fields()) {
      for (FieldRef parent : plan.parents().getOrDefault(f.key(), List.of())) {
        if (parent.feature().equals(upstream) && changed.contains(parent.field().structKey())) {
          out.add(f.key().structKey());
        }
      }
    }
    return out;
  }

  /** Records that a stored sample becomes stale, adding to the fields already known to change. */
  private static void markStale(
      Map<List<Object>, Change> stale,
      List<Object> id,
      Map<String, Object> row,
      Set<String> fields) {
    stale.merge(id, new Change(Kind.STALE, row, fields), (a, b) -> {
      Set<String> both = new LinkedHashSet<>(a.fields());
      both.addAll(b.fields());
      return new Change(Kind.STALE, a.row(), both);
    });
  }

  /** The upstream column a downstream join column comes from (the dependency may rename it). */
  private static String upstreamName(FeaturePlan.DepPlan dp, String column) {
    Map<String, String> rename = dp.dep().rename();
    if (rename != null) {
      for (Map.Entry<String, String> e : rename.entrySet()) {
        if (e.getValue().equals(column)) {
          return e.getKey();
        }
      }
    }
    return column;
  }

  private static Map<String, Object> asRow(List<String> columns, List<Object> values) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      row.put(columns.get(i), values.get(i));
    }
    return row;
  }

  private static Map<List<Object>, List<Map<String, Object>>> group(
      List<Map<String, Object>> rows, List<String> columns) {
    Map<List<Object>, List<Map<String, Object>>> out = new LinkedHashMap<>();
    for (Map<String, Object> r : rows) {
      out.computeIfAbsent(project(r, columns), k -> new ArrayList<>()).add(r);
    }
    return out;
  }

  private static Set<List<Object>> joinKeys(
      Collection<Map<String, Object>> rows, List<String> join) {
    Set<List<Object>> out = new LinkedHashSet<>();
    rows.forEach(r -> out.add(project(r, join)));
    return out;
  }

  private static List<Object> project(Map<String, Object> row, List<String> columns) {
    List<Object> out = new ArrayList<>(columns.size());
    for (String c : columns) {
      out.add(row.get(c));
    }
    return out;
  }

  /** The rows of a batch as column → value maps (the sample's data is small). */
  static List<Map<String, Object>> rows(VectorSchemaRoot batch) {
    List<Map<String, Object>> out = new ArrayList<>(batch.getRowCount());
    for (int r = 0; r < batch.getRowCount(); r++) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (FieldVector v : batch.getFieldVectors()) {
        row.put(v.getName(), ArrowBatches.value(v, r));
      }
      out.add(row);
    }
    return out;
  }
}
