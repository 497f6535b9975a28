package io.metaxy.engine;

import io.metaxy.SystemColumns;
import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.Lineage;
import io.metaxy.versioning.FieldRef;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample-level versioning engine (versioning spec §4–§5, store spec §4): computes the expected
 * provenance of a feature's samples from its upstream rows and compares it with the stored rows.
 *
 * <p>Batches follow the conventions of {@link io.metaxy.engine}. Upstream batches must already hold
 * only the rows to consider (current feature version, latest per id, not deleted, dependency filters
 * applied). Input batches are never modified; result batches are new and owned by the caller, though
 * unchanged columns share buffers (reference counted) with inputs allocated under the same root
 * allocator as the engine's allocator.
 *
 * <p>Thread-safe: the per-row phases split rows into chunks processed on the common fork-join pool.
 */
public final class VersioningEngine {
  private static final Logger LOG = LoggerFactory.getLogger(VersioningEngine.class);
  private static final String RIGHT_SUFFIX = "_right";

  private final FeatureGraph graph;
  private final HashAlgorithm algorithm;
  private final Truncation truncation;
  private final BufferAllocator allocator;
  private final Map<FeatureKey, FeaturePlan> plans = new ConcurrentHashMap<>();
  /** Keeps the JIT from dropping the cache-warming loads of {@link KeyTable#ahead}. */
  @SuppressWarnings("unused")
  private volatile long touchSink;

