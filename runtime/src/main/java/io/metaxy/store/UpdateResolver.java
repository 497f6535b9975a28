package io.metaxy.store;

import static io.metaxy.SystemColumns.CREATED_AT;
import static io.metaxy.SystemColumns.DATA_VERSION;
import static io.metaxy.SystemColumns.DATA_VERSION_BY_FIELD;
import static io.metaxy.SystemColumns.DELETED_AT;
import static io.metaxy.SystemColumns.FEATURE_VERSION;
import static io.metaxy.SystemColumns.MATERIALIZATION_ID;
import static io.metaxy.SystemColumns.PROJECT_VERSION;
import static io.metaxy.SystemColumns.PROVENANCE;
import static io.metaxy.SystemColumns.PROVENANCE_BY_FIELD;
import static io.metaxy.SystemColumns.UPDATED_AT;

import io.metaxy.FeatureKey;
import io.metaxy.engine.IncrementBatches;
import io.metaxy.engine.VersioningEngine;
import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.Filters;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.Lineage;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.support.ArrowBatches;
import io.metaxy.store.support.IdRanges;
import io.metaxy.store.support.SideBySide;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code resolveUpdate} of one store (store spec §4): plans the reads of the target and its upstreams,
 * runs them side by side on reader connections, hands the rows to the {@link VersioningEngine} and
 * splits large increments into pipelined id ranges. The store's reading rules (deduplication,
 * tombstones, filters, fallbacks) are {@link StoreReads}'; this class only decides what to read and when.
 */
final class UpdateResolver {
  // Logged under the store's name, where users already look for (and configure) resolve timings.
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

  private final MetadataStore store;
  private final StoreConnection connection;
  private final StoreReads storeReads;
  private final ActiveGraph features;
  private final Consumer<ResolveProgress> progress;
  private final FeatureGraph graph;
  private final BufferAllocator allocator;

  /** Per upstream, rows an incremental resolve holds already and that add to what the store reads. */
  private final Map<FeatureKey, UpstreamTail> tails;

  /**
   * Rows of an upstream that an incremental resolve read already (its appended rows, each sure to be
   * its sample's latest), read again through {@code backend} with {@code filters} by the same rules as
   * the store's rows and added to them. The store's read is restricted to the other samples.
   */
  record UpstreamTail(StoreBackend backend, List<RowFilter> filters) {}

  UpdateResolver(
      MetadataStore store,
      StoreConnection connection,
      StoreReads storeReads,
      ActiveGraph features,
      Consumer<ResolveProgress> progress) {
    this(store, connection, storeReads, features, progress, Map.of());
  }

  UpdateResolver(
      MetadataStore store,
      StoreConnection connection,
      StoreReads storeReads,
      ActiveGraph features,
      Consumer<ResolveProgress> progress,
      Map<FeatureKey, UpstreamTail> tails) {
    this.tails = Map.copyOf(tails);
    this.store = store;
    this.connection = connection;
    this.storeReads = storeReads;
    this.features = features;
    this.progress = progress;
    this.graph = store.graph();
    this.allocator = store.allocator();
  }

  /** {@link MetadataStore#resolveUpdate(FeatureKey, ResolveOptions)}. */
  Increment resolve(FeatureKey key, ResolveOptions opts) {
    return resolve(key, opts, null);
  }

