package io.metaxy.store;

import static io.metaxy.SystemColumns.DATA_VERSION_BY_FIELD;
import static io.metaxy.SystemColumns.DELETED_AT;
import static io.metaxy.SystemColumns.PROVENANCE_BY_FIELD;

import io.metaxy.FeatureKey;
import io.metaxy.filter.FilterEvaluationException;
import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.Filters;
import io.metaxy.store.MetadataStore.ReadResult;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.support.ArrowBatches;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading rules of a {@link MetadataStore} (store spec §3), kept in one place because every read
 * goes through them: the user's reads, {@code resolveUpdate}'s concurrent reads, soft deletes and
 * copies. Plans the backend scan (version, deduplication, the filters a backend can run, the columns
 * to ship), runs the remaining filters in the JVM, and falls back to the fallback stores, in order,
 * when this store has no table for the feature.
 *
 * <p>Reads may run on reader threads while the operation's thread holds the store, so nothing here
 * takes this store's lock except the existence checks the facade calls directly (a fallback store is
 * opened and held for the length of each lookup in it).
 */
final class StoreReads {
  // Logged under the store's name, where users already look for (and configure) read diagnostics.
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

  private final MetadataStore store;
  private final StoreConnection connection;
  private final ActiveGraph features;
  private final BufferAllocator allocator;

  StoreReads(
      MetadataStore store,
      StoreConnection connection,
      ActiveGraph features,
      BufferAllocator allocator) {
    this.store = store;
    this.connection = connection;
    this.features = features;
    this.allocator = allocator;
  }

  /** {@link MetadataStore#readWithStore(FeatureKey, ReadOptions)} through {@code b}. */
  ReadResult read(StoreBackend b, FeatureKey key, ReadOptions opts, Projection projection) {
    if (opts.featureVersion() != null && !opts.withFeatureHistory()) {
      throw new IllegalArgumentException(
          "read(" + key
              + "): featureVersion needs withFeatureHistory (the default read is the current version only)");
    }
    String table = key.tableName();
    if (exists(b, key, table, opts)) {
      return new ReadResult(scan(b, key, table, opts, projection), store);
    }
    if (SystemTables.isSystem(key)) {
      throw new SystemDataNotFoundException("system table " + table + " does not exist in " + store
          + ". Invoke `metaxy push` (pushGraphSnapshot) first.");
    }
    ReadResult fromFallback = opts.allowFallback() ? readFallback(key, opts, projection) : null;
    if (fromFallback != null) {
      return fromFallback;
    }
    throw new FeatureNotFoundException(
        "feature " + key + " not found in " + store
            + (store.fallbackStores().isEmpty() || !opts.allowFallback()
                ? ""
                : " or its fallback stores"),
        List.of(key));
  }

  /**
   * Whether the table exists. A read naming columns needs the table's schema anyway, to refuse unknown
   * names alike on every store (a database would answer with its own error text).
   */
  private static boolean exists(StoreBackend b, FeatureKey key, String table, ReadOptions opts) {
    if (opts.filters().isEmpty() && opts.columns() == null) {
      return b.hasTable(table);
    }
    Schema schema = b.tableSchema(table);
    if (schema != null) {
      checkNamedColumns(key, schema, opts);
    }
    return schema != null;
  }

  private static void checkNamedColumns(FeatureKey key, Schema table, ReadOptions opts) {
    Set<String> have = new LinkedHashSet<>();
    table.getFields().forEach(f -> have.add(f.getName()));
    for (String c : opts.columns() == null ? List.<String>of() : opts.columns()) {
      if (!have.contains(c)) {
        throw new IllegalArgumentException(
            "read(" + key + "): column \"" + c + "\" is not a column of feature " + key
                + " (columns: " + String.join(", ", have) + ")");
      }
    }
    for (RowFilter f : opts.filters()) {
      if (f.expression() == null) {
        continue;
      }
      for (String c : Filters.columns(f.expression())) {
        if (!have.contains(c)) {
          throw new FilterEvaluationException(
              "filter " + f.expression() + " references column \"" + c + "\", which feature " + key
                  + " does not have (columns: " + String.join(", ", have) + ")");
        }
      }
    }
  }

