package io.metaxy.store;

import io.metaxy.FeatureKey;
import io.metaxy.SystemColumns;
import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.Filters;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.json.CanonicalJson;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.SpecJson;
import io.metaxy.store.Increment.Resolution;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.support.ArrowBatches;
import io.metaxy.versioning.Sha256;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incremental {@code resolveUpdate} (docs/incremental.md). Tables are append-only, so after a resolve
 * of a feature the only samples whose status can change are those with rows appended since to the
 * feature or an upstream, and those the resolve left outstanding (new, stale or orphaned). A resolve
 * therefore records, per feature and configuration, where each table it read stood (a backend {@link
 * StoreBackend#appendCursor cursor}, taken before its reads) and the outstanding keys; the next one reads
 * only the rows appended after those cursors, takes the keys they touch together with the outstanding
 * ones, and resolves exactly those keys, which the store reads by a filter on id columns.
 *
 * <p>Keys are tuples of the <em>partition columns</em>: the id columns shared by the target and (after
 * renames) every upstream, which are also join columns. Rows of different partition keys never meet in
 * a join, an aggregation or the comparison, so the answer of a key depends only on its own rows. Id
 * columns cannot change within a row's history, so a row appended under a key concerns that key only.
 *
 * <p>Any recorded state stays a valid starting point while the tables are only appended to: the state
 * of an older resolve just means a longer tail. When a backend finds that rows before a cursor were
 * removed or rewritten (a hard delete, a dropped table), the state is dropped and a full resolve answers.
 */
final class IncrementalResolver {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

  /**
   * Above this share of the largest table's rows, touched keys are resolved by a full resolve: reading
   * a large share of a table by key costs more than reading all of it.
   */
  static final double MAX_TOUCHED_SHARE = 0.05;

  /**
   * Outstanding sets above this many rows are not remembered at all: the next resolve is full (and
   * would read most keys anyway).
   */
  static final int MAX_KEPT_KEYS = 200_000;

  /** A state of a table that did not exist when the cursor was taken: every row of it is appended. */
  private static final String ABSENT = "";

  private final MetadataStore store;
  private final StoreConnection connection;
  private final ActiveGraph features;
  private final BufferAllocator allocator;
  private final ResolveStates states;

  /** The resolver of one resolve ({@link UpdateResolver}), given the upstream rows held already. */
  private final Function<Map<FeatureKey, UpdateResolver.UpstreamTail>, UpdateResolver> resolver;

  IncrementalResolver(
      MetadataStore store,
      StoreConnection connection,
      ActiveGraph features,
      StoreReads reads,
      StoreListeners listeners) {
    this.resolver =
        tails -> new UpdateResolver(store, connection, reads, features, listeners::progress, tails);
    this.store = store;
    this.connection = connection;
    this.features = features;
    this.allocator = store.allocator();
    this.states = new ResolveStates(store, connection);
  }

  /**
   * The answer of {@code resolveUpdate(key, opts)}: incremental where that is exact, else {@code full}'s.
   */
  Increment resolve(FeatureKey key, ResolveOptions opts) {
    Function<ResolveOptions, Increment> full = o -> resolver.apply(Map.of()).resolve(key, o);
    if (SystemTables.isSystem(key)) {
      return full.apply(opts); // refused there
    }
    FeatureSpec spec = features.spec(key);
    FeaturePlan plan = FeaturePlan.of(store.graph(), key);
    String ruledOut = ruledOut(spec, plan, opts);
    if (ruledOut != null) {
      return full(key, full, opts, ruledOut, null, null);
    }
    List<String> partition = partitionColumns(spec, plan);
    if (partition.isEmpty()) {
      return full(
          key,
          full,
          opts,
          "no id column is shared by the feature and all its upstreams",
          null,
          null);
    }
    String config = config(key, spec, plan, opts, partition);
    StoreBackend backend = connection.backend();
    // Taken before anything is read: a row committed later lies after these cursors, so the next
    // resolve reads it again whatever this one saw of it.
    Map<String, String> cursors = new LinkedHashMap<>();
    Map<String, Long> rowCounts = new LinkedHashMap<>();
    List<FeatureKey> tables = new ArrayList<>();
    tables.add(key);
    plan.deps().forEach(d -> tables.add(d.dep().feature()));
    long largest = 0;
    for (FeatureKey t : tables) {
      String table = t.tableName();
      boolean exists = backend.hasTable(table);
      String c = exists ? backend.appendCursor(table) : ABSENT;
      if (c == null) {
        return full(key, full, opts, "the store cannot tell where appends stand", null, null);
      }
      cursors.put(table, c);
      long rows = exists ? backend.estimatedRows(table) : 0;
      rowCounts.put(table, rows);
      largest = rows < 0 || largest < 0 ? -1 : Math.max(largest, rows);
    }
    Memo memo = new Memo(cursors, rowCounts, partition, plan);
    ResolveStates.State previous = states.recall(key, config);
    if (previous == null) {
      return full(key, full, opts, "no earlier resolve of this configuration", config, memo);
    }
    // Beyond this many keys, reading them by key costs more than reading every row.
    long limit = largest < 0 ? 1_000 : Math.max(1_000, (long) (MAX_TOUCHED_SHARE * largest));
    long appended = 0;
    for (FeatureKey t : tables) {
      Long now = rowCounts.get(t.tableName());
      Long then = previous.rows().get(t.tableName());
      appended += now == null || then == null || now < 0 || then < 0 ? 0 : Math.max(0, now - then);
    }
    if (appended + previous.outstanding().size() > limit) {
      // Known from the row counts alone: the tails are not even read.
      return full(key, full, opts, tooMany(appended + previous.outstanding().size()), config, memo);
    }
    long t0 = System.nanoTime();
    Set<List<Object>> touched = new LinkedHashSet<>(previous.outstanding());
    long tailRows = 0;
    // Upstream tails that stand in for reading their samples by key, and the latest order of the
    // rows before each servable upstream's new cursor (known when the tail was read whole).
    Map<FeatureKey, HeldTail> held = new LinkedHashMap<>();
    Map<String, Long> latest = new LinkedHashMap<>();
    try {
      for (int i = 0; i < tables.size(); i++) {
        FeatureKey t = tables.get(i);
        String table = t.tableName();
        String was = previous.cursors().get(table);
        if (was == null) {
          return full(key, full, opts, "no cursor of table " + table, config, memo);
        }
        FeatureDep dep = i == 0 ? null : plan.deps().get(i - 1).dep();
        List<String> columns = dep == null ? partition : upstreamNames(dep, partition);
        Long before =
            dep != null && servable(dep, partition) ? previous.latest().get(table) : null;
        VectorSchemaRoot tail;
        String now = Objects.requireNonNull(cursors.get(table));
        if (ABSENT.equals(now)) {
          if (!ABSENT.equals(was)) {
            return full(key, full, opts, "table " + table + " was dropped since", config, memo);
          }
          continue; // still absent: nothing appended
        } else if (backend.unchangedBetween(table, was, now)) {
          if (before != null) {
            latest.put(table, before);
          }
          continue; // nothing appended, nothing removed
        } else if (ABSENT.equals(was)) {
          tail = backend.scan(
              new ScanRequest(table, null, null, Map.of(), null, columns, Set.of()), allocator);
          before = null;
        } else {
          // A servable upstream's tail is read whole: its rows may stand in for the stored ones.
          tail = backend.scanAppended(table, was, before != null ? null : columns, allocator);
          if (tail == null) {
            return full(
                key,
                full,
                opts,
                "rows of table " + table + " were removed or rewritten since the last resolve",
                config,
                memo);
          }
        }
        boolean keep = false;
        try {
          tailRows += tail.getRowCount();
          if (!addKeys(tail, columns, touched)) {
            return full(key, full, opts, "an id column's type cannot be remembered", null, null);
          }
          if (before != null && dep != null) {
            long[] orders = orders(tail);
            if (orders != null) {
              latest.put(table, Math.max(before, orders[1]));
            }
            Set<List<Object>> served =
                orders != null && tail.getRowCount() > 0 && orders[0] > before
                    ? currentKeys(tail, columns, features.featureVersion(dep.feature()))
                    : null;
            if (served != null) {
              held.put(dep.feature(), new HeldTail(tail, served));
              keep = true;
            }
          }
        } finally {
          if (!keep) {
            tail.close();
          }
        }
        if (touched.size() > limit) {
          return full(key, full, opts, tooMany(touched.size()), config, memo);
        }
      }
      long tailNanos = System.nanoTime() - t0;
      Increment inc = restrictedResolve(key, plan, opts, partition, touched, held);
      try {
        Set<List<Object>> outstanding = outstanding(inc, partition);
        if (outstanding != null) {
          states.remember(
              key,
              new ResolveStates.State(
                  config,
                  cursors,
                  rowCounts,
                  outstanding,
                  latestOrders(plan, partition, cursors, latest)));
        }
        String reason = tailRows
            + " appended row(s) and "
            + previous.outstanding().size()
            + " outstanding key(s) gave "
            + touched.size()
            + " key(s) to recompute"
            + (held.isEmpty()
                ? ""
                : ", the appended rows of " + joined(held.keySet()) + " standing in for theirs");
        LOG.debug(
            "resolveUpdate {}: incremental, {} (tails read in {} ms)",
            key,
            reason,
            tailNanos / 1_000_000);
        // The restricted resolve counted only the touched units; the progress needs them all.
        inc.withInputUnitsLater(() -> store.locked(() -> {
          try (Increment all = full.apply(opts.fullResolve())) {
            return new long[] {all.inputUnits(), all.freshUnits()};
          }
        }));
        return inc.withResolution(new Resolution(true, reason, touched.size()));
      } catch (RuntimeException | Error e) {
        inc.close();
        throw e;
      }
    } finally {
      held.values().forEach(h -> h.rows().close());
    }
  }

  private static String joined(Set<FeatureKey> keys) {
    List<String> out = new ArrayList<>();
    keys.forEach(k -> out.add(k.toString()));
    return String.join(", ", out);
  }

  /** An upstream's appended rows, read whole, and the keys they hold a current-version row of. */
  private record HeldTail(VectorSchemaRoot rows, Set<List<Object>> keys) {}

  /**
   * The restricted resolve of {@code touched}. Each held upstream tail is handed to the resolver as a
   * {@link HeldRows} backend, read there by the store's own rules (version, deduplication, soft
   * deletes, filters), and the store reads that upstream only for the other keys.
   */
  private Increment restrictedResolve(
      FeatureKey key,
      FeaturePlan plan,
      ResolveOptions opts,
      List<String> partition,
      Set<List<Object>> touched,
      Map<FeatureKey, HeldTail> held) {
    Map<FeatureKey, UpdateResolver.UpstreamTail> tails = new LinkedHashMap<>();
    for (var e : held.entrySet()) {
      // One backend per upstream: the resolver reads upstreams side by side, one per thread.
      tails.put(
          e.getKey(),
          new UpdateResolver.UpstreamTail(
              new HeldRows(e.getKey().tableName(), e.getValue().rows()),
              opts.filters().getOrDefault(e.getKey(), List.of())));
    }
    return resolver
        .apply(tails)
        .resolve(key, restricted(key, plan, opts, partition, touched, held));
  }

  /**
   * Whether an upstream's appended rows can stand in for reading its touched samples: its
   * deduplication groups are exactly the partition keys, so a key's rows are one group.
   */
  private boolean servable(FeatureDep dep, List<String> partition) {
    return Set.copyOf(upstreamNames(dep, partition))
        .equals(Set.copyOf(features.spec(dep.feature()).idColumns()));
  }

  /**
   * The least and the latest deduplication order of {@code rows} (microseconds), or null when a row
   * has none (or the columns are missing or not timestamps): such rows prove nothing.
   */
  private static long @Nullable [] orders(VectorSchemaRoot rows) {
    FieldVector deleted = rows.getVector(SystemColumns.DELETED_AT);
    FieldVector updated = rows.getVector(SystemColumns.UPDATED_AT);
    if (!(updated instanceof TimeStampVector)
        || (deleted != null && !(deleted instanceof TimeStampVector))) {
      return null;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int r = 0; r < rows.getRowCount(); r++) {
      Long d = ArrowBatches.micros(deleted, r);
      Long o = d != null ? d : ArrowBatches.micros(updated, r);
      if (o == null) {
        return null;
      }
      min = Math.min(min, o);
      max = Math.max(max, o);
    }
    return new long[] {min, max};
  }

  /**
   * The partition keys of the rows of {@code version} (the upstream's current feature version), or
   * null when the rows carry no version.
   */
  private static @Nullable Set<List<Object>> currentKeys(
      VectorSchemaRoot rows, List<String> columns, String version) {
    FieldVector v = rows.getVector(SystemColumns.FEATURE_VERSION);
    if (v == null) {
      return null;
    }
    BitSet current = new BitSet();
    for (int r = 0; r < rows.getRowCount(); r++) {
      if (version.equals(ArrowBatches.value(v, r))) {
        current.set(r);
      }
    }
    Set<List<Object>> out = new LinkedHashSet<>();
    return addKeys(rows, columns, current, out) ? out : null;
  }

  /**
   * The latest orders to record for the servable upstreams: those {@code known} (kept up from the
   * tails), the others asked of the backend now, which may count rows appended after the cursors (a
   * later order only makes the next resolve more cautious).
   */
  private Map<String, Long> latestOrders(
      FeaturePlan plan,
      List<String> partition,
      Map<String, String> cursors,
      Map<String, Long> known) {
    Map<String, Long> out = new TreeMap<>();
    StoreBackend backend = connection.backend();
    for (var d : plan.deps()) {
      String table = d.dep().feature().tableName();
      if (!servable(d.dep(), partition) || ABSENT.equals(cursors.get(table))) {
        continue;
      }
      Long v = known.containsKey(table) ? known.get(table) : backend.latestOrder(table, allocator);
      out.put(table, v != null ? v : Long.MIN_VALUE);
    }
    return out;
  }

  /** The cursors of a resolve whose outcome is to be remembered, and its partition columns. */
  private record Memo(
      Map<String, String> cursors,
      Map<String, Long> rows,
      List<String> partition,
      FeaturePlan plan) {}

  private static String tooMany(long keys) {
    return keys + " keys touched since the last resolve, more than "
        + (int) (MAX_TOUCHED_SHARE * 100) + " % of the largest table";
  }

  private Increment full(
      FeatureKey key,
      Function<ResolveOptions, Increment> full,
      ResolveOptions opts,
      String reason,
      @Nullable String config,
      @Nullable Memo memo) {
    LOG.debug("resolveUpdate {}: full, {}", key, reason);
    Increment inc = full.apply(opts);
    try {
      if (config != null && memo != null) {
        Set<List<Object>> outstanding = outstanding(inc, memo.partition());
        if (outstanding != null) {
          states.remember(
              key,
              new ResolveStates.State(
                  config,
                  memo.cursors(),
                  memo.rows(),
                  outstanding,
                  latestOrders(memo.plan(), memo.partition(), memo.cursors(), Map.of())));
        }
      }
      return inc.withResolution(Resolution.full(reason));
    } catch (RuntimeException | Error e) {
      inc.close();
      throw e;
    }
  }

  /** Why this resolve cannot be incremental, or null when it can. */
  private @Nullable String ruledOut(FeatureSpec spec, FeaturePlan plan, ResolveOptions opts) {
    if (opts.full()) {
      return "a full resolve was requested";
    }
    if (opts.samples() != null) {
      return "samples were given";
    }
    if (opts.skipComparison()) {
      return "the comparison is skipped";
    }
    if (!store.fallbackStores().isEmpty()) {
      return "fallback stores are configured";
    }
    if (spec.isRoot()) {
      return "a root feature";
    }
    Set<FeatureKey> seen = new LinkedHashSet<>();
    for (var d : plan.deps()) {
      if (!seen.add(d.dep().feature())) {
        return "feature " + d.dep().feature() + " is a dependency twice";
      }
    }
    List<RowFilter> all = new ArrayList<>(opts.globalFilters());
    all.addAll(opts.targetFilters());
    all.addAll(opts.stalenessPredicates());
    opts.filters().values().forEach(all::addAll);
    for (RowFilter f : all) {
      if (f.expression() == null) {
        return "filter " + f + " is not a filter expression, so it cannot be remembered";
      }
    }
    return null;
  }

  /**
   * The target's id columns that every dependency joins on and carries as an upstream id column (after
   * its rename), in the target's order; empty when there is none.
   */
  static List<String> partitionColumns(FeatureSpec spec, FeaturePlan plan) {
    List<String> out = new ArrayList<>();
    for (String c : spec.idColumns()) {
      if (!plan.joinColumns().contains(c)) {
        continue;
      }
      boolean everywhere = true;
      for (var d : plan.deps()) {
        everywhere &=
            d.inputIdColumns().contains(c) && d.renamedUpstreamIdColumns().contains(c);
      }
      if (everywhere) {
        out.add(c);
      }
    }
    return out;
  }

  /** The upstream's own names of the partition columns (undoing the dependency's rename). */
  private static List<String> upstreamNames(FeatureDep dep, List<String> partition) {
    List<String> out = new ArrayList<>();
    for (String p : partition) {
      String original = p;
      if (dep.rename() != null) {
        for (var e : dep.rename().entrySet()) {
          if (e.getValue().equals(p)) {
            original = e.getKey();
          }
        }
      }
      out.add(original);
    }
    return out;
  }

  /** The hash of everything besides the rows that the answer depends on. */
  private String config(
      FeatureKey key,
      FeatureSpec spec,
      FeaturePlan plan,
      ResolveOptions opts,
      List<String> partition) {
    Map<String, Object> c = new TreeMap<>();
    c.put("feature", key.toString());
    c.put("spec", SpecJson.toTree(spec));
    c.put("feature_version", features.featureVersion(key));
    Map<String, Object> ups = new TreeMap<>();
    for (var d : plan.deps()) {
      FeatureKey u = d.dep().feature();
      ups.put(u.toString(), features.featureVersion(u));
    }
    c.put("upstreams", ups);
    c.put("hash", store.hashAlgorithm().toString() + "/" + store.truncation());
    c.put("partition", partition);
    Map<String, Object> filters = new TreeMap<>();
    opts.filters().forEach((k, v) -> filters.put(k.toString(), printed(v)));
    c.put("filters", filters);
    c.put("global", printed(opts.globalFilters()));
    c.put("target", printed(opts.targetFilters()));
    c.put("predicates", printed(opts.stalenessPredicates()));
    return Sha256.hex(CanonicalJson.write(c));
  }

  private static List<String> printed(List<RowFilter> filters) {
    return filters.stream().map(f -> String.valueOf(f.expression())).toList();
  }

  /**
   * The options of the restricted resolve: the caller's, with every read narrowed to the touched keys
   * by a condition on id columns only (so stores apply it before deduplication).
   */
  private static ResolveOptions restricted(
      FeatureKey key,
      FeaturePlan plan,
      ResolveOptions opts,
      List<String> partition,
      Set<List<Object>> keys,
      Map<FeatureKey, HeldTail> held) {
    Map<FeatureKey, List<RowFilter>> filters = new LinkedHashMap<>(opts.filters());
    filters.put(key, with(filters.get(key), keyFilter(partition, keys)));
    for (var d : plan.deps()) {
      FeatureKey u = d.dep().feature();
      Set<List<Object>> read = keys;
      HeldTail tail = held.get(u);
      if (tail != null) {
        // The keys the tail holds are read from it (UpdateResolver.UpstreamTail).
        read = new LinkedHashSet<>(keys);
        read.removeAll(tail.keys());
      }
      filters.put(u, with(filters.get(u), keyFilter(upstreamNames(d.dep(), partition), read)));
    }
    return new ResolveOptions(
        null,
        filters,
        opts.globalFilters(),
        opts.targetFilters(),
        false,
        opts.stalenessPredicates(),
        Long.MAX_VALUE,
        true);
  }

  private static List<RowFilter> with(@Nullable List<RowFilter> existing, RowFilter extra) {
    List<RowFilter> out = existing == null ? new ArrayList<>() : new ArrayList<>(existing);
    out.add(extra);
    return out;
  }

  /**
   * Rows whose partition key is one of {@code keys}: one {@code IN} per column, which selects the
   * touched keys and possibly others. Any superset is exact, since every key read is read whole.
   */
  private static RowFilter keyFilter(List<String> columns, Set<List<Object>> keys) {
    List<FilterExpr> parts = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      Set<Object> values = new LinkedHashSet<>();
      for (List<Object> k : keys) {
        values.add(k.get(i));
      }
      String c = columns.get(i);
      // No key: FALSE, which a database folds away without reading a row.
      parts.add(values.isEmpty() ? Filters.or(List.of()) : Filters.in(c, values));
    }
    return RowFilter.of(Filters.and(parts));
  }

  /**
   * Adds the partition keys of {@code rows} to {@code out}; false when a value's type cannot be kept
   * as a filter literal and in JSON (only integers, strings and booleans can). Null keys are skipped:
   * they never join.
   */
  private static boolean addKeys(
      VectorSchemaRoot rows, List<String> columns, Set<List<Object>> out) {
    return addKeys(rows, columns, null, out);
  }

  /** {@link #addKeys} of the rows whose bit is set in {@code only} (every row when null). */
  private static boolean addKeys(
      VectorSchemaRoot rows, List<String> columns, @Nullable BitSet only, Set<List<Object>> out) {
    List<FieldVector> cols = ArrowBatches.columns(rows, columns, "appended rows");
    for (int r = 0; r < rows.getRowCount(); r++) {
      if (only != null && !only.get(r)) {
        continue;
      }
      List<Object> key = new ArrayList<>(cols.size());
      boolean hasNull = false;
      for (FieldVector v : cols) {
        Object value = normalized(ArrowBatches.value(v, r));
        if (value == UNSUPPORTED) {
          return false;
        }
        hasNull |= value == null;
        key.add(value);
      }
      if (!hasNull) {
        out.add(key);
      }
    }
    return true;
  }

  private static final Object UNSUPPORTED = new Object();

  private static @Nullable Object normalized(@Nullable Object v) {
    if (v == null || v instanceof String || v instanceof Long || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Text t) {
      return t.toString();
    }
    return UNSUPPORTED;
  }

  /** The partition keys of every new, stale and orphaned row, or null when one cannot be kept. */
  private static @Nullable Set<List<Object>> outstanding(Increment inc, List<String> partition) {
    if (inc.newCount() + inc.staleCount() + inc.orphanedCount() > MAX_KEPT_KEYS) {
      // So much is left to do that the next resolve may as well be full: nothing is remembered
      // (an earlier state, if any, stays valid).
      return null;
    }
    Set<List<Object>> out = new LinkedHashSet<>();
    List<List<VectorSchemaRoot>> kinds =
        List.of(inc.newBatches(), inc.staleBatches(), inc.orphanedBatches());
    for (List<VectorSchemaRoot> batches : kinds) {
      for (VectorSchemaRoot b : batches) {
        if (b.getRowCount() == 0) {
          continue;
        }
        if (!addKeys(b, partition, out)) {
          return null;
        }
      }
    }
    return out;
  }
}
