package io.metaxy.store;

import static io.metaxy.SystemColumns.DATA_VERSION;
import static io.metaxy.SystemColumns.DATA_VERSION_BY_FIELD;
import static io.metaxy.SystemColumns.FEATURE_VERSION;
import static io.metaxy.SystemColumns.PROJECT_VERSION;
import static io.metaxy.SystemColumns.PROVENANCE;
import static io.metaxy.SystemColumns.PROVENANCE_BY_FIELD;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.MetadataStore.CopyResult;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.support.ArrowBatches;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations of a {@link MetadataStore} that rewrite or move stored rows rather than add new
 * samples (store spec §6): deletes, drops, rebases and copies. They are kept apart from the write path
 * because each combines a read with a write under rules of its own (tombstones keep their versions,
 * hard deletes rewrite a table, copies keep timestamps, rebases recompute under another graph).
 */
final class StoreMaintenance {
  // Logged under the store's name, where users already look for what a copy skipped.
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

  private final MetadataStore store;
  private final StoreConnection connection;
  private final ActiveGraph features;
  private final BufferAllocator allocator;
  private final WriteStamping stamping;
  private final StoreWrites writes;

  StoreMaintenance(
      MetadataStore store,
      StoreConnection connection,
      ActiveGraph features,
      BufferAllocator allocator,
      WriteStamping stamping,
      StoreWrites writes) {
    this.store = store;
    this.connection = connection;
    this.features = features;
    this.allocator = allocator;
    this.stamping = stamping;
    this.writes = writes;
  }

  /** {@link MetadataStore#delete}; holding the store. */
  void delete(FeatureKey key, List<RowFilter> filters, DeleteOptions opts) {
    StoreBackend b = connection.writableBackend();
    if (opts.soft()) {
      softDelete(b, key, filters, opts);
    } else {
      hardDelete(b, key, filters, opts);
    }
  }

  /** Appends tombstones: copies of the targeted rows, so they skip the checks of user writes. */
  private void softDelete(
      StoreBackend b, FeatureKey key, List<RowFilter> filters, DeleteOptions opts) {
    try (VectorSchemaRoot rows = store.read(
        key, readOptions(filters, opts.withFeatureHistory(), opts.withSampleHistory()))) {
      if (rows.getRowCount() == 0) {
        return;
      }
      long ts = stamping.nextTimestamp();
      try (VectorSchemaRoot tomb =
          stamping.withSystemColumns(key, rows, new WriteOptions(null, true), ts, ts, true)) {
        b.append(key.tableName(), tomb);
      }
    }
  }

  /** Rewrites the table without the matching rows; by-field columns come back as stored, so survivors are unchanged. */
  private void hardDelete(
      StoreBackend b, FeatureKey key, List<RowFilter> filters, DeleteOptions opts) {
    String table = key.tableName();
    if (!b.hasTable(table)) {
      throw new FeatureNotFoundException(
          "cannot delete from " + key + ": no table in " + store, List.of(key));
    }
    List<RowFilter> all = new ArrayList<>();
    if (!opts.withFeatureHistory() && !SystemTables.isSystem(key)) {
      all.add(RowFilter.eq(FEATURE_VERSION, features.featureVersion(key)));
    }
    all.addAll(filters);
    try (VectorSchemaRoot everything =
        b.scan(new ScanRequest(table, null, null, Map.of()), allocator)) {
      BitSet drop = all.isEmpty()
          ? fullSet(everything.getRowCount())
          : RowFilter.and(all).evaluate(everything);
      BitSet keep = fullSet(everything.getRowCount());
      keep.andNot(drop);
      try (VectorSchemaRoot kept = ArrowBatches.filter(everything, keep, allocator)) {
        b.replace(table, kept);
      }
    }
  }

  private static BitSet fullSet(int n) {
    BitSet s = new BitSet();
    s.set(0, n);
    return s;
  }

  private static ReadOptions readOptions(
      List<RowFilter> filters, boolean withFeatureHistory, boolean withSampleHistory) {
    ReadOptions ro = ReadOptions.DEFAULT.filters(filters);
    if (withFeatureHistory) {
      ro = ro.featureHistory();
    }
    if (withSampleHistory) {
      ro = ro.sampleHistory();
    }
    return ro;
  }

  /** {@link MetadataStore#dropFeatureMetadata}; holding the store. */
  void drop(FeatureKey key) {
    StoreBackend b = connection.writableBackend();
    if (SystemTables.isSystem(key)) {
      throw new UnsupportedOperationException("cannot drop system table " + key);
    }
    b.dropTable(key.tableName());
  }

  /**
   * {@link MetadataStore#rebase}; holding the store throughout, because the active graph is switched
   * for the resolve and no other call may see that.
   */
  VectorSchemaRoot rebase(
      FeatureKey key, VectorSchemaRoot rows, @Nullable String toFeatureVersion) {
    if (features.spec(key).isRoot()) {
      throw new IllegalArgumentException(
          "Cannot rebase root feature " + key + ": it has no upstream to recompute from");
    }
    FeatureGraph active = features.get();
    FeatureGraph target = active;
    String version = features.featureVersion(key);
    String pv = features.projectVersion(key);
    if (toFeatureVersion != null && !toFeatureVersion.equals(version)) {
      SystemTables sys = new SystemTables(store);
      pv = sys.projectVersionOf(key, toFeatureVersion);
      if (pv == null) {
        throw new IllegalArgumentException("Feature version '" + toFeatureVersion + "' for '" + key
            + "' not found in system storage. Run `metaxy push` first.");
      }
      target = FeatureGraph.of(sys.loadSnapshot(pv));
      version = toFeatureVersion;
    }
    List<String> ids = features.spec(key).idColumns();
    try {
      features.set(target);
      try (Increment inc = store.resolveUpdate(key, ResolveOptions.DEFAULT.skippingComparison())) {
        return rebased(key, rows, inc.newSamples(), ids, version, pv);
      }
    } finally {
      features.set(active);
    }
  }

