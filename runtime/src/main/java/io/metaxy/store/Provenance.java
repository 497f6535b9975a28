package io.metaxy.store;

import static io.metaxy.store.SystemColumns.DATA_VERSION;
import static io.metaxy.store.SystemColumns.DATA_VERSION_BY_FIELD;
import static io.metaxy.store.SystemColumns.PROVENANCE;
import static io.metaxy.store.SystemColumns.PROVENANCE_BY_FIELD;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.Lineage;
import io.metaxy.store.spi.ArrowBatches;
import io.metaxy.versioning.FieldRef;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Sample-level provenance in the JVM (store spec §4.2–§4.5, §4.7): prepares upstream rows (rename,
 * select, lineage), joins them, hashes per-field provenance and compares with current rows.
 *
 * <p>This is the store's own implementation, used until the shared {@code io.metaxy.engine} lands;
 * it follows the same formulas so results are identical. FeatureDep SQL filters are not supported
 * yet (they need {@code io.metaxy.filter}).
 */
final class Provenance {
  private final MetadataStore store;
  private final BufferAllocator allocator;

  Provenance(MetadataStore store, BufferAllocator allocator) {
    this.store = store;
    this.allocator = allocator;
  }

  /** Root feature samples: provenance always recomputed, data versions defaulted (spec §4.1). */
  VectorSchemaRoot fromSamples(FeatureSpec spec, VectorSchemaRoot s) {
    FieldVector pbf = s.getVector(PROVENANCE_BY_FIELD);
    if (pbf == null) {
      throw new IllegalArgumentException(
          "samples for " + spec.key() + " are missing required '" + PROVENANCE_BY_FIELD + "' column");
    }
    List<String> fields = spec.fields().stream().map(f -> f.key().structKey()).toList();
    FieldVector dvbf = s.getVector(DATA_VERSION_BY_FIELD);
    FieldVector dv = s.getVector(DATA_VERSION);
    int n = s.getRowCount();
    List<Map<String, Object>> pbfRows = new ArrayList<>();
    List<Map<String, Object>> dvbfRows = new ArrayList<>();
    List<String> prov = new ArrayList<>();
    List<String> dvs = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      Map<String, Object> p = ArrowBatches.byField(pbf, r);
      String h = store.hashSample(p, fields);
      pbfRows.add(p);
      prov.add(h);
      Map<String, Object> d = dvbf == null ? null : ArrowBatches.byField(dvbf, r);
      dvbfRows.add(d != null ? d : p);
      Object dvCell = dv == null ? null : ArrowBatches.value(dv, r);
      dvs.add(dvCell != null ? dvCell.toString() : d != null ? store.hashSample(d, fields) : h);
    }
    List<FieldVector> out = new ArrayList<>();
    for (FieldVector v : s.getFieldVectors()) {
      if (!SystemColumns.isSystemColumn(v.getName())) {
        out.add(ArrowBatches.copyColumn(v, v.getName(), allocator));
      }
    }
    addProvenance(out, fields, pbfRows, prov, dvbfRows, dvs);
    return ArrowBatches.of(out, n);
  }

  private void addProvenance(
      List<FieldVector> out, List<String> fields, List<Map<String, Object>> pbf, List<String> prov,
      List<Map<String, Object>> dvbf, List<String> dv) {
    out.add(ArrowBatches.byFieldStruct(PROVENANCE_BY_FIELD, fields, pbf, allocator));
    out.add(ArrowBatches.strings(PROVENANCE, prov, allocator));
    out.add(ArrowBatches.byFieldStruct(DATA_VERSION_BY_FIELD, fields, dvbf, allocator));
    out.add(ArrowBatches.strings(DATA_VERSION, dv, allocator));
  }

  /** One dependency's upstream rows after rename, select and lineage. */
  private static final class Prepared {
    final FeatureDep dep;
    final VectorSchemaRoot root;
    final Map<String, FieldVector> columns = new LinkedHashMap<>();
    final List<FieldVector> keys = new ArrayList<>();
    FieldVector dvbf;
    List<Map<String, Object>> aggregated;

    Prepared(FeatureDep dep, VectorSchemaRoot root) {
      this.dep = dep;
      this.root = root;
    }

    Object dataVersion(int row, String field) {
      if (row < 0) {
        return null;
      }
      Map<String, Object> m = aggregated != null ? aggregated.get(row) : ArrowBatches.byField(dvbf, row);
      return m == null ? null : m.get(field);
    }
  }

  /** Expected rows of a non-root feature from its upstream features' current rows. */
  VectorSchemaRoot expected(FeaturePlan plan, Map<FeatureKey, VectorSchemaRoot> upstream) {
    List<String> joinColumns = plan.joinColumns();
    List<Prepared> deps = new ArrayList<>();
    for (FeaturePlan.DepPlan d : plan.deps()) {
      deps.add(prepare(plan, d, upstream.get(d.dep().feature()), joinColumns));
    }
    // Column collisions between deps (outside the join columns) are ambiguous.
    Map<String, FeatureKey> owner = new LinkedHashMap<>();
    for (Prepared p : deps) {
      for (String c : p.columns.keySet()) {
        if (joinColumns.contains(c)) {
          continue;
        }
        FeatureKey previous = owner.putIfAbsent(c, p.dep.feature());
        if (previous != null) {
          throw new IllegalArgumentException(
              "Found column collisions for " + plan.feature() + ": column '" + c + "' comes from " + previous + " and "
                  + p.dep.feature() + " (rename or select to disambiguate)");
        }
      }
    }
    List<int[]> combos = join(deps, plan.allOptional());
    int n = combos.size();
    List<FieldVector> out = new ArrayList<>();
    for (int k = 0; k < joinColumns.size(); k++) {
      out.add(coalesceColumn(joinColumns.get(k), deps, combos, k));
    }
    for (int d = 0; d < deps.size(); d++) {
      int[] rows = column(combos, d);
      for (Map.Entry<String, FieldVector> c : deps.get(d).columns.entrySet()) {
        if (!joinColumns.contains(c.getKey())) {
          FieldVector taken = ArrowBatches.takeColumn(c.getValue(), rows, allocator);
          out.add(rename(taken, c.getKey()));
        }
      }
    }
    List<String> fields = plan.spec().fields().stream().map(f -> f.key().structKey()).toList();
    Map<FeatureKey, Integer> depIndex = new LinkedHashMap<>();
    for (int d = 0; d < deps.size(); d++) {
      depIndex.put(deps.get(d).dep.feature(), d);
    }
    List<Map<String, Object>> pbf = new ArrayList<>(n);
    List<String> prov = new ArrayList<>(n);
    for (int[] combo : combos) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (FieldSpec f : plan.spec().fields()) {
        List<String> parts = new ArrayList<>();
        parts.add(f.key().toString());
        parts.add(f.codeVersion());
        for (FieldRef p : plan.parents().get(f.key())) {
          int d = depIndex.get(p.feature());
          Object v = deps.get(d).dataVersion(combo[d], p.field().structKey());
          parts.add(p.fq());
          parts.add(v == null ? "" : v.toString());
        }
        m.put(f.key().structKey(), store.hash(String.join("|", parts)));
      }
      pbf.add(m);
      prov.add(store.hashSample(m, fields));
    }
    addProvenance(out, fields, pbf, prov, pbf, prov);
    return ArrowBatches.of(out, n);
  }

  private FieldVector rename(FieldVector v, String name) {
    if (v.getName().equals(name)) {
      return v;
    }
    FieldVector renamed = ArrowBatches.copyColumn(v, name, allocator);
    v.close();
    return renamed;
  }

  private static int[] column(List<int[]> combos, int d) {
    int[] rows = new int[combos.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = combos.get(i)[d];
    }
    return rows;
  }

  private FieldVector coalesceColumn(String name, List<Prepared> deps, List<int[]> combos, int keyIndex) {
    FieldVector target = deps.get(0).keys.get(keyIndex).getField().createVector(allocator);
    target = rename(target, name);
    target.allocateNew();
    for (int i = 0; i < combos.size(); i++) {
      int[] combo = combos.get(i);
      for (int d = 0; d < deps.size(); d++) {
        if (combo[d] >= 0) {
          target.copyFromSafe(combo[d], i, deps.get(d).keys.get(keyIndex));
          break;
        }
      }
    }
    target.setValueCount(combos.size());
    return target;
  }

  private Prepared prepare(FeaturePlan plan, FeaturePlan.DepPlan d, VectorSchemaRoot u, List<String> joinColumns) {
    FeatureDep dep = d.dep();
    if (dep.sqlFilters() != null && !dep.sqlFilters().isEmpty()) {
      throw new UnsupportedOperationException(
          "dependency of " + plan.feature() + " on " + dep.feature() + " has SQL filters " + dep.sqlFilters()
              + "; FeatureDep filters are not supported by this store yet");
    }
    Prepared p = new Prepared(dep, u);
    List<String> on = dep.lineage().onColumns();
    List<String> renamedIds = d.renamedUpstreamIdColumns();
    for (FieldVector v : u.getFieldVectors()) {
      String name = v.getName();
      if (name.startsWith("metaxy_")) {
        continue; // system columns never leak into the join (spec §11.9)
      }
      String renamed = dep.renamed(name);
      boolean keep = dep.select() == null || dep.select().contains(renamed) || on.contains(renamed)
          || joinColumns.contains(renamed) || (on.isEmpty() && renamedIds.contains(renamed));
      if (keep) {
        p.columns.put(renamed, v);
      }
    }
    for (String j : joinColumns) {
      FieldVector k = p.columns.get(j);
      if (k == null) {
        throw new IllegalArgumentException(
            "No shared ID columns found: upstream " + dep.feature() + " of " + plan.feature() + " lacks join column '" + j
                + "' (columns after rename: " + p.columns.keySet() + ")");
      }
      p.keys.add(k);
    }
    p.dvbf = ArrowBatches.column(u, DATA_VERSION_BY_FIELD, "upstream " + dep.feature());
    if (dep.lineage() instanceof Lineage.Aggregation) {
      p.aggregated = aggregate(p, d);
    }
    return p;
  }

  /**
   * Aggregation lineage: per group of the join columns, each upstream field's data versions are
   * concatenated with {@code |} in upstream id order and hashed; every row of the group carries the
   * result (rows are not collapsed).
   */
  private List<Map<String, Object>> aggregate(Prepared p, FeaturePlan.DepPlan d) {
    int n = p.root.getRowCount();
    List<FieldVector> ids = ArrowBatches.columns(p.root, d.upstream().idColumns(), "upstream " + d.dep().feature());
    Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
    for (int r = 0; r < n; r++) {
      groups.computeIfAbsent(ArrowBatches.key(p.keys, r), k -> new ArrayList<>()).add(r);
    }
    List<String> fields = d.upstream().fields().stream().map(f -> f.key().structKey()).toList();
    List<Map<String, Object>> out = new ArrayList<>(java.util.Collections.nCopies(n, null));
    for (List<Integer> rows : groups.values()) {
      rows.sort(Comparator.comparing(r -> ArrowBatches.key(ids, r), Provenance::compareKeys));
      Map<String, Object> m = new LinkedHashMap<>();
      for (String f : fields) {
        List<String> values = new ArrayList<>();
        for (int r : rows) {
          Map<String, Object> dv = ArrowBatches.byField(p.dvbf, r);
          Object v = dv == null ? null : dv.get(f);
          values.add(v == null ? "" : v.toString());
        }
        m.put(f, store.hash(String.join("|", values)));
      }
      for (int r : rows) {
        out.set(r, m);
      }
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareKeys(List<Object> a, List<Object> b) {
    for (int i = 0; i < a.size(); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      if (x == null || y == null) {
        if (x != y) {
          return x == null ? -1 : 1;
        }
        continue;
      }
      int c = x instanceof Comparable && x.getClass() == y.getClass()
          ? ((Comparable) x).compareTo(y)
          : x.toString().compareTo(y.toString());
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Inner joins required deps, left joins optional ones; full outer join when all are optional. */
  private static List<int[]> join(List<Prepared> deps, boolean allOptional) {
    int k = deps.size();
    List<Map<List<Object>, List<Integer>>> index = new ArrayList<>();
    for (Prepared p : deps) {
      Map<List<Object>, List<Integer>> m = new LinkedHashMap<>();
      for (int r = 0; r < p.root.getRowCount(); r++) {
        m.computeIfAbsent(ArrowBatches.key(p.keys, r), x -> new ArrayList<>()).add(r);
      }
      index.add(m);
    }
    List<int[]> combos = new ArrayList<>();
    if (allOptional) {
      Set<List<Object>> keys = new java.util.LinkedHashSet<>();
      index.forEach(m -> keys.addAll(m.keySet()));
      for (List<Object> key : keys) {
        List<int[]> partial = new ArrayList<>();
        partial.add(filled(k));
        for (int d = 0; d < k; d++) {
          partial = expand(partial, d, index.get(d).get(key), true);
        }
        combos.addAll(partial);
      }
      return combos;
    }
    int first = -1;
    for (int d = 0; d < k; d++) {
      if (!deps.get(d).dep.optional()) {
        first = d;
        break;
      }
    }
    for (int r = 0; r < deps.get(first).root.getRowCount(); r++) {
      int[] c = filled(k);
      c[first] = r;
      combos.add(c);
    }
    List<Integer> order = new ArrayList<>();
    for (int d = 0; d < k; d++) {
      if (d != first && !deps.get(d).dep.optional()) {
        order.add(d);
      }
    }
    for (int d = 0; d < k; d++) {
      if (deps.get(d).dep.optional()) {
        order.add(d);
      }
    }
    Prepared base = deps.get(first);
    for (int d : order) {
      List<int[]> next = new ArrayList<>();
      for (int[] c : combos) {
        List<Integer> matches = index.get(d).get(ArrowBatches.key(base.keys, c[first]));
        next.addAll(expand(List.of(c), d, matches, deps.get(d).dep.optional()));
      }
      combos = next;
    }
    return combos;
  }

  private static int[] filled(int k) {
    int[] c = new int[k];
    java.util.Arrays.fill(c, -1);
    return c;
  }

  private static List<int[]> expand(List<int[]> partial, int d, List<Integer> matches, boolean keepUnmatched) {
    List<int[]> out = new ArrayList<>();
    for (int[] c : partial) {
      if (matches == null || matches.isEmpty()) {
        if (keepUnmatched) {
          out.add(c);
        }
        continue;
      }
      for (int r : matches) {
        int[] x = c.clone();
        x[d] = r;
        out.add(x);
      }
    }
    return out;
  }

  /** Compares expected rows with current rows on the join columns (spec §4.5). */
  Increment diff(
      VectorSchemaRoot expected, VectorSchemaRoot current, List<String> joinColumns, List<RowFilter> predicates,
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
      cur = ArrowBatches.take(current, first.values().stream().mapToInt(Integer::intValue).toArray(), allocator);
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
      BitSet byPredicate = predicates.isEmpty() ? new BitSet() : RowFilter.or(predicates).evaluate(cur);
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