  /** The rows of an existing table: filtered, deduplicated and projected as {@code opts} asks. */
  private VectorSchemaRoot scan(
      StoreBackend b, FeatureKey key, String table, ReadOptions opts, Projection projection) {
    // Filters with an expression go into the scan when the backend can run them; the rest run here.
    List<RowFilter> jvmFilters = new ArrayList<>();
    List<FilterExpr> pushed = new ArrayList<>();
    for (RowFilter f : rowFilters(key, opts)) {
      if (b.supportsFilterPushdown() && f.expression() != null) {
        pushed.add(f.expression());
      } else {
        jvmFilters.add(f);
      }
    }
    FilterExpr filter = pushed.isEmpty() ? null : Filters.and(pushed);
    ScanRequest req = request(key, table, opts, filter, scanProjection(projection, jvmFilters));
    VectorSchemaRoot rows = scanFiltered(b, req, jvmFilters);
    try {
      return project(rows, opts, projection);
    } catch (RuntimeException e) {
      rows.close();
      throw e;
    }
  }

  private static List<RowFilter> rowFilters(FeatureKey key, ReadOptions opts) {
    List<RowFilter> all = new ArrayList<>();
    if (!SystemTables.isSystem(key) && !opts.includeSoftDeleted()) {
      all.add(RowFilter.of(Filters.isNull(DELETED_AT)));
    }
    all.addAll(opts.filters());
    return all;
  }

  /**
   * The columns to scan: the projection plus what the JVM filters look at. A filter without an
   * expression may look at anything, so then every column is read.
   */
  private static Projection scanProjection(Projection projection, List<RowFilter> jvmFilters) {
    if (projection.all() || jvmFilters.isEmpty()) {
      return projection;
    }
    Set<String> needed = new LinkedHashSet<>();
    for (RowFilter f : jvmFilters) {
      if (f.expression() == null) {
        return Projection.ALL;
      }
      needed.addAll(Filters.columns(f.expression()));
    }
    List<String> columns = projection.columns();
    if (columns != null) {
      Set<String> c = new LinkedHashSet<>(columns);
      c.addAll(needed);
      columns = List.copyOf(c);
    }
    Set<String> omit = new LinkedHashSet<>(projection.omit());
    omit.removeAll(needed);
    return new Projection(columns, omit);
  }

  private ScanRequest request(
      FeatureKey key,
      String table,
      ReadOptions opts,
      @Nullable FilterExpr filter,
      Projection scanned) {
    if (SystemTables.isSystem(key)) {
      return new ScanRequest(
          table, null, null, Map.of(), filter, scanned.columns(), scanned.omit());
    }
    String version =
        !opts.withFeatureHistory() ? features.featureVersion(key) : opts.featureVersion();
    List<String> fields = features.fieldKeys(key);
    return new ScanRequest(
        table,
        version,
        opts.withSampleHistory() ? null : features.spec(key).idColumns(),
        Map.of(PROVENANCE_BY_FIELD, fields, DATA_VERSION_BY_FIELD, fields),
        filter,
        scanned.columns(),
        scanned.omit());
  }