  /**
   * {@link #resolve(FeatureKey, ResolveOptions)} with the results of {@link #plannedReads} already read
   * ({@code prefetched}, owned from here on), or null to read them here.
   */
  private Increment resolve(
      FeatureKey key, ResolveOptions opts, @Nullable List<VectorSchemaRoot> prefetched) {
    connection.backend(); // fails unless the store is open
    if (SystemTables.isSystem(key)) {
      throw new UnsupportedOperationException(
          "resolveUpdate is not supported on system table " + key);
    }
    FeatureSpec spec = features.spec(key);
    if (spec.isRoot() && opts.samples() == null) {
      throw new IllegalArgumentException("feature " + key
          + " is a root feature (no dependencies): resolveUpdate must be given samples");
    }
    FeaturePlan plan = FeaturePlan.of(graph, key);
    long[] range = prefetched != null ? null : partitionRange(key, spec, plan, opts);
    if (range != null) {
      return resolvePartitioned(key, opts, spec.idColumns().get(0), range);
    }
    List<RowFilter> targetFilters = targetFilters(key, opts);
    VersioningEngine engine =
        new VersioningEngine(graph, store.hashAlgorithm(), store.truncation(), allocator);
    VectorSchemaRoot current = null;
    VectorSchemaRoot expected = null;
    Map<FeatureKey, VectorSchemaRoot> upstream = new LinkedHashMap<>();
    // Without predicates the comparison needs only the join columns and the provenance of the
    // stored rows; orphaned rows (stored rows' schema) are re-read in full only when there are any.
    boolean narrowCurrent = opts.stalenessPredicates().isEmpty();
    ReadOptions currentRead = ReadOptions.DEFAULT.filters(targetFilters).noFallback();
    try {
      long t0 = System.nanoTime();
      if (opts.samples() != null) {
        if (!opts.skipComparison()) {
          current = readCurrent(
              connection.backend(),
              key,
              currentRead,
              narrowCurrent ? currentProjection(spec, plan) : Projection.ALL);
        }
        try (VectorSchemaRoot s = storeReads.applyFilters(
            ArrowBatches.select(opts.samples(), ArrowBatches.names(opts.samples()), allocator),
            targetFilters)) {
          if (s.getVector(PROVENANCE_BY_FIELD) == null) {
            throw new IllegalArgumentException("samples for " + key + " are missing required '"
                + PROVENANCE_BY_FIELD + "' column");
          }
          expected = engine.expectedFromSamples(key, s);
        }
      } else {
        // The target's rows and every upstream's, read at the same time when the backend allows it.
        List<VectorSchemaRoot> results =
            prefetched != null ? prefetched : runReads(plannedReads(key, opts, spec, plan));
        prefetched = null;
        current = results.get(0);
        for (int i = 0; i < plan.deps().size(); i++) {
          upstream.put(plan.deps().get(i).dep().feature(), results.get(i + 1));
        }
        LOG.debug(
            "resolveUpdate {}: read target and {} upstream(s) in {} ms",
            key,
            plan.deps().size(),
            (System.nanoTime() - t0) / 1_000_000);
        expected = engine.expected(key, upstream);
      }
      Increment inc;
      if (opts.skipComparison() || current == null) {
        VectorSchemaRoot e = expected;
        expected = null;
        inc = new Increment(
            e,
            ArrowBatches.empty(e.getSchema(), allocator),
            ArrowBatches.empty(e.getSchema(), allocator));
      } else if (current.getRowCount() == 0 && opts.stalenessPredicates().isEmpty()) {
        // Nothing stored: every expected row is new, and the comparison would only copy them.
        VectorSchemaRoot e = expected;
        expected = null;
        inc = new Increment(
            e,
            ArrowBatches.empty(e.getSchema(), allocator),
            ArrowBatches.empty(current.getSchema(), allocator));
      } else if (opts.stalenessPredicates().isEmpty()) {
        IncrementBatches b = engine.diff(key, expected, current);
        if (narrowCurrent && b.orphaned().getRowCount() > 0) {
          b.newRows().close();
          b.stale().close();
          b.orphaned().close();
          current.close();
          current = null;
          current = readCurrent(connection.backend(), key, currentRead, Projection.ALL);
          b = engine.diff(key, expected, current);
        }
        inc = new Increment(b.newRows(), b.stale(), b.orphaned());
      } else {
        boolean expansion =
            plan.deps().stream().anyMatch(d -> d.dep().lineage() instanceof Lineage.Expansion);
        inc = new PredicateDiff(allocator)
            .diff(
                expected, current, engine.joinColumns(key), opts.stalenessPredicates(), expansion);
      }
      if (opts.samples() == null) {
        List<String> on = engine.joinColumns(key);
        // When expected became the increment's new rows, every input unit is unprocessed.
        VectorSchemaRoot in = expected != null ? expected : inc.newSamples();
        boolean unique = joinKeysUnique(plan);
        long input = unique ? in.getRowCount() : distinct(in, on);
        long fresh = unique ? inc.newSamples().getRowCount() : distinct(inc.newSamples(), on);
        inc.withInputUnits(input, fresh);
      }
      return inc;
    } finally {
      if (current != null) {
        current.close();
      }
      if (expected != null) {
        expected.close();
      }
      upstream.values().forEach(VectorSchemaRoot::close);
    }
  }