  /**
   * An engine for one graph and hash configuration.
   *
   * @param allocator where result batches are allocated
   */
  public VersioningEngine(FeatureGraph graph, HashAlgorithm algorithm, Truncation truncation, BufferAllocator allocator) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.truncation = Objects.requireNonNull(truncation, "truncation");
    this.allocator = Objects.requireNonNull(allocator, "allocator");
  }

  /** The plan (join columns, field parents) the engine uses for {@code target}. */
  public FeaturePlan plan(FeatureKey target) {
    return plans.computeIfAbsent(target, k -> FeaturePlan.of(graph, k));
  }

  /**
   * The columns expected and current rows of {@code target} are compared on: the plan's join columns,
   * which for a root feature are its id columns.
   */
  public List<String> joinColumns(FeatureKey target) {
    return plan(target).joinColumns();
  }

  /**
   * The expected rows of {@code target} computed from its upstreams' current rows: the join columns and
   * carried upstream columns, then {@code metaxy_provenance_by_field}, {@code metaxy_provenance},
   * {@code metaxy_data_version_by_field} and {@code metaxy_data_version}.
   *
   * @param upstream the rows of each dependency, keyed by upstream feature; an optional dependency may
   *     be absent (its values then count as missing)
   * @throws MetaxyException for a root feature, a missing required upstream, or an upstream batch that
   *     lacks a column the plan needs (named in the message)
   */
  public VectorSchemaRoot expected(FeatureKey target, Map<FeatureKey, VectorSchemaRoot> upstream) {
    FeaturePlan plan = plan(target);
    if (plan.deps().isEmpty()) {
      throw new MetaxyException("feature " + target + " is a root feature: its samples come from the caller"
          + " (use expectedFromSamples)");
    }
    long t0 = System.nanoTime();
    List<ValueVector> scratch = new ArrayList<>();
    try {
      List<Frame> required = new ArrayList<>();
      List<Frame> optional = new ArrayList<>();
      List<FeatureKey> requiredKeys = new ArrayList<>();
      List<FeatureKey> optionalKeys = new ArrayList<>();
      for (FeaturePlan.DepPlan d : plan.deps()) {
        FeatureKey up = d.dep().feature();
        VectorSchemaRoot rows = upstream.get(up);
        if (rows == null) {
          if (d.dep().optional()) {
            continue;
          }
          throw new MetaxyException("expected rows of " + target + " need the rows of its upstream " + up
              + " (got upstream batches for " + upstream.keySet() + ")");
        }
        Frame f = prepare(target, d, rows, scratch);
        (d.dep().optional() ? optional : required).add(f);
        (d.dep().optional() ? optionalKeys : requiredKeys).add(up);
      }
      Frame joined = join(target, plan, required, requiredKeys, optional, optionalKeys);
      long t1 = System.nanoTime();
      VectorSchemaRoot out = provenance(plan, joined);
      LOG.debug("expected {}: {} rows, prepare+join {} ms, provenance {} ms", target, joined.rows,
          (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
      return out;
    } finally {
      scratch.forEach(ValueVector::close);
    }
  }

  /**
   * The expected rows of a feature from user-supplied samples (always for a root feature; for other
   * features they replace upstream loading): {@code metaxy_provenance} is recomputed from
   * {@code metaxy_provenance_by_field} and the data versions are defaulted
   * ({@link io.metaxy.engine.ProvenanceColumns#completeSamples}).
   */
  public VectorSchemaRoot expectedFromSamples(FeatureKey target, VectorSchemaRoot samples) {
    return ProvenanceColumns.completeSamples(samples, graph.spec(target), algorithm, truncation, allocator);
  }

  /**
   * Provenance for rows the caller joined itself (store spec §1.8 {@code compute_provenance}): for each
   * dependency U, {@code rows} must hold {@code metaxy_data_version_by_field__<U parts joined by _>}.
   * The renamed upstream {@code *_by_field} and provenance columns are dropped (a renamed
   * {@code metaxy_data_version__<suffix>} is kept), other columns are carried, and the four versioning
   * columns of {@code target} are (re)computed. For a root feature every row gets the same values.
   *
   * @throws MetaxyException naming the missing upstream columns
   */
  public VectorSchemaRoot computeProvenance(FeatureKey target, VectorSchemaRoot rows) {
    FeaturePlan plan = plan(target);
    Set<String> dropped = new LinkedHashSet<>(List.of(SystemColumns.PROVENANCE_BY_FIELD, SystemColumns.PROVENANCE,
        SystemColumns.DATA_VERSION_BY_FIELD, SystemColumns.DATA_VERSION));
    LinkedHashMap<FeatureKey, Map<String, Col>> dvs = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (FeaturePlan.DepPlan d : plan.deps()) {
      String suffix = d.dep().feature().columnSuffix();
      String name = SystemColumns.DATA_VERSION_BY_FIELD + suffix;
      dropped.add(name);
      dropped.add(SystemColumns.PROVENANCE_BY_FIELD + suffix);
      dropped.add(SystemColumns.PROVENANCE + suffix);
      FieldVector v = rows.getVector(name);
      if (v == null) {
        missing.add(name);
        continue;
      }
      if (!(v instanceof StructVector s)) {
        throw new MetaxyException("column '" + name + "' must be a struct, got " + v.getField().getType());
      }
      Map<String, Col> dv = new LinkedHashMap<>();
      for (FieldVector child : s.getChildrenFromFields()) {
        dv.put(child.getName(), new Col(child.getName(), child, s, null, null));
      }
      dvs.put(d.dep().feature(), dv);
    }
    if (!missing.isEmpty()) {
      throw new MetaxyException("rows for " + target + " are missing required upstream columns " + missing
          + "; columns present: " + ProvenanceColumns.columnNames(rows));
    }
    LinkedHashMap<String, Col> cols = new LinkedHashMap<>();
    for (FieldVector v : rows.getFieldVectors()) {
      if (!dropped.contains(v.getName())) {
        cols.put(v.getName(), Col.of(v.getName(), v));
      }
    }
    return provenance(plan, new Frame(rows.getRowCount(), cols, dvs));
  }

  /**
   * Compares expected with current rows of {@code target} on {@link #joinColumns} (store spec §4.5).
   * For expansion lineage the current (child) rows are first collapsed to one row per join key, each
   * column taking the first non-null value among the key's rows.
   *
   * @param current the stored rows (join columns and {@code metaxy_provenance} at least), or null when
   *     the feature has no stored rows
   */
  public IncrementBatches diff(FeatureKey target, VectorSchemaRoot expected, VectorSchemaRoot current) {
    FeaturePlan plan = plan(target);
    List<String> on = plan.joinColumns();
    int en = expected.getRowCount();
    if (current == null) {
      return new IncrementBatches(
          rows(expected, null, en), rows(expected, new int[0], 0), rows(expected, new int[0], 0));
    }
    List<Col> ek = keyCols(expected, on, "expected rows of " + target);
    List<Col> ck = keyCols(current, on, "current rows of " + target);
    Col eProv = Col.of(SystemColumns.PROVENANCE, need(expected, SystemColumns.PROVENANCE, "expected rows of " + target));
    Col cProv = Col.of(SystemColumns.PROVENANCE, need(current, SystemColumns.PROVENANCE, "current rows of " + target));
    int cn = current.getRowCount();
    int[] reps = null;
    int[] gid = null;
    if (plan.deps().stream().anyMatch(d -> d.dep().lineage() instanceof Lineage.Expansion)) {
      gid = KeyTable.groupIds(ck, cn);
      int groups = 0;
      for (int g : gid) {
        groups = Math.max(groups, g + 1);
      }
      reps = new int[groups];
      int[] provRow = new int[groups];
      Arrays.fill(reps, -1);
      Arrays.fill(provRow, -1);
      for (int r = 0; r < cn; r++) {
        int g = gid[r];
        if (reps[g] < 0) {
          reps[g] = r;
        }
        if (provRow[g] < 0 && !cProv.isNull(r)) {
          provRow[g] = r;
        }
      }
      List<Col> remapped = new ArrayList<>();
      for (Col c : ck) {
        remapped.add(c.remap(reps));
      }
      ck = remapped;
      cProv = cProv.remap(provRow);
      cn = groups;
    }
    long t0 = System.nanoTime();
    int[][] split = gid == null && MergeKeys.applicable(ek, en, ck, cn)
        ? mergeDiff(ek, en, eProv, ck, cn, cProv)
        : hashDiff(ek, en, eProv, ck, cn, cProv);
    int[] n = split[0];
    int[] s = split[1];
    int[] o = split[2];
    long t2 = System.nanoTime();
    VectorSchemaRoot newRows = rows(expected, n, n.length);
    try {
      VectorSchemaRoot staleRows = rows(expected, s, s.length);
      try {
        VectorSchemaRoot orphaned = gid == null ? rows(current, o, o.length) : collapsed(current, gid, cn, o);
        IncrementBatches result = new IncrementBatches(newRows, staleRows, orphaned);
        LOG.debug("diff {}: match {} ms, gather {} ms", target, (t2 - t0) / 1_000_000,
            (System.nanoTime() - t2) / 1_000_000);
        return result;
      } catch (RuntimeException e) {
        staleRows.close();
        throw e;
      }
    } catch (RuntimeException e) {
      newRows.close();
      throw e;
    }
  }

  /** Whether a matched current row is stale: its provenance is null or differs (exact comparison). */
  private static boolean stale(Col eProv, int r, Col cProv, int j) {
    return cProv.isNull(j) || !eProv.sameValue(r, cProv, j);
  }

  /** New, stale and orphaned row numbers of two key-sorted sides, by a linear merge. */
  private static int[][] mergeDiff(List<Col> ek, int en, Col eProv, List<Col> ck, int cn, Col cProv) {
    IntList nw = new IntList();
    IntList st = new IntList();
    IntList or = new IntList();
    int i = 0;
    int j = 0;
    while (i < en && j < cn) {
      int c = MergeKeys.compare(ek, i, ck, j);
      if (c < 0) {
        nw.add(i++);
      } else if (c > 0) {
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
    return new int[][] {nw.toArray(), st.toArray(), or.toArray()};
  }

  /** New, stale and orphaned row numbers by a hash table over the current keys, probed in parallel. */
  private int[][] hashDiff(List<Col> ek, int en, Col eProv, List<Col> ck, int cn, Col cProv) {
    KeyTable table = new KeyTable(ck, cn, true);
    int[] eh = KeyTable.hashRows(ek, en);
    int chunks = Parallel.chunks(en);
    IntList[] news = new IntList[chunks];
    IntList[] stales = new IntList[chunks];
    boolean[] matched = new boolean[cn];
    Parallel.forChunks(en, (c, from, to) -> {
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
      news[c] = nw;
      stales[c] = st;
      touchSink = touched;
    });
    IntList orphans = new IntList();
    for (int j = 0; j < cn; j++) {
      if (!matched[j]) {
        orphans.add(j);
      }
    }
    return new int[][] {IntList.concat(news), IntList.concat(stales), orphans.toArray()};
  }

  // ---------------------------------------------------------------------------------------------
  // preparation (versioning spec §4.2, §5)

  private Frame prepare(FeatureKey target, FeaturePlan.DepPlan d, VectorSchemaRoot rows, List<ValueVector> scratch) {
    FeatureDep dep = d.dep();
    FeatureKey up = dep.feature();
    String what = "upstream " + up + " of " + target;
    LinkedHashMap<String, Col> cols = new LinkedHashMap<>();
    Map<String, Col> dv = null;
    for (FieldVector v : rows.getFieldVectors()) {
      String name = v.getName();
      if (ProvenanceColumns.DROPPED_FROM_UPSTREAM.contains(name)
          || name.equals(SystemColumns.PROVENANCE_BY_FIELD)
          || name.equals(SystemColumns.PROVENANCE)
          || name.equals(SystemColumns.DATA_VERSION)) {
        // The provenance columns of upstream rows never reach the result; only data versions feed hashes.
        continue;
      }
      if (name.equals(SystemColumns.DATA_VERSION_BY_FIELD)) {
        if (!(v instanceof StructVector s)) {
          throw new MetaxyException("column '" + name + "' of " + what + " must be a struct, got " + v.getField().getType());
        }
        dv = new LinkedHashMap<>();
        for (FieldVector child : s.getChildrenFromFields()) {
          dv.put(child.getName(), new Col(child.getName(), child, s, null, null));
        }
        continue;
      }
      String renamed = dep.renamed(name);
      if (cols.containsKey(renamed)) {
        throw new MetaxyException(what + ": two columns are named '" + renamed + "' after renaming");
      }
      cols.put(renamed, Col.of(renamed, v));
    }
    if (dv == null) {
      throw new MetaxyException(what + " has no '" + SystemColumns.DATA_VERSION_BY_FIELD + "' column; columns: "
          + ProvenanceColumns.columnNames(rows));
    }
    Lineage lineage = dep.lineage();
    List<String> renamedIds = d.renamedUpstreamIdColumns();
    if (dep.select() != null) {
      LinkedHashSet<String> keep = new LinkedHashSet<>(dep.select());
      List<String> on = lineage.onColumns();
      on.forEach(c -> keep.add(dep.renamed(c)));
      if (on.isEmpty()) {
        keep.addAll(renamedIds);
      }
      LinkedHashMap<String, Col> selected = new LinkedHashMap<>();
      for (String c : keep) {
        Col col = cols.get(c);
        if (col == null) {
          throw new MetaxyException(what + ": selected column '" + c + "' is not in the upstream rows (columns after"
              + " rename: " + cols.keySet() + ")");
        }
        selected.put(c, col);
      }
      cols = selected;
    }
    int n = rows.getRowCount();
    if (lineage instanceof Lineage.Aggregation) {
      List<Col> group = new ArrayList<>();
      for (String c : d.inputIdColumns()) {
        Col col = cols.get(c);
        if (col == null) {
          throw new MetaxyException(what + ": aggregation column '" + c + "' is not in the upstream rows (columns: "
              + cols.keySet() + ")");
        }
        group.add(col);
      }
      List<Col> order = new ArrayList<>();
      for (String c : renamedIds) {
        if (cols.containsKey(c)) {
          order.add(cols.get(c));
        }
      }
      dv = aggregate(d.upstream(), n, group, order.isEmpty() ? group : order, dv, scratch);
    }
    LinkedHashMap<FeatureKey, Map<String, Col>> dvs = new LinkedHashMap<>();
    dvs.put(up, dv);
    return new Frame(n, cols, dvs);
  }

  /**
   * Aggregation lineage: per group, per upstream field, the group's data versions ordered by the
   * upstream id columns are joined with "|" (nulls skipped) and hashed. Rows are kept; every row of a
   * group points at its group's values.
   */
  private Map<String, Col> aggregate(
      FeatureSpec upstream, int n, List<Col> group, List<Col> order, Map<String, Col> dv, List<ValueVector> scratch) {
    int[] gid = KeyTable.groupIds(group, n);
    int groups = 0;
    for (int g : gid) {
      groups = Math.max(groups, g + 1);
    }
    int[] perm = IntStream.range(0, n).toArray();
    IntSort.sort(perm, (a, b) -> {
      int c = Integer.compare(gid[a], gid[b]);
      for (int i = 0; c == 0 && i < order.size(); i++) {
        c = order.get(i).compare(a, b);
      }
      return c;
    });
    Map<String, Col> out = new LinkedHashMap<>();
    var hasher = algorithm.newHasher();
    int limit = truncation.length() == 0 ? Integer.MAX_VALUE : truncation.length();
    byte[] digest = new byte[io.metaxy.versioning.hash.SampleHasher.MAX_LENGTH];
    ByteBuf buf = new ByteBuf(256);
    for (FieldSpec f : upstream.fields()) {
      String key = f.key().structKey();
      Col values = dv.get(key);
      Utf8Out res = new Utf8Out(groups, 20);
      int i = 0;
      while (i < n) {
        int g = gid[perm[i]];
        buf.len = 0;
        boolean any = false;
        for (; i < n && gid[perm[i]] == g; i++) {
          int mark = buf.len;
          if (any) {
            buf.ensure(1);
            buf.a[buf.len++] = '|';
          }
          if (values != null && values.appendText(perm[i], buf)) {
            any = true;
          } else {
            buf.len = mark;
          }
        }
        if (any) {
          int len = Math.min(limit, hasher.hash(buf.a, 0, buf.len, digest, 0));
          res.add(digest, 0, len);
        } else {
          res.addNull();
        }
      }
      VarCharVector v = new VarCharVector(key, allocator);
      scratch.add(v);
      Utf8Out.assemble(v, new Utf8Out[] {res}, groups);
      out.put(key, new Col(key, v, null, gid, null));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // joins

  private enum How {
    INNER,
    LEFT,
    FULL
  }

  private Frame join(
      FeatureKey target,
      FeaturePlan plan,
      List<Frame> required,
      List<FeatureKey> requiredKeys,
      List<Frame> optional,
      List<FeatureKey> optionalKeys) {
    List<String> on = plan.joinColumns();
    List<Frame> frames = new ArrayList<>(required);
    frames.addAll(optional);
    List<FeatureKey> keys = new ArrayList<>(requiredKeys);
    keys.addAll(optionalKeys);
    if (frames.isEmpty()) {
      throw new MetaxyException("expected rows of " + target + ": every dependency is optional and none has rows");
    }
    for (int i = 0; i < frames.size(); i++) {
      for (String c : on) {
        if (!frames.get(i).columns.containsKey(c)) {
          throw new MetaxyException("expected rows of " + target + ": join column '" + c + "' is missing from upstream "
              + keys.get(i) + " (columns: " + frames.get(i).columns.keySet() + "); no shared id columns");
        }
      }
    }
    checkCollisions(target, plan, frames, keys);
    boolean allOptional = required.isEmpty();
    Frame acc = frames.get(0);
    for (int i = 1; i < frames.size(); i++) {
      How how = i < required.size() ? How.INNER : (allOptional ? How.FULL : How.LEFT);
      acc = join(acc, frames.get(i), on, how);
    }
    return acc;
  }

  /** Store spec §4.2 step 6: a user column may come from one dependency only. */
  private static void checkCollisions(FeatureKey target, FeaturePlan plan, List<Frame> frames, List<FeatureKey> keys) {
    Set<String> exempt = new LinkedHashSet<>(plan.joinColumns());
    for (FeaturePlan.DepPlan d : plan.deps()) {
      exempt.addAll(d.renamedUpstreamIdColumns());
    }
    Map<String, FeatureKey> seen = new LinkedHashMap<>();
    for (int i = 0; i < frames.size(); i++) {
      for (String c : frames.get(i).columns.keySet()) {
        if (exempt.contains(c) || c.startsWith("metaxy_")) {
          continue;
        }
        FeatureKey prev = seen.putIfAbsent(c, keys.get(i));
        if (prev != null) {
          throw new MetaxyException("Found column collisions in the upstream rows of " + target + ": column '" + c
              + "' comes from both " + prev + " and " + keys.get(i) + "; rename or deselect it in one dependency");
        }
      }
    }
  }

  private Frame join(Frame left, Frame right, List<String> on, How how) {
    List<Col> lk = on.stream().map(left.columns::get).toList();
    List<Col> rk = on.stream().map(right.columns::get).toList();
    boolean merge = MergeKeys.applicable(lk, left.rows, rk, right.rows);
    int[] lmap;
    int[] rmap;
    int rows;
    boolean leftIdentity;
    boolean rightIdentity;
    if (merge && left.rows == right.rows && MergeKeys.sameRows(lk, rk, left.rows)) {
      // Both sides hold the same ids in the same order (upstreams read in id order): every row matches
      // itself, whatever the join type, and no row mapping is built at all.
      lmap = null;
      rmap = null;
      rows = left.rows;
      leftIdentity = true;
      rightIdentity = true;
    } else {
      int[][] maps = merge
          ? mergeJoin(lk, left.rows, rk, right.rows, how)
          : hashJoin(lk, left.rows, rk, right.rows, how);
      lmap = maps[0];
      rmap = maps[1];
      rows = lmap.length;
      // Every left row matched exactly once, in order: left columns need no remapping (and stay zero-copy).
      leftIdentity = lmap.length == left.rows && isIdentity(lmap);
      rightIdentity = rmap.length == right.rows && isIdentity(rmap);
    }
    LinkedHashMap<String, Col> cols = new LinkedHashMap<>();
    for (Map.Entry<String, Col> e : left.columns.entrySet()) {
      Col c = leftIdentity ? e.getValue() : e.getValue().remap(lmap);
      if (how == How.FULL && on.contains(e.getKey()) && !(leftIdentity && rightIdentity)) {
        c = c.withFallback(right.columns.get(e.getKey()).remap(rmap));
      }
      cols.put(e.getKey(), c);
    }
    for (Map.Entry<String, Col> e : right.columns.entrySet()) {
      if (on.contains(e.getKey())) {
        continue;
      }
      String name = cols.containsKey(e.getKey()) ? e.getKey() + RIGHT_SUFFIX : e.getKey();
      cols.put(name, (rightIdentity ? e.getValue() : e.getValue().remap(rmap)).renamed(name));
    }
    LinkedHashMap<FeatureKey, Map<String, Col>> dvs = new LinkedHashMap<>();
    if (leftIdentity) {
      dvs.putAll(left.dataVersions);
    } else {
      remapAll(left.dataVersions, lmap, dvs);
    }
    if (rightIdentity) {
      dvs.putAll(right.dataVersions);
    } else {
      remapAll(right.dataVersions, rmap, dvs);
    }
    return new Frame(rows, cols, dvs);
  }

  /** Left and right row numbers of the joined rows, by a hash table over the right keys. */
  private int[][] hashJoin(List<Col> lk, int leftRows, List<Col> rk, int rightRows, How how) {
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
    return new int[][] {lmap, rmap};
  }

  /** Left and right row numbers of the joined rows of two key-sorted sides, by a linear merge. */
  private static int[][] mergeJoin(List<Col> lk, int leftRows, List<Col> rk, int rightRows, How how) {
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
    return new int[][] {li.toArray(), ri.toArray()};
  }

  private static boolean isIdentity(int[] map) {
    for (int i = 0; i < map.length; i++) {
      if (map[i] != i) {
        return false;
      }
    }
    return true;
  }

  private static void remapAll(
      Map<FeatureKey, Map<String, Col>> from, int[] map, Map<FeatureKey, Map<String, Col>> into) {
    for (Map.Entry<FeatureKey, Map<String, Col>> e : from.entrySet()) {
      Map<String, Col> m = new LinkedHashMap<>();
      e.getValue().forEach((k, c) -> m.put(k, c.remap(map)));
      into.put(e.getKey(), m);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // provenance (versioning spec §4.3, §4.4)

  private VectorSchemaRoot provenance(FeaturePlan plan, Frame frame) {
    FeatureSpec spec = plan.spec();
    List<FieldSpec> fields = spec.fields();
    List<HashKernel.Template> templates = new ArrayList<>();
    for (FieldSpec f : fields) {
      List<FieldRef> parents = plan.parents().get(f.key());
      byte[][] consts = new byte[parents.size() + 1][];
      Col[] cols = new Col[parents.size()];
      boolean[] empty = new boolean[parents.size()];
      String head = f.key() + "|" + f.codeVersion();
      for (int i = 0; i < parents.size(); i++) {
        FieldRef p = parents.get(i);
        String seg = "|" + p.fq() + "|";
        consts[i] = utf8(seg);
        empty[i] = spec.dep(p.feature()).map(FeatureDep::optional).orElse(false);
        Map<String, Col> dv = frame.dataVersions.get(p.feature());
        if (dv != null) {
          cols[i] = dv.get(p.field().structKey());
          if (cols[i] == null) {
            throw new MetaxyException("field " + f.key() + " of " + spec.key() + " hashes " + p.fq() + ", but the '"
                + SystemColumns.DATA_VERSION_BY_FIELD + "' struct of upstream " + p.feature() + " has no field '"
                + p.field().structKey() + "' (fields: " + dv.keySet() + ")");
          }
        }
      }
      consts[parents.size()] = new byte[0];
      templates.add(new HashKernel.Template(utf8(head), consts, cols, empty));
    }
    int[] combine = IntStream.range(0, fields.size())
        .boxed()
        .sorted(Comparator.comparing(i -> fields.get(i).key().structKey()))
        .mapToInt(Integer::intValue)
        .toArray();
    int n = frame.rows;
    List<FieldVector> out = new ArrayList<>();
    try {
      out.addAll(gatherAll(new ArrayList<>(frame.columns.values()), n));
      StructVector byField = byFieldStruct(SystemColumns.PROVENANCE_BY_FIELD, fields, n);
      out.add(byField);
      VarCharVector prov = new VarCharVector(SystemColumns.PROVENANCE, allocator);
      out.add(prov);
      List<VarCharVector> outputs = new ArrayList<>();
      for (FieldVector child : byField.getChildrenFromFields()) {
        outputs.add((VarCharVector) child);
      }
      outputs.add(prov);
      HashKernel.run(n, templates, combine, algorithm, truncation, outputs);
      // Every row of the struct is defined (null field values live in the children).
      MemoryUtil.setMemory(byField.getValidityBuffer().memoryAddress(), (n + 7) / 8, (byte) 0xFF);
      byField.setValueCount(n);
      // Data versions equal the provenance here: share the buffers instead of copying them.
      out.add(Gather.column(Col.of(SystemColumns.DATA_VERSION_BY_FIELD, byField), n, allocator));
      out.add(Gather.column(Col.of(SystemColumns.DATA_VERSION, prov), n, allocator));
      return new VectorSchemaRoot(out);
    } catch (RuntimeException e) {
      out.stream().filter(Objects::nonNull).forEach(FieldVector::close);
      throw e;
    }
  }

  /** An empty struct of one UTF-8 child per field, in spec order; the kernel fills the children. */
  private StructVector byFieldStruct(String name, List<FieldSpec> fields, int n) {
    List<Field> children = new ArrayList<>();
    for (FieldSpec f : fields) {
      children.add(new Field(f.key().structKey(), FieldType.nullable(ArrowType.Utf8.INSTANCE), null));
    }
    Field field = new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children);
    StructVector s = (StructVector) field.createVector(allocator);
    try {
      s.setInitialCapacity(Math.max(1, n));
      s.allocateNew();
      for (FieldVector child : s.getChildrenFromFields()) {
        child.clear();
      }
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static FieldVector need(VectorSchemaRoot root, String column, String what) {
    FieldVector v = root.getVector(column);
    if (v == null) {
      throw new MetaxyException(what + " have no '" + column + "' column; columns: " + ProvenanceColumns.columnNames(root));
    }
    return v;
  }

  private static List<Col> keyCols(VectorSchemaRoot root, List<String> on, String what) {
    List<Col> cols = new ArrayList<>();
    for (String c : on) {
      cols.add(Col.of(c, need(root, c, what)));
    }
    return cols;
  }

  /** The rows {@code idx} (all rows when null) of every column of {@code root}, as a new batch. */
  private VectorSchemaRoot rows(VectorSchemaRoot root, int[] idx, int n) {
    List<FieldVector> vs = root.getFieldVectors();
    // A column that shares every buffer with an earlier one (the expected batch's data versions share
    // the provenance's) is gathered once and shared again, instead of copied twice.
    int[] sameAs = new int[vs.size()];
    List<Col> cols = new ArrayList<>();
    List<Integer> gathered = new ArrayList<>();
    for (int i = 0; i < vs.size(); i++) {
      sameAs[i] = -1;
      for (int k = 0; k < i && sameAs[i] < 0; k++) {
        if (sameAs[k] < 0 && sameBuffers(vs.get(k), vs.get(i))) {
          sameAs[i] = k;
        }
      }
      if (sameAs[i] < 0) {
        Col c = Col.of(vs.get(i).getName(), vs.get(i));
        cols.add(idx == null ? c : c.remap(idx));
        gathered.add(i);
      }
    }
    List<FieldVector> built = gatherAll(cols, n);
    FieldVector[] out = new FieldVector[vs.size()];
    for (int g = 0; g < gathered.size(); g++) {
      out[gathered.get(g)] = built.get(g);
    }
    try {
      for (int i = 0; i < vs.size(); i++) {
        if (sameAs[i] >= 0) {
          out[i] = Gather.column(Col.of(vs.get(i).getName(), out[sameAs[i]]), n, allocator);
        }
      }
    } catch (RuntimeException e) {
      Arrays.stream(out).filter(Objects::nonNull).forEach(FieldVector::close);
      throw e;
    }
    VectorSchemaRoot r = new VectorSchemaRoot(Arrays.asList(out));
    r.setRowCount(n);
    return r;
  }

  /** Whether two vectors are views of the same memory: same type and value count, every buffer shared. */
  private static boolean sameBuffers(FieldVector a, FieldVector b) {
    if (a.getClass() != b.getClass()
        || a.getValueCount() != b.getValueCount()
        || !a.getField().getType().equals(b.getField().getType())) {
      return false;
    }
    List<org.apache.arrow.memory.ArrowBuf> ab = a.getFieldBuffers();
    List<org.apache.arrow.memory.ArrowBuf> bb = b.getFieldBuffers();
    if (ab.size() != bb.size()) {
      return false;
    }
    boolean anyMemory = false;
    for (int i = 0; i < ab.size(); i++) {
      // Addresses only: a shared buffer may be a shorter slice (zero-copy transfer) of the other.
      boolean aHas = ab.get(i).capacity() > 0;
      if (aHas != (bb.get(i).capacity() > 0) || (aHas && ab.get(i).memoryAddress() != bb.get(i).memoryAddress())) {
        return false;
      }
      anyMemory |= aHas;
    }
    List<FieldVector> ac = a.getChildrenFromFields();
    List<FieldVector> bc = b.getChildrenFromFields();
    if (ac.size() != bc.size()) {
      return false;
    }
    for (int i = 0; i < ac.size(); i++) {
      if (!ac.get(i).getName().equals(bc.get(i).getName()) || !sameBuffers(ac.get(i), bc.get(i))) {
        return false;
      }
    }
    return anyMemory || !ac.isEmpty();
  }

  /**
   * One row per listed group of {@code current}: each column takes the first non-null value of the
   * group's rows (the reference's {@code any_value} over collapsed expansion children).
   */
  private VectorSchemaRoot collapsed(VectorSchemaRoot current, int[] gid, int groups, int[] listed) {
    List<Col> cols = new ArrayList<>();
    int rows = current.getRowCount();
    for (FieldVector v : current.getFieldVectors()) {
      Col c = Col.of(v.getName(), v);
      int[] first = new int[groups];
      Arrays.fill(first, -1);
      for (int r = 0; r < rows; r++) {
        if (first[gid[r]] < 0 && !c.isNull(r)) {
          first[gid[r]] = r;
        }
      }
      int[] map = new int[listed.length];
      for (int i = 0; i < listed.length; i++) {
        map[i] = first[listed[i]];
      }
      cols.add(c.remap(map));
    }
    VectorSchemaRoot r = new VectorSchemaRoot(gatherAll(cols, listed.length));
    r.setRowCount(listed.length);
    return r;
  }

  /** Builds the result vectors of {@code cols}, one column per task; on failure none is left open. */
  private List<FieldVector> gatherAll(List<Col> cols, int n) {
    FieldVector[] out = new FieldVector[cols.size()];
    try {
      IntStream.range(0, cols.size()).parallel().forEach(i -> out[i] = Gather.column(cols.get(i), n, allocator));
    } catch (RuntimeException e) {
      Arrays.stream(out).filter(Objects::nonNull).forEach(FieldVector::close);
      throw e;
    }
    return Arrays.asList(out);
  }
}