  /** Scans, then runs the JVM filters; a pushed-down filter the database refuses runs here instead. */
  private VectorSchemaRoot scanFiltered(
      StoreBackend b, ScanRequest req, List<RowFilter> jvmFilters) {
    VectorSchemaRoot root;
    List<RowFilter> here = jvmFilters;
    try {
      root = b.scan(req, allocator);
    } catch (MetadataStoreException e) {
      if (req.filter() == null) {
        throw e;
      }
      // A filter the database refuses (a type it will not compare, a value it cannot cast) is run
      // by the JVM evaluator instead, on every column, so its result or error is the same on every
      // store.
      LOG.debug(
          "filter {} failed in {}, evaluated in the JVM: {}", req.filter(), store, e.getMessage());
      root = b.scan(
          new ScanRequest(
              req.table(), req.featureVersion(), req.dedupIdColumns(), req.byFieldKeys(), null),
          allocator);
      here = new ArrayList<>(jvmFilters);
      here.add(RowFilter.of(req.filter()));
    }
    try {
      return applyFilters(root, here);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /** The requested columns only: drops what only the JVM filters needed and whatever a backend returned beyond the request. */
  private VectorSchemaRoot project(VectorSchemaRoot root, ReadOptions opts, Projection projection) {
    if (opts.columns() != null) {
      VectorSchemaRoot projected = ArrowBatches.select(root, opts.columns(), allocator);
      root.close();
      return projected;
    }
    if (projection.all()) {
      return root;
    }
    List<String> extra = new ArrayList<>();
    for (FieldVector v : root.getFieldVectors()) {
      if (!projection.keeps(v.getName())) {
        extra.add(v.getName());
      }
    }
    return extra.isEmpty() ? root : ArrowBatches.without(root, extra, allocator);
  }

  /** Applies AND-ed filters; closes {@code root} when a new batch is returned. */
  VectorSchemaRoot applyFilters(VectorSchemaRoot root, List<RowFilter> filters) {
    if (filters.isEmpty()) {
      return root;
    }
    BitSet keep = RowFilter.and(filters).evaluate(root);
    if (keep.cardinality() == root.getRowCount()) {
      return root;
    }
    VectorSchemaRoot out = ArrowBatches.filter(root, keep, allocator);
    root.close();
    return out;
  }

  /** The first fallback store holding the feature, its rows moved to this store's allocator; null when none does. */
  private @Nullable ReadResult readFallback(
      FeatureKey key, ReadOptions opts, Projection projection) {
    for (MetadataStore fb : store.fallbackStores()) {
      ReadResult r;
      try {
        r = inReadScope(fb, () -> fb.readWithStore(key, opts, projection));
      } catch (FeatureNotFoundException e) {
        continue; // try the next fallback
      }
      if (fb.allocator() != allocator) {
        // Fallback results must outlive the fallback's scope.
        VectorSchemaRoot moved =
            ArrowBatches.select(r.batch(), ArrowBatches.names(r.batch()), allocator);
        r.batch().close();
        r = new ReadResult(moved, r.store());
      }
      return r;
    }
    return null;
  }

  /** {@link MetadataStore#hasFeature(FeatureKey, boolean)}. */
  boolean hasFeature(FeatureKey key, boolean checkFallback) {
    if (hasTable(key)) {
      return true;
    }
    if (checkFallback) {
      for (MetadataStore fb : store.fallbackStores()) {
        if (inReadScope(fb, () -> fb.hasFeature(key, true))) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@link MetadataStore#findStoreForFeature(FeatureKey)}. */
  @Nullable
  MetadataStore findStoreForFeature(FeatureKey key) {
    if (hasTable(key)) {
      return store;
    }
    for (MetadataStore fb : store.fallbackStores()) {
      MetadataStore found = inReadScope(fb, () -> fb.findStoreForFeature(key));
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** {@link MetadataStore#storeMetadata(FeatureKey, boolean)}. */
  Map<String, @Nullable Object> storeMetadata(FeatureKey key, boolean checkFallback) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("name", store.name());
    out.put("display", store.display());
    MetadataStore found = checkFallback ? findStoreForFeature(key) : (hasTable(key) ? store : null);
    if (found != null) {
      Map<String, @Nullable Object> info = new LinkedHashMap<>();
      info.put("name", found.name());
      info.put("type", found.getClass().getName());
      info.put("display", found.display());
      info.put("table_name", key.tableName());
      out.put("resolved_from", info);
    }
    return out;
  }

  private boolean hasTable(FeatureKey key) {
    return connection.locked(() -> connection.backend().hasTable(key.tableName()));
  }

  /** Runs {@code body} holding {@code s} inside a read scope of it: fallbacks are opened on demand. */
  private static <T> T inReadScope(MetadataStore s, Supplier<T> body) {
    MetadataStore.Scope scope = s.open(AccessMode.READ);
    try {
      return s.locked(body);
    } finally {
      scope.close();
    }
  }
}