  /**
   * {@code {min, max, parts}} of the id when the increment should be computed in id ranges (see {@link
   * ResolveOptions#partitionRows}), else null. Partitioning needs one integer id column that is also the
   * join column of every dependency (identity lineages, id not renamed), no samples, no staleness
   * predicates and no fallback store; and a table (target or upstream) above the partition size.
   */
  private long @Nullable [] partitionRange(
      FeatureKey key, FeatureSpec spec, FeaturePlan plan, ResolveOptions opts) {
    if (opts.samples() != null
        || !opts.stalenessPredicates().isEmpty()
        || !store.fallbackStores().isEmpty()
        || spec.idColumns().size() != 1
        || !plan.joinColumns().equals(spec.idColumns())
        || plan.deps().isEmpty()) {
      return null;
    }
    String id = spec.idColumns().get(0);
    List<FeatureKey> tables = new ArrayList<>();
    tables.add(key);
    for (var d : plan.deps()) {
      FeatureDep dep = d.dep();
      if (!(dep.lineage() instanceof Lineage.Identity)
          || !d.upstream().idColumns().equals(spec.idColumns())
          || (dep.rename() != null && dep.rename().containsKey(id))) {
        return null;
      }
      tables.add(dep.feature());
    }
    StoreBackend b = connection.backend();
    // The exact range is a min/max/count query per table (~1 ms each on a small, freshly opened
    // DuckDB file, ~20 ms at 10M rows); a resolve that is small by the cheap row counts is not
    // split anyway.
    long estimated = 0;
    for (FeatureKey k : tables) {
      long e = b.estimatedRows(k.tableName());
      estimated = e < 0 ? Long.MAX_VALUE : Math.max(estimated, e);
    }
    if (estimated <= opts.partitionRows()) {
      return null;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long rows = 0;
    for (FeatureKey k : tables) {
      String t = k.tableName();
      if (!b.hasTable(t)) {
        if (k.equals(key)) {
          continue;
        }
        return null; // a missing upstream: the unpartitioned path reports it
      }
      long[] r = b.integerRange(t, id);
      if (r == null) {
        return null;
      }
      if (r[2] > 0) {
        min = Math.min(min, r[0]);
        max = Math.max(max, r[1]);
        rows = Math.max(rows, r[2]);
      }
    }
    if (rows <= opts.partitionRows()) {
      return null;
    }
    long parts = (rows + opts.partitionRows() - 1) / opts.partitionRows();
    return new long[] {min, max, parts};
  }

  /**
   * The increment as the concatenation of the increments of {@code range[2]} id ranges covering
   * {@code [range[0], range[1]]}, computed one after the other. Every input row falls into exactly one
   * range and rows of different ids never meet (the id is the join column of every dependency and the
   * deduplication key), so the parts add up to the unpartitioned answer, in id order.
   */
  private Increment resolvePartitioned(
      FeatureKey key, ResolveOptions opts, String id, long[] range) {
    long[] cuts = IdRanges.cuts(range[0], range[1], (int) Math.min(range[2], Integer.MAX_VALUE));
    List<ResolveOptions> parts = new ArrayList<>();
    long from = range[0];
    for (int i = 0; i <= cuts.length; i++) {
      boolean last = i == cuts.length;
      long to = last ? range[1] : cuts[i];
      FilterExpr inRange = Filters.and(
          Filters.compare(id, FilterExpr.Op.GE, from),
          Filters.compare(id, last ? FilterExpr.Op.LE : FilterExpr.Op.LT, to));
      List<RowFilter> global = new ArrayList<>(opts.globalFilters());
      global.add(RowFilter.of(inRange));
      parts.add(opts.globalFilters(global.toArray(new RowFilter[0])).partitionRows(Long.MAX_VALUE));
      from = to;
    }
    FeatureSpec spec = features.spec(key);
    FeaturePlan plan = FeaturePlan.of(graph, key);
    List<List<VectorSchemaRoot>> pieces =
        List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    long input = 0;
    long fresh = 0;
    // Pipelined: the next range is read on reader connections while this one is hashed and
    // compared.
    CompletableFuture<List<VectorSchemaRoot>> next = prefetch(key, parts.get(0), spec, plan);
    try {
      for (int i = 0; i < parts.size(); i++) {
        long t0 = System.nanoTime();
        List<VectorSchemaRoot> inputs = next == null ? null : awaitReads(next);
        next = null;
        try {
          next = i + 1 < parts.size() ? prefetch(key, parts.get(i + 1), spec, plan) : null;
        } catch (RuntimeException e) {
          if (inputs != null) {
            closeAll(inputs);
          }
          throw e;
        }
        try (Increment inc = resolve(key, parts.get(i), inputs)) {
          pieces.get(0).add(shareAll(inc.newSamples()));
          pieces.get(1).add(shareAll(inc.stale()));
          pieces.get(2).add(shareAll(inc.orphaned()));
          input += inc.inputUnits();
          fresh += inc.freshUnits();
        }
        LOG.debug(
            "resolveUpdate {}: part {}/{} in {} ms",
            key,
            i + 1,
            parts.size(),
            (System.nanoTime() - t0) / 1_000_000);
        progress.accept(new ResolveProgress(key, i + 1, parts.size()));
      }
      // The parts stay separate batches (no copy of a 10M-row increment); empty ones are dropped
      // unless every part is empty (one is kept for the schema).
      List<List<VectorSchemaRoot>> kept = new ArrayList<>();
      for (List<VectorSchemaRoot> piece : pieces) {
        List<VectorSchemaRoot> rows = new ArrayList<>();
        for (int i = 0; i < piece.size(); i++) {
          VectorSchemaRoot b = piece.get(i);
          if (b.getRowCount() > 0 || (rows.isEmpty() && i == piece.size() - 1)) {
            rows.add(b);
          } else {
            b.close();
          }
        }
        piece.clear();
        kept.add(rows);
      }
      Increment inc = new Increment(kept.get(0), kept.get(1), kept.get(2), allocator);
      inc.withInputUnits(input, fresh);
      return inc;
    } finally {
      if (next != null) {
        try {
          closeAll(awaitReads(next));
        } catch (RuntimeException ignored) {
          // already failing; the read's own error is not the one to report
        }
      }
      pieces.forEach(l -> l.forEach(VectorSchemaRoot::close));
    }
  }

  /**
   * The reads of one part started on a background thread with reader connections of their own, or null
   * when the backend offers no readers (the part then reads its inputs itself).
   */
  private @Nullable CompletableFuture<List<VectorSchemaRoot>> prefetch(
      FeatureKey key, ResolveOptions opts, FeatureSpec spec, FeaturePlan plan) {
    List<Read> reads = plannedReads(key, opts, spec, plan);
    List<StoreBackend> readers = readers(reads.size());
    if (readers.isEmpty()) {
      return null;
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return runReads(reads, readers.get(0), readers.subList(1, readers.size()));
          } finally {
            readers.forEach(StoreBackend::close);
          }
        },
        r -> {
          Thread t = new Thread(r, "metaxy-prefetch");
          t.setDaemon(true);
          t.start();
        });
  }

  /** The prefetched reads, waiting for them; their own exception is rethrown as it was. */
  private static List<VectorSchemaRoot> awaitReads(CompletableFuture<List<VectorSchemaRoot>> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true; // the reads hold connections and buffers: wait for them, then re-flag
        } catch (ExecutionException e) {
          throw unchecked(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A batch sharing every buffer of {@code root} (no copy); both must be closed. */
  private VectorSchemaRoot shareAll(VectorSchemaRoot root) {
    List<FieldVector> out = new ArrayList<>();
    for (FieldVector v : root.getFieldVectors()) {
      out.add(ArrowBatches.share(v, allocator));
    }
    return ArrowBatches.of(out, root.getRowCount());
  }

  /** What narrows the target's rows: its own filters, the global ones and the target-only ones. */
  private static List<RowFilter> targetFilters(FeatureKey key, ResolveOptions opts) {
    List<RowFilter> out = new ArrayList<>(opts.filters().getOrDefault(key, List.of()));
    out.addAll(opts.globalFilters());
    out.addAll(opts.targetFilters());
    return out;
  }

  /** The target's current rows, or null when it has no table here (fallbacks are never consulted). */
  private @Nullable VectorSchemaRoot readCurrent(
      StoreBackend b, FeatureKey key, ReadOptions opts, Projection projection) {
    try {
      return storeReads.read(b, key, opts, projection).batch();
    } catch (FeatureNotFoundException e) {
      return null;
    }
  }

  /**
   * The reads of a {@code resolveUpdate} without samples: the target's current rows (null when it has
   * no table or the comparison is skipped), then every upstream's, in plan order.
   */
  private List<Read> plannedReads(
      FeatureKey key, ResolveOptions opts, FeatureSpec spec, FeaturePlan plan) {
    ReadOptions currentRead =
        ReadOptions.DEFAULT.filters(targetFilters(key, opts)).noFallback();
    // Without predicates the comparison needs only the join columns and the provenance of the
    // stored rows.
    Projection currentProjection =
        opts.stalenessPredicates().isEmpty() ? currentProjection(spec, plan) : Projection.ALL;
    List<Read> reads = new ArrayList<>();
    reads.add(
        b -> opts.skipComparison() ? null : readCurrent(b, key, currentRead, currentProjection));
    for (var d : plan.deps()) {
      FeatureKey up = d.dep().feature();
      List<RowFilter> f = new ArrayList<>(opts.filters().getOrDefault(up, List.of()));
      f.addAll(opts.globalFilters());
      Projection projection = upstreamProjection(d);
      UpstreamTail tail = tails.get(up);
      reads.add(b -> {
        VectorSchemaRoot read =
            storeReads.read(b, up, ReadOptions.DEFAULT.filters(f), projection).batch();
        if (tail != null) {
          read = withTail(read, up, tail, opts, projection);
        }
        // Upstream reads hold no tombstones; dropping deleted_at keeps it out of the join (spec
        // §11.9).
        VectorSchemaRoot rows = ArrowBatches.without(read, List.of(DELETED_AT), allocator);
        return DepFilters.apply(d.dep(), rows, allocator);
      });
    }
    return reads;
  }

  /** {@code read} and the rows of {@code tail}, read by the same rules; closes {@code read}. */
  private VectorSchemaRoot withTail(
      VectorSchemaRoot read,
      FeatureKey up,
      UpstreamTail tail,
      ResolveOptions opts,
      Projection projection) {
    try (read) {
      List<RowFilter> f = new ArrayList<>(tail.filters());
      f.addAll(opts.globalFilters());
      try (VectorSchemaRoot extra = storeReads
          .read(tail.backend(), up, ReadOptions.DEFAULT.filters(f).noFallback(), projection)
          .batch()) {
        return ArrowBatches.concat(List.of(read, extra), allocator);
      }
    }
  }

  /** One read of {@code resolveUpdate}, through the backend it is given. */
  private interface Read {
    @Nullable
    VectorSchemaRoot run(StoreBackend backend);
  }

  /**
   * The results of {@code reads}, in order. They run concurrently, each extra one on a {@linkplain
   * StoreBackend#concurrentReader reader} of its own, when the backend offers readers and no fallback
   * store is configured (a fallback is opened on demand, which must stay on one thread); otherwise one
   * after the other. On failure every result already read is closed and the first error is rethrown.
   */
  private List<VectorSchemaRoot> runReads(List<Read> reads) {
    StoreBackend main = connection.backend();
    List<StoreBackend> readers = readers(reads.size() - 1);
    try {
      return runReads(reads, main, readers.size() == reads.size() - 1 ? readers : List.of());
    } finally {
      readers.forEach(StoreBackend::close);
    }
  }

  /**
   * {@code count} readers of this store's backend, or fewer (none) when it offers none or fallback
   * stores are configured (they open on demand, on one thread); the caller closes them.
   */
  private List<StoreBackend> readers(int count) {
    List<StoreBackend> readers = new ArrayList<>();
    if (count > 0 && store.fallbackStores().isEmpty()) {
      StoreBackend main = connection.backend();
      for (int i = 0; i < count; i++) {
        StoreBackend r = main.concurrentReader();
        if (r == null) {
          readers.forEach(StoreBackend::close);
          return List.of();
        }
        readers.add(r);
      }
    }
    return readers;
  }

  /** Read 0 on {@code main}, read i on {@code readers[i-1]} at the same time (all on {@code main} when readers is empty). */
  private List<VectorSchemaRoot> runReads(
      List<Read> reads, StoreBackend main, List<StoreBackend> readers) {
    VectorSchemaRoot[] out = new VectorSchemaRoot[reads.size()];
    try {
      if (readers.size() != reads.size() - 1) {
        for (int i = 0; i < reads.size(); i++) {
          out[i] = reads.get(i).run(main);
        }
        return Arrays.asList(out);
      }
      List<Supplier<VectorSchemaRoot>> tasks = new ArrayList<>();
      for (int i = 0; i < reads.size(); i++) {
        Read read = reads.get(i);
        StoreBackend b = i == 0 ? main : readers.get(i - 1);
        tasks.add(() -> read.run(b));
      }
      return SideBySide.run(tasks, "metaxy-read", VectorSchemaRoot::close);
    } catch (RuntimeException | Error e) {
      closeAll(Arrays.asList(out));
      throw e;
    }
  }

  /** Closes every batch of {@code roots}, skipping nulls (reads that returned nothing or never ran). */
  private static void closeAll(List<VectorSchemaRoot> roots) {
    for (VectorSchemaRoot r : roots) {
      if (r != null) {
        r.close();
      }
    }
  }

  /** A read's failure as thrown by the read itself: unchecked ones as they are, an Error rethrown. */
  private static RuntimeException unchecked(@Nullable Throwable e) {
    if (e instanceof RuntimeException re) {
      return re;
    } else if (e instanceof Error err) {
      throw err;
    }
    return new MetadataStoreException("read failed: " + e, e);
  }

  /** What the comparison reads of the target's rows: id and join columns and the sample provenance. */
  private static Projection currentProjection(FeatureSpec spec, FeaturePlan plan) {
    Set<String> cols = new LinkedHashSet<>(spec.idColumns());
    cols.addAll(plan.joinColumns());
    cols.add(PROVENANCE);
    return new Projection(List.copyOf(cols), Set.of());
  }

  /** Upstream columns the engine never uses (it hashes only {@code metaxy_data_version_by_field}). */
  private static final List<String> UNUSED_UPSTREAM_COLUMNS = List.of(
      PROVENANCE_BY_FIELD,
      PROVENANCE,
      DATA_VERSION,
      FEATURE_VERSION,
      PROJECT_VERSION,
      CREATED_AT,
      UPDATED_AT,
      MATERIALIZATION_ID,
      DELETED_AT);

  /**
   * What resolveUpdate reads of an upstream: its data versions by field, id and lineage columns, the
   * selected user columns (every user column when the dependency selects none) and whatever the
   * dependency's filters reference; never the timestamps, versions or other provenance columns.
   */
  private static Projection upstreamProjection(FeaturePlan.DepPlan d) {
    FeatureDep dep = d.dep();
    // Names the engine and the dependency filters use are post-rename: read their upstream
    // originals.
    Set<String> renamedNeeded = new LinkedHashSet<>();
    if (dep.sqlFilters() != null && !dep.sqlFilters().isEmpty()) {
      renamedNeeded.addAll(Filters.columns(Filters.parseAll(dep.sqlFilters())));
    }
    Set<String> omit = new LinkedHashSet<>(UNUSED_UPSTREAM_COLUMNS);
    omit.removeAll(originals(dep, renamedNeeded));
    if (dep.select() == null) {
      return new Projection(null, omit);
    }
    renamedNeeded.addAll(dep.select());
    renamedNeeded.addAll(d.inputIdColumns());
    Set<String> cols = new LinkedHashSet<>();
    cols.add(DATA_VERSION_BY_FIELD);
    cols.addAll(d.upstream().idColumns());
    cols.addAll(dep.lineage().onColumns());
    cols.addAll(originals(dep, renamedNeeded));
    return new Projection(List.copyOf(cols), omit);
  }

  /** The upstream column names that are (or, being renamed away, may be) called {@code renamed} after the rename. */
  private static Set<String> originals(FeatureDep dep, Set<String> renamed) {
    Set<String> out = new LinkedHashSet<>(renamed);
    if (dep.rename() != null) {
      dep.rename().forEach((from, to) -> {
        if (renamed.contains(to)) {
          out.add(from);
        }
      });
    }
    return out;
  }

  /**
   * Whether expected rows are unique on the join columns, so counting input units needs no hashing:
   * true unless a dependency aggregates (N rows per group) or contributes more id columns than the
   * join uses (several rows per join key).
   */
  private static boolean joinKeysUnique(FeaturePlan plan) {
    Set<String> join = new HashSet<>(plan.joinColumns());
    for (var d : plan.deps()) {
      if (d.dep().lineage() instanceof Lineage.Aggregation
          || !join.equals(new HashSet<>(d.inputIdColumns()))) {
        return false;
      }
    }
    return true;
  }

  private static long distinct(VectorSchemaRoot rows, List<String> columns) {
    List<FieldVector> cols = ArrowBatches.columns(rows, columns, "increment rows");
    Set<List<Object>> keys = new HashSet<>();
    for (int r = 0; r < rows.getRowCount(); r++) {
      keys.add(ArrowBatches.key(cols, r));
    }
    return keys.size();
  }
}