  /** {@code rows} matched to the recomputed rows by id, with the recomputed provenance and the target versions. */
  private VectorSchemaRoot rebased(
      FeatureKey key,
      VectorSchemaRoot rows,
      VectorSchemaRoot fresh,
      List<String> ids,
      String version,
      String pv) {
    Map<List<Object>, Integer> index = new LinkedHashMap<>();
    List<FieldVector> freshIds = ArrowBatches.columns(fresh, ids, "recomputed rows of " + key);
    for (int r = 0; r < fresh.getRowCount(); r++) {
      index.putIfAbsent(ArrowBatches.key(freshIds, r), r);
    }
    List<FieldVector> rowIds = ArrowBatches.columns(rows, ids, "rows to rebase");
    List<Integer> left = new ArrayList<>();
    List<Integer> right = new ArrayList<>();
    for (int r = 0; r < rows.getRowCount(); r++) {
      Integer m = index.get(ArrowBatches.key(rowIds, r));
      if (m != null) {
        left.add(r);
        right.add(m);
      }
    }
    int[] l = left.stream().mapToInt(Integer::intValue).toArray();
    int[] rr = right.stream().mapToInt(Integer::intValue).toArray();
    List<FieldVector> out = new ArrayList<>();
    for (FieldVector v : rows.getFieldVectors()) {
      String n = v.getName();
      if (n.equals(PROVENANCE)
          || n.equals(PROVENANCE_BY_FIELD)
          || n.equals(FEATURE_VERSION)
          || n.equals(PROJECT_VERSION)) {
        continue;
      }
      boolean dataVersion = n.equals(DATA_VERSION) || n.equals(DATA_VERSION_BY_FIELD);
      out.add(ArrowBatches.takeColumn(v, dataVersion ? keptDataVersions(rows, l) : l, allocator));
    }
    out.add(ArrowBatches.takeColumn(
        ArrowBatches.column(fresh, PROVENANCE_BY_FIELD, "recomputed rows"), rr, allocator));
    out.add(ArrowBatches.takeColumn(
        ArrowBatches.column(fresh, PROVENANCE, "recomputed rows"), rr, allocator));
    out.add(
        ArrowBatches.strings(FEATURE_VERSION, Collections.nCopies(l.length, version), allocator));
    out.add(ArrowBatches.strings(PROJECT_VERSION, Collections.nCopies(l.length, pv), allocator));
    return ArrowBatches.of(out, l.length);
  }

  /**
   * The rows whose data versions to keep, -1 for the others: data versions equal to the old
   * provenance were never overridden, so they are nulled and the write refills them from the new one.
   */
  private static int[] keptDataVersions(VectorSchemaRoot rows, int[] matched) {
    FieldVector oldProv = rows.getVector(PROVENANCE);
    FieldVector oldDv = rows.getVector(DATA_VERSION);
    int[] keep = matched.clone();
    for (int i = 0; i < keep.length; i++) {
      Object p = oldProv == null ? null : ArrowBatches.value(oldProv, keep[i]);
      Object d = oldDv == null ? null : ArrowBatches.value(oldDv, keep[i]);
      if (p == null || p.equals(d)) {
        keep[i] = -1;
      }
    }
    return keep;
  }

  /**
   * {@link MetadataStore#copyMetadata}. Takes this store only for each write, not while reading the
   * source: two copies in opposite directions must not deadlock.
   */
  CopyResult copy(
      MetadataStore from,
      @Nullable List<FeatureKey> features,
      Map<FeatureKey, List<RowFilter>> filters,
      List<RowFilter> globalFilters,
      boolean withFeatureHistory,
      boolean withSampleHistory) {
    if (!store.isOpen() || !from.isOpen()) {
      throw new IllegalArgumentException(
          "copyMetadata needs both stores open (source " + from + ", destination " + store + ")");
    }
    List<FeatureKey> keys =
        features != null ? features : List.copyOf(store.graph().keys());
    Set<FeatureKey> stray = new TreeSet<>(filters.keySet());
    stray.removeAll(keys);
    if (!stray.isEmpty()) {
      // A filter that selects nothing of the copy is a mistake (a misspelt key, a feature left
      // out).
      throw new IllegalArgumentException(
          "copyMetadata: filters given for features that are not copied: " + stray);
    }
    int copied = 0;
    long rows = 0;
    for (FeatureKey k : keys) {
      List<RowFilter> f = new ArrayList<>(globalFilters);
      f.addAll(filters.getOrDefault(k, List.of()));
      ReadOptions ro = readOptions(f, withFeatureHistory, withSampleHistory).noFallback();
      VectorSchemaRoot batch;
      try {
        batch = from.read(k, ro);
      } catch (FeatureNotFoundException e) {
        LOG.warn("copyMetadata: feature {} not found in {}, skipped", k, from);
        continue;
      }
      try (batch) {
        if (batch.getRowCount() == 0) {
          LOG.warn("copyMetadata: feature {} has no rows in {}, skipped", k, from);
          continue;
        }
        writes.writeCopy(k, batch, withSampleHistory);
        copied++;
        rows += batch.getRowCount();
      }
    }
    return new CopyResult(copied, rows);
  }
}
