package io.metaxy.store;

import io.metaxy.ArrowMemoryUnavailableException;

import io.metaxy.engine.ProvenanceColumns;
import io.metaxy.SystemColumns;
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

import io.metaxy.graph.FeatureCompanion;
import io.metaxy.graph.FeatureCompanions;
import io.metaxy.FeatureKey;
import io.metaxy.engine.VersioningEngine;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.support.ArrowBatches;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A metadata store: append-only per-feature tables of sample metadata with system columns, read
 * merge-on-read (latest row per sample), plus increment resolution ("what must I recompute?").
 *
 * <p>All behaviour of store spec §1–§7 lives here, once (the read planning and pipelining of
 * {@code resolveUpdate} in the package's {@code UpdateResolver}); adapters implement
 * {@link StoreBackend}. A store must be opened before use ({@link #open(AccessMode)},
 * try-with-resources); opens nest and the innermost mode applies. Batches returned by the store are
 * allocated from its allocator and owned by the caller.
 *
 * <h2>The contract</h2>
 *
 * <ul>
 *   <li><b>A call that returns has stored everything; a call that throws has stored nothing.</b> This
 *       holds for {@link #write}, {@link #writeMulti} (all its features or none), {@link #delete}
 *       (soft: one append of tombstones; hard: one atomic rewrite) and {@link #dropFeatureMetadata},
 *       on every store. {@link #copyMetadata} is atomic per feature, not across features.
 *   <li><b>Strict writes.</b> Every batch passes one check before any backend sees it: ids present,
 *       non-null and of the declared and stored type; {@code metaxy_provenance_by_field} non-null with
 *       exactly the feature's fields; no two rows of one sample the read side could not order; user
 *       columns of the stored (and declared) type, never cast; a preserved feature version only with
 *       its project version. A refused batch raises {@link MetadataSchemaException} naming the column
 *       and the first offending row.
 *   <li><b>Any number of threads.</b> One opened store may be shared by the threads of a pool, as a
 *       {@code DataSource} is. Operations on one instance run one at a time (a {@code resolveUpdate}
 *       still reads its tables side by side on reader connections); each sees every call that
 *       returned before it started. For parallel writes, open one store per thread on the same
 *       database: each has its own connection, and concurrent table creation is handled.
 * </ul>
 *
 * <p>Listeners ({@link #addWarningListener}, {@link #addProgressListener}) run while the operation
 * that calls them holds the store: they must not wait for another thread that uses it.
 */
public abstract class MetadataStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

  private final StoreOptions options;
  private final HashAlgorithm hashAlgorithm;
  private final BufferAllocator allocator;
  private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
  private final List<Scope> scopes = new ArrayList<>();
  private AccessMode connectedMode;
  private volatile FeatureGraph graph;
  private StoreBackend backend;
  private long lastTimestamp;
  // Copy-on-write: a BufferedMetadataWriter writes (and so warns) from its own thread.
  private final List<java.util.function.Consumer<? super StoreWarning>> warningListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * A store with these options.
   *
   * @param defaultAlgorithm the algorithm used when the options name none
   * @throws ArrowMemoryUnavailableException when the JVM was started without the flag Arrow needs
   */
  protected MetadataStore(StoreOptions options, HashAlgorithm defaultAlgorithm) {
    this.options = Objects.requireNonNull(options, "options");
    // Here rather than at the first batch: a missing JVM flag is a launch problem, best reported at once.
    io.metaxy.store.support.ArrowAccess.require();
    this.graph = options.graph();
    this.hashAlgorithm = options.hashAlgorithm() != null ? options.hashAlgorithm() : defaultAlgorithm;
    this.allocator = options.allocator() != null ? options.allocator() : io.metaxy.store.support.BufferPool.newRootAllocator();
  }

  // ---------------------------------------------------------------- adapter hooks

  /** Opens the physical connection; called when the first scope opens. */
  protected abstract StoreBackend connect(AccessMode mode);

  /** Human-readable description containing the class name, never the store name. */
  public abstract String display();

  /**
   * Whether this store can use an algorithm. Hashes are computed in the JVM by
   * {@link io.metaxy.engine.VersioningEngine}, which implements every algorithm; farmhash is refused
   * because the reference supports it in no store, so its values could never be compared.
   */
  protected boolean supportsHashAlgorithm(HashAlgorithm algorithm) {
    return algorithm != HashAlgorithm.FARMHASH;
  }

  // ---------------------------------------------------------------- properties

  /** The configured name, or {@code null}. */
  public String name() {
    return options.name();
  }

  /** The options the store was built with. */
  public StoreOptions options() {
    return options;
  }

  /** The resolved hash algorithm. */
  public HashAlgorithm hashAlgorithm() {
    return hashAlgorithm;
  }

  /** The hash truncation. */
  public Truncation truncation() {
    return options.truncation();
  }

  /** The allocator results are allocated from. */
  public BufferAllocator allocator() {
    return allocator;
  }

  /** The active feature graph. */
  public FeatureGraph graph() {
    return locked(() -> graph);
  }

  /**
   * Switches the active feature graph (the reference's context-local active graph): later writes stamp
   * its versions and reads scope to them.
   */
  public void useGraph(FeatureGraph g) {
    Objects.requireNonNull(g, "graph");
    locked(() -> {
      this.graph = g;
    });
  }

  /** The fallback stores, in order. */
  public List<MetadataStore> fallbackStores() {
    return options.fallbackStores();
  }

  @Override
  public String toString() {
    return name() != null ? "[" + name() + "] " + display() : display();
  }

  /**
   * Registers a listener for {@linkplain StoreWarning warnings} (the reference's Python warnings, such
   * as a non-root feature written without {@code metaxy_provenance}). Every warning is also logged at
   * WARN. Listeners run synchronously on the thread of the operation that warns (for a
   * {@link BufferedMetadataWriter}, its flush thread); an exception from a listener propagates to that
   * operation's caller, after the operation itself has completed.
   */
  public void addWarningListener(java.util.function.Consumer<? super StoreWarning> listener) {
    warningListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener added by {@link #addWarningListener}; no-op when it was not registered. */
  public void removeWarningListener(java.util.function.Consumer<? super StoreWarning> listener) {
    warningListeners.remove(listener);
  }

  private final List<java.util.function.Consumer<? super ResolveProgress>> progressListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Registers a listener for the progress of large {@code resolveUpdate}s, which compute their
   * increment in id ranges ({@link ResolveOptions#partitionRows}): it is called after each range, on
   * the resolving thread (a command line shows it; a resolve of 10M samples takes seconds). An
   * exception from a listener fails the resolve.
   */
  public void addProgressListener(java.util.function.Consumer<? super ResolveProgress> listener) {
    progressListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener added by {@link #addProgressListener}; no-op when it was not registered. */
  public void removeProgressListener(java.util.function.Consumer<? super ResolveProgress> listener) {
    progressListeners.remove(listener);
  }

  /** Reports a step of a partitioned {@code resolveUpdate} to the progress listeners. */
  void notifyProgress(ResolveProgress progress) {
    for (var l : progressListeners) {
      l.accept(progress);
    }
  }

  private void warn(StoreWarning w) {
    LOG.warn("{}", w.message());
    for (var l : warningListeners) {
      l.accept(w);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Runs {@code body} holding the store: one operation at a time per instance, so that the single
   * connection of a backend is never used by two threads at once and every call sees the tables as the
   * previous call left them. Reentrant: an operation may call others.
   */
  <T> T locked(java.util.function.Supplier<T> body) {
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  /** {@link #locked(java.util.function.Supplier)} for an operation without a result. */
  void locked(Runnable body) {
    lock.lock();
    try {
      body.run();
    } finally {
      lock.unlock();
    }
  }

  /** A scope opened by {@link #open(AccessMode)}; closing it leaves the scope. */
  public final class Scope implements AutoCloseable {
    private final AccessMode mode;
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private Scope(AccessMode mode) {
      this.mode = mode;
    }

    /** The store. */
    public MetadataStore store() {
      return MetadataStore.this;
    }

    /** The mode this scope was opened in. */
    public AccessMode mode() {
      return mode;
    }

    @Override
    public void close() {
      locked(() -> {
        if (!closed) {
          closed = true;
          leave(this);
        }
      });
    }
  }

  /**
   * Enters a scope in {@code mode}. The connection opens when the first scope opens (with that mode)
   * and closes when the last one closes; the innermost scope's mode is the effective one. Scopes may be
   * opened and closed on any thread, in any order: the effective mode of a thread is that of the
   * innermost scope it opened itself, else that of the innermost open scope (so worker threads of a
   * pool use the scope their parent opened). Closing the last scope waits for running operations.
   *
   * @throws IllegalArgumentException when a fallback store uses another hash algorithm
   * @throws HashAlgorithmNotSupportedException when the backend cannot compute the algorithm
   */
  public Scope open(AccessMode mode) {
    Objects.requireNonNull(mode, "mode");
    return locked(() -> {
      if (scopes.isEmpty()) {
        if (!supportsHashAlgorithm(hashAlgorithm)) {
          throw new HashAlgorithmNotSupportedException(
              display() + " does not support hash algorithm " + hashAlgorithm.configName());
        }
        for (MetadataStore fb : fallbackStores()) {
          if (fb.hashAlgorithm() != hashAlgorithm) {
            throw new IllegalArgumentException(
                "fallback store " + fb + " uses hash_algorithm " + fb.hashAlgorithm().configName() + " but " + this
                    + " uses " + hashAlgorithm.configName() + "; they must match");
          }
        }
        backend = connect(mode);
        connectedMode = mode;
      }
      Scope scope = new Scope(mode);
      scopes.add(scope);
      return scope;
    });
  }

  /** {@link #open(AccessMode)} in read mode. */
  public Scope open() {
    return open(AccessMode.READ);
  }

  private void leave(Scope scope) {
    scopes.remove(scope);
    if (scopes.isEmpty()) {
      StoreBackend b = backend;
      backend = null;
      b.close();
    }
  }

  /** Whether at least one scope is open. */
  public boolean isOpen() {
    return locked(() -> !scopes.isEmpty());
  }

  /** The effective access mode of the calling thread (see {@link #open(AccessMode)}), or {@code null} when closed. */
  public AccessMode accessMode() {
    return locked(() -> {
      Thread me = Thread.currentThread();
      for (int i = scopes.size() - 1; i >= 0; i--) {
        if (scopes.get(i).owner == me) {
          return scopes.get(i).mode;
        }
      }
      return scopes.isEmpty() ? null : scopes.get(scopes.size() - 1).mode;
    });
  }

  /** How many scopes are open. */
  public int openDepth() {
    return locked(scopes::size);
  }

  /** Leaves every open scope and closes the connection (after the running operation, if any). */
  @Override
  public void close() {
    locked(() -> {
      while (!scopes.isEmpty()) {
        Scope s = scopes.get(scopes.size() - 1);
        s.closed = true;
        leave(s);
      }
    });
  }

  /** Runs {@code body} inside a read scope of this store (fallbacks are opened on demand). */
  private <T> T inReadScope(java.util.function.Supplier<T> body) {
    Scope scope = open(AccessMode.READ);
    try {
      return locked(body);
    } finally {
      scope.close();
    }
  }

  /** The open backend; only while holding the store ({@link #locked}). */
  StoreBackend backend() {
    if (!lock.isHeldByCurrentThread()) {
      // A programming error of ours: every use of the connection must be serialised.
      throw new IllegalStateException("the store's backend is used without holding the store");
    }
    if (scopes.isEmpty()) {
      throw new StoreNotOpenException(
          getClass().getSimpleName() + " must be opened before use. Use try (var s = store.open(AccessMode.READ)) { ... }.");
    }
    if (backend.isBroken()) {
      // The call that lost the connection has thrown (and stored nothing); this one gets a new connection.
      LOG.warn("{}: the connection was lost; reconnecting", this);
      StoreBackend lost = backend;
      // When this throws (the database is still down) the lost backend stays, and the next call tries again.
      backend = connect(connectedMode);
      try {
        lost.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the lost connection of {} failed: {}", this, e.getMessage());
      }
    }
    return backend;
  }

  /**
   * Runs an adapter's own operation (one the store API does not have, e.g. a layout conversion) on the
   * open backend, holding the store like every other operation.
   *
   * @throws StoreNotOpenException when the store is not open, or open for READ while {@code mode} is WRITE
   */
  protected final <T> T onBackend(AccessMode mode, java.util.function.Function<StoreBackend, T> body) {
    return locked(() -> body.apply(mode == AccessMode.WRITE ? writableBackend() : backend()));
  }

  private StoreBackend writableBackend() {
    StoreBackend b = backend();
    if (accessMode() != AccessMode.WRITE) {
      throw new StoreNotOpenException(
          getClass().getSimpleName() + " is open in read mode. Write operations require write mode: open(AccessMode.WRITE).");
    }
    return b;
  }

  // ---------------------------------------------------------------- graph helpers

  private FeatureDefinition definition(FeatureKey key) {
    return graph.find(key)
        .orElseThrow(() -> new IllegalArgumentException("feature " + key + " is not in the store's feature graph"));
  }

  FeatureSpec spec(FeatureKey key) {
    return definition(key).spec();
  }

  /** The current feature version of a feature under the store's truncation. */
  public String featureVersion(FeatureKey key) {
    return locked(() -> currentFeatureVersion(key));
  }

  /**
   * {@link #featureVersion} without taking the store: for code already inside an operation, whose
   * concurrent reads run on other threads while the operation's thread holds the store.
   */
  String currentFeatureVersion(FeatureKey key) {
    return graph.versions(truncation()).featureVersion(key);
  }

  /** The current project version of the project a feature belongs to. */
  public String projectVersion(FeatureKey key) {
    return locked(() -> currentProjectVersion(key));
  }

  private String currentProjectVersion(FeatureKey key) {
    return graph.projectVersion(definition(key).project(), truncation());
  }

  private List<String> fieldKeys(FeatureKey key) {
    return spec(key).fields().stream().map(f -> f.key().structKey()).toList();
  }

  // ---------------------------------------------------------------- existence

  /** Whether this store has a table for the feature (fallbacks are not consulted). */
  public boolean hasFeature(FeatureKey key) {
    return hasFeature(key, false);
  }

  /** Whether this store (or, when asked, a fallback store, opened on demand) has the feature's table. */
  public boolean hasFeature(FeatureKey key, boolean checkFallback) {
    if (locked(() -> backend().hasTable(key.tableName()))) {
      return true;
    }
    if (checkFallback) {
      for (MetadataStore fb : fallbackStores()) {
        if (fb.inReadScope(() -> fb.hasFeature(key, true))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The store holding the feature: this one, else the first fallback (recursively), else null. */
  public MetadataStore findStoreForFeature(FeatureKey key) {
    if (locked(() -> backend().hasTable(key.tableName()))) {
      return this;
    }
    for (MetadataStore fb : fallbackStores()) {
      MetadataStore found = fb.inReadScope(() -> fb.findStoreForFeature(key));
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- read

  /** The result of a read and the store that held the data. */
  public record ReadResult(VectorSchemaRoot batch, MetadataStore store) {}

  /** {@link #read(FeatureKey, ReadOptions)} with defaults. */
  public VectorSchemaRoot read(FeatureKey key) {
    return read(key, ReadOptions.DEFAULT);
  }

  /**
   * Reads a feature (store spec §3): current feature version unless {@code withFeatureHistory}, the
   * latest row per sample by {@code coalesce(deleted_at, updated_at)} unless {@code withSampleHistory},
   * tombstones hidden unless {@code includeSoftDeleted}, then filters, then the column projection.
   *
   * @throws FeatureNotFoundException when neither this store nor a fallback has the feature
   * @throws SystemDataNotFoundException when a system table has not been written yet
   */
  public VectorSchemaRoot read(FeatureKey key, ReadOptions opts) {
    return readWithStore(key, opts).batch();
  }

  /** {@link #read(FeatureKey, ReadOptions)} plus the store that served it. */
  public ReadResult readWithStore(FeatureKey key, ReadOptions opts) {
    return readWithStore(key, opts, opts.columns() == null ? Projection.ALL : new Projection(opts.columns(), Set.of()));
  }

  private ReadResult readWithStore(FeatureKey key, ReadOptions opts, Projection projection) {
    return locked(() -> readWithStore(backend(), key, opts, projection));
  }

  /** {@link #readWithStore(FeatureKey, ReadOptions, Projection)} through {@code b} (this store's backend or a concurrent reader of it). */
  ReadResult readWithStore(StoreBackend b, FeatureKey key, ReadOptions opts, Projection projection) {
    boolean sys = SystemTables.isSystem(key);
    if (opts.featureVersion() != null && !opts.withFeatureHistory()) {
      throw new IllegalArgumentException(
          "read(" + key + "): featureVersion needs withFeatureHistory (the default read is the current version only)");
    }
    String table = key.tableName();
    boolean named = !opts.filters().isEmpty() || opts.columns() != null;
    org.apache.arrow.vector.types.pojo.Schema tableSchema = named ? b.tableSchema(table) : null;
    if (tableSchema != null) {
      checkNamedColumns(key, tableSchema, opts);
    }
    if (tableSchema != null || (!named && b.hasTable(table))) {
      // Filters with an expression go into the scan when the backend can run them; the rest run here.
      List<RowFilter> jvmFilters = new ArrayList<>();
      List<io.metaxy.filter.FilterExpr> pushed = new ArrayList<>();
      List<RowFilter> all = new ArrayList<>();
      if (!sys && !opts.includeSoftDeleted()) {
        all.add(RowFilter.of(io.metaxy.filter.Filters.isNull(DELETED_AT)));
      }
      all.addAll(opts.filters());
      for (RowFilter f : all) {
        if (b.supportsFilterPushdown() && f.expression() != null) {
          pushed.add(f.expression());
        } else {
          jvmFilters.add(f);
        }
      }
      io.metaxy.filter.FilterExpr filter = pushed.isEmpty() ? null : io.metaxy.filter.Filters.and(pushed);
      // The scan must also return what the filters evaluated here look at; a filter without an
      // expression may look at anything, so then every column is read.
      List<String> scanColumns = projection.columns();
      Set<String> scanOmit = projection.omit();
      if (!projection.all() && !jvmFilters.isEmpty()) {
        Set<String> needed = new LinkedHashSet<>();
        boolean opaque = false;
        for (RowFilter f : jvmFilters) {
          if (f.expression() == null) {
            opaque = true;
          } else {
            needed.addAll(io.metaxy.filter.Filters.columns(f.expression()));
          }
        }
        if (opaque) {
          scanColumns = null;
          scanOmit = Set.of();
        } else {
          if (scanColumns != null) {
            Set<String> c = new LinkedHashSet<>(scanColumns);
            c.addAll(needed);
            scanColumns = List.copyOf(c);
          }
          Set<String> o = new LinkedHashSet<>(scanOmit);
          o.removeAll(needed);
          scanOmit = o;
        }
      }
      ScanRequest req;
      if (sys) {
        req = new ScanRequest(table, null, null, Map.of(), filter, scanColumns, scanOmit);
      } else {
        String version = !opts.withFeatureHistory() ? currentFeatureVersion(key) : opts.featureVersion();
        List<String> fields = fieldKeys(key);
        req =
            new ScanRequest(
                table,
                version,
                opts.withSampleHistory() ? null : spec(key).idColumns(),
                Map.of(PROVENANCE_BY_FIELD, fields, DATA_VERSION_BY_FIELD, fields),
                filter,
                scanColumns,
                scanOmit);
      }
      VectorSchemaRoot root;
      try {
        root = b.scan(req, allocator);
      } catch (MetadataStoreException e) {
        if (filter == null) {
          throw e;
        }
        // A filter the database refuses (a type it will not compare, a value it cannot cast) is run by
        // the JVM evaluator instead, on every column, so its result or error is the same on every store.
        LOG.debug("filter {} failed in {}, evaluated in the JVM: {}", filter, this, e.getMessage());
        root = b.scan(new ScanRequest(req.table(), req.featureVersion(), req.dedupIdColumns(), req.byFieldKeys(), null), allocator);
        jvmFilters = new ArrayList<>(jvmFilters);
        jvmFilters.add(RowFilter.of(filter));
      }
      try {
        root = applyFilters(root, jvmFilters);
        if (!projection.all() && opts.columns() == null) {
          // Drop what only the JVM filters needed, and whatever a backend returned beyond the request.
          List<String> extra = new ArrayList<>();
          for (FieldVector v : root.getFieldVectors()) {
            if (!projection.keeps(v.getName())) {
              extra.add(v.getName());
            }
          }
          if (!extra.isEmpty()) {
            root = ArrowBatches.without(root, extra, allocator);
          }
        }
        if (opts.columns() != null) {
          VectorSchemaRoot projected = ArrowBatches.select(root, opts.columns(), allocator);
          root.close();
          root = projected;
        }
        return new ReadResult(root, this);
      } catch (RuntimeException e) {
        root.close();
        throw e;
      }
    }
    if (sys) {
      throw new SystemDataNotFoundException(
          "system table " + table + " does not exist in " + this + ". Invoke `metaxy push` (pushGraphSnapshot) first.");
    }
    if (opts.allowFallback()) {
      for (MetadataStore fb : fallbackStores()) {
        ReadResult r;
        try {
          r = fb.inReadScope(() -> fb.readWithStore(key, opts, projection));
        } catch (FeatureNotFoundException e) {
          continue; // try the next fallback
        }
        if (fb.allocator() != allocator) {
          // Fallback results move to this store's allocator so they outlive the fallback's scope.
          VectorSchemaRoot moved = ArrowBatches.select(r.batch(), ArrowBatches.names(r.batch()), allocator);
          r.batch().close();
          r = new ReadResult(moved, r.store());
        }
        return r;
      }
    }
    throw new FeatureNotFoundException(
        "feature " + key + " not found in " + this + (fallbackStores().isEmpty() || !opts.allowFallback() ? "" : " or its fallback stores"),
        List.of(key));
  }

  /**
   * Refuses a projection or filter naming a column the table does not have, before any backend sees
   * it, so that every store reports it alike (a database would answer with its own error text).
   */
  private static void checkNamedColumns(FeatureKey key, org.apache.arrow.vector.types.pojo.Schema table, ReadOptions opts) {
    Set<String> have = new LinkedHashSet<>();
    table.getFields().forEach(f -> have.add(f.getName()));
    for (String c : opts.columns() == null ? List.<String>of() : opts.columns()) {
      if (!have.contains(c)) {
        throw new IllegalArgumentException("read(" + key + "): column \"" + c + "\" is not a column of feature " + key
            + " (columns: " + String.join(", ", have) + ")");
      }
    }
    for (RowFilter f : opts.filters()) {
      if (f.expression() == null) {
        continue;
      }
      for (String c : io.metaxy.filter.Filters.columns(f.expression())) {
        if (!have.contains(c)) {
          throw new io.metaxy.filter.FilterEvaluationException("filter " + f.expression() + " references column \"" + c
              + "\", which feature " + key + " does not have (columns: " + String.join(", ", have) + ")");
        }
      }
    }
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

  // ---------------------------------------------------------------- write

  /** {@link #write(FeatureKey, VectorSchemaRoot, WriteOptions)} with defaults. */
  public void write(FeatureKey key, VectorSchemaRoot batch) {
    write(key, batch, WriteOptions.DEFAULT);
  }

  /**
   * Appends rows (store spec §5): fills the system columns, then appends atomically. The batch must
   * carry the feature's id columns and {@code metaxy_provenance_by_field}; the caller keeps ownership.
   * A non-root feature written without {@code metaxy_provenance} raises a
   * {@link StoreWarning.Kind#COLUMN_MISSING} warning after the append (see {@link #addWarningListener}).
   *
   * @throws MetadataSchemaException naming a missing or wrongly typed column; nothing is written
   * @throws TableNotFoundException when the table is missing and automatic creation is off
   */
  public void write(FeatureKey key, VectorSchemaRoot batch, WriteOptions opts) {
    locked(() -> write(key, batch, opts, true));
  }

  /** {@link #write(FeatureKey, VectorSchemaRoot, WriteOptions)}, warning about a computed provenance only when asked. */
  private void write(FeatureKey key, VectorSchemaRoot batch, WriteOptions opts, boolean warnComputedProvenance) {
    writeAll(List.of(new Pending(key, batch, opts, warnComputedProvenance, false)));
  }

  /**
   * One batch of a write call.
   *
   * @param keepUpdatedAt keep given {@code metaxy_updated_at} values (copies of a sample history)
   */
  private record Pending(
      FeatureKey key, VectorSchemaRoot batch, WriteOptions opts, boolean warnComputedProvenance, boolean keepUpdatedAt) {}

  /**
   * Checks every batch, fills in its system columns, then appends them all in one atomic backend call:
   * either every batch is stored or none is.
   */
  private void writeAll(List<Pending> items) {
    StoreBackend b = writableBackend();
    List<StoreBackend.Append> appends = new ArrayList<>();
    List<VectorSchemaRoot> prepared = new ArrayList<>();
    try {
      for (Pending p : items) {
        Objects.requireNonNull(p.batch(), "batch");
        String table = p.key().tableName();
        if (SystemTables.isSystem(p.key())) {
          // System tables are always created on demand: a snapshot push must not need a migration step.
          appends.add(new StoreBackend.Append(table, p.batch()));
          continue;
        }
        FeatureDefinition def = definition(p.key());
        org.apache.arrow.vector.types.pojo.Schema existing = b.tableSchema(table);
        if (existing == null && !options.autoCreateTables()) {
          throw new TableNotFoundException(
              "table " + table + " for feature " + p.key() + " does not exist in " + this + " and autoCreateTables is off");
        }
        WriteValidation.checkInput(p.key(), def, p.batch(), existing, p.opts());
        // A timestamp per batch, in the order given: writeMulti's dependents-first order stays visible.
        VectorSchemaRoot full = withSystemColumns(p.key(), p.batch(), p.opts(), nextTimestamp(), null, p.keepUpdatedAt());
        prepared.add(full);
        WriteValidation.checkDuplicates(p.key(), def.spec().idColumns(), full);
        appends.add(new StoreBackend.Append(table, full));
      }
      b.appendAll(appends);
    } finally {
      prepared.forEach(VectorSchemaRoot::close);
    }
    for (Pending p : items) {
      FieldVector provenance = p.batch().getVector(PROVENANCE);
      if (p.warnComputedProvenance() && !SystemTables.isSystem(p.key()) && !spec(p.key()).isRoot()
          && (provenance == null || provenance.getField().getType() instanceof ArrowType.Null)) {
        // The reference's MetaxyColumnMissingWarning (store spec §5, scenario 19): an untyped column
        // counts as absent because it is filled as if absent (spec §11.21).
        warn(new StoreWarning(StoreWarning.Kind.COLUMN_MISSING, p.key(), PROVENANCE,
            "feature " + p.key() + " was written without column '" + PROVENANCE + "': it was computed from '"
                + PROVENANCE_BY_FIELD + "'. For a feature with upstream dependencies, write the rows of resolveUpdate"
                + " (or computeProvenance), which carry both columns."));
      }
    }
  }

  /**
   * Writes the outputs computed for increment rows: {@code outputs.get(i)} gets the provenance of
   * {@code from.get(i)}. For an expansion, repeat the parent's row once per child record.
   */
  public <T extends Record> void writeOutputs(Class<T> type, List<T> outputs, List<IncrementRow> from) {
    if (outputs.size() != from.size()) {
      throw new IllegalArgumentException(outputs.size() + " outputs but " + from.size() + " increment rows");
    }
    write(type, outputs, from.stream().map(IncrementRow::provenanceByField).toList());
  }

  /**
   * Writes records through their generated companion, each with its per-field provenance (normally
   * {@link IncrementRow#provenanceByField}). The sample provenance is computed from it without a
   * {@link StoreWarning.Kind#COLUMN_MISSING} warning: this API carries provenance only by field.
   */
  public <T extends Record> void write(
      Class<T> type, List<T> records, List<? extends Map<String, String>> provenanceByField) {
    try (VectorSchemaRoot batch = samples(type, records, provenanceByField)) {
      locked(() -> write(FeatureCompanions.of(type).key(), batch, WriteOptions.DEFAULT, false));
    }
  }

  /**
   * A batch of records with their per-field provenance, in the shape {@link #write} and
   * {@link ResolveOptions#samples} take: the record's columns plus {@code metaxy_provenance_by_field}.
   * The caller closes it.
   */
  public <T extends Record> VectorSchemaRoot samples(
      Class<T> type, List<T> records, List<? extends Map<String, String>> provenanceByField) {
    FeatureCompanion<T> c = FeatureCompanions.of(type);
    if (records.size() != provenanceByField.size()) {
      throw new IllegalArgumentException(
          records.size() + " records but " + provenanceByField.size() + " provenance maps for " + c.key());
    }
    try (VectorSchemaRoot user = c.toArrow(records, allocator)) {
      List<FieldVector> vs = new ArrayList<>();
      for (FieldVector v : user.getFieldVectors()) {
        vs.add(ArrowBatches.copyColumn(v, v.getName(), allocator));
      }
      List<String> keys = new ArrayList<>(fieldKeys(c.key()));
      vs.add(ArrowBatches.byFieldStruct(PROVENANCE_BY_FIELD, keys, provenanceByField, allocator));
      return ArrowBatches.of(vs, records.size());
    }
  }

  /** Appends a complete batch as is (tests use it to stage rows with chosen timestamps). */
  void appendRaw(FeatureKey key, VectorSchemaRoot full) {
    locked(() -> writableBackend().append(key.tableName(), full));
  }

  /** A write timestamp: wall clock in microseconds, strictly increasing per store instance. */
  long nextTimestamp() {
    java.time.Instant now = java.time.Instant.now();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    lastTimestamp = Math.max(micros, lastTimestamp + 1);
    return lastTimestamp;
  }

  /**
   * The batch to append: user columns as given, then the ten system columns filled per store spec §5.
   * Null cells of computed columns are filled as if the column were absent (spec §11.21).
   */
  VectorSchemaRoot withSystemColumns(
      FeatureKey key, VectorSchemaRoot in, WriteOptions opts, long ts, boolean softDelete) {
    return withSystemColumns(key, in, opts, ts, softDelete ? Long.valueOf(ts) : null, softDelete);
  }

  /**
   * As above; {@code deletedAt} non-null stamps every row's {@code metaxy_deleted_at}, and
   * {@code keepUpdatedAt} keeps given {@code metaxy_updated_at} values (soft deletes, raw test appends).
   */
  VectorSchemaRoot withSystemColumns(
      FeatureKey key, VectorSchemaRoot in, WriteOptions opts, long ts, Long deletedAt, boolean keepUpdatedAt) {
    List<String> untyped = new ArrayList<>();
    for (FieldVector v : in.getFieldVectors()) {
      if (SystemColumns.isSystemColumn(v.getName()) && v.getField().getType() instanceof ArrowType.Null) {
        untyped.add(v.getName());
      }
    }
    if (!untyped.isEmpty()) {
      // Untyped (all-null) system columns carry no values: fill them as if they were absent (spec §11.21).
      List<FieldVector> kept = new ArrayList<>();
      for (FieldVector v : in.getFieldVectors()) {
        if (!untyped.contains(v.getName())) {
          kept.add(ArrowBatches.share(v, allocator));
        }
      }
      try (VectorSchemaRoot typed = ArrowBatches.of(kept, in.getRowCount())) {
        return withSystemColumns(key, typed, opts, ts, deletedAt, keepUpdatedAt);
      }
    }
    FeatureSpec spec = spec(key);
    // Ids and by-field provenance were checked by WriteValidation (user writes) or come from the store.
    for (String c : List.of(PROVENANCE, DATA_VERSION, FEATURE_VERSION, PROJECT_VERSION, MATERIALIZATION_ID)) {
      requireType(key, in.getVector(c), ArrowType.ArrowTypeID.Utf8, "a string");
    }
    for (String c : List.of(CREATED_AT, UPDATED_AT, DELETED_AT)) {
      requireType(key, in.getVector(c), ArrowType.ArrowTypeID.Timestamp, "a timestamp");
    }
    FieldVector dvbf = in.getVector(DATA_VERSION_BY_FIELD);
    if (dvbf != null && !(dvbf.getField().getType() instanceof ArrowType.Null)) {
      requireByField(key, dvbf);
    }
    int n = in.getRowCount();
    VectorSchemaRoot completed;
    try {
      // The engine owns the write-side versioning rule (provenance and data-version columns).
      completed = ProvenanceColumns.completeForWrite(in, spec, hashAlgorithm, truncation(), allocator);
    } catch (io.metaxy.MetaxyException e) {
      throw new MetadataSchemaException("cannot write " + key + ": " + e.getMessage(), e);
    }
    boolean preserve =
        opts.preserveFeatureVersion() && in.getVector(FEATURE_VERSION) != null && in.getVector(PROJECT_VERSION) != null;
    String matId = opts.materializationId() != null ? opts.materializationId() : options.materializationId();
    FieldVector createdIn = in.getVector(CREATED_AT);
    FieldVector updatedIn = keepUpdatedAt ? in.getVector(UPDATED_AT) : null;
    FieldVector deletedIn = in.getVector(DELETED_AT);
    List<Long> created = new ArrayList<>(n);
    List<Long> updated = new ArrayList<>(n);
    List<Long> deleted = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      Long c = ArrowBatches.micros(createdIn, r);
      created.add(c != null ? c : ts);
      Long u = ArrowBatches.micros(updatedIn, r);
      updated.add(u != null ? u : ts);
      deleted.add(deletedAt != null ? deletedAt : ArrowBatches.micros(deletedIn, r));
    }
    Map<String, FieldVector> columns = new java.util.HashMap<>();
    List<FieldVector> out = new ArrayList<>();
    try (completed) {
      List<String> fields = fieldKeys(key);
      for (FieldVector v : completed.getFieldVectors()) {
        if (!SystemColumns.isSystemColumn(v.getName())) {
          columns.put(v.getName(), ArrowBatches.share(v, allocator));
        }
      }
      columns.put(PROVENANCE_BY_FIELD, byFieldInSpecOrder(completed.getVector(PROVENANCE_BY_FIELD), fields));
      columns.put(PROVENANCE, ArrowBatches.share(completed.getVector(PROVENANCE), allocator));
      columns.put(FEATURE_VERSION, preserve
          ? ArrowBatches.share(in.getVector(FEATURE_VERSION), allocator)
          : ArrowBatches.strings(FEATURE_VERSION, java.util.Collections.nCopies(n, currentFeatureVersion(key)), allocator));
      columns.put(PROJECT_VERSION, preserve
          ? ArrowBatches.share(in.getVector(PROJECT_VERSION), allocator)
          : ArrowBatches.strings(PROJECT_VERSION, java.util.Collections.nCopies(n, currentProjectVersion(key)), allocator));
      columns.put(DATA_VERSION_BY_FIELD, byFieldInSpecOrder(completed.getVector(DATA_VERSION_BY_FIELD), fields));
      columns.put(DATA_VERSION, ArrowBatches.share(completed.getVector(DATA_VERSION), allocator));
      columns.put(CREATED_AT, ArrowBatches.timestamps(CREATED_AT, created, allocator));
      columns.put(UPDATED_AT, ArrowBatches.timestamps(UPDATED_AT, updated, allocator));
      columns.put(DELETED_AT, ArrowBatches.timestamps(DELETED_AT, deleted, allocator));
      columns.put(MATERIALIZATION_ID, ArrowBatches.strings(MATERIALIZATION_ID, java.util.Collections.nCopies(n, matId), allocator));
      List<String> given = new ArrayList<>();
      for (FieldVector v : in.getFieldVectors()) {
        given.add(v.getName());
      }
      for (String c : SystemColumns.referenceOrder(given, preserve)) {
        FieldVector v = columns.remove(c);
        if (v != null) {
          out.add(v);
        }
      }
      // Anything the order does not name (none today) still goes out, after the rest.
      completed.getFieldVectors().stream().map(FieldVector::getName).map(columns::remove)
          .filter(Objects::nonNull).forEach(out::add);
      out.addAll(columns.values());
      columns.clear();
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      columns.values().forEach(FieldVector::close);
      throw e;
    }
    return ArrowBatches.of(out, n);
  }

  /**
   * A by-field column as the struct the reference builds: one UTF-8 child per field of the spec, in spec
   * order (maps and structs in another order are rebuilt; keys the spec lacks are dropped, as they are
   * from the tables' structs). Stores then create struct columns in that order.
   */
  private FieldVector byFieldInSpecOrder(FieldVector v, List<String> fields) {
    if (v instanceof org.apache.arrow.vector.complex.StructVector s && s.getChildFieldNames().equals(fields)
        && s.getChildrenFromFields().stream().allMatch(c -> c.getField().getType() instanceof ArrowType.Utf8)) {
      return ArrowBatches.share(v, allocator);
    }
    List<Map<String, Object>> rows = new ArrayList<>(v.getValueCount());
    for (int r = 0; r < v.getValueCount(); r++) {
      rows.add(ArrowBatches.byField(v, r));
    }
    return ArrowBatches.byFieldStruct(v.getName(), fields, rows, allocator);
  }

  private static void requireByField(FeatureKey key, FieldVector v) {
    ArrowType t = v.getField().getType();
    if (!(t instanceof ArrowType.Struct) && !(t instanceof ArrowType.Map)) {
      throw new MetadataSchemaException(
          "cannot write " + key + ": column '" + v.getName() + "' must be a Struct or Map of strings, got " + t);
    }
  }

  private static void requireType(FeatureKey key, FieldVector v, ArrowType.ArrowTypeID id, String what) {
    if (v == null) {
      return;
    }
    ArrowType.ArrowTypeID actual = v.getField().getType().getTypeID();
    boolean ok = actual == id || actual == ArrowType.ArrowTypeID.Null
        || (id == ArrowType.ArrowTypeID.Utf8 && actual == ArrowType.ArrowTypeID.LargeUtf8);
    if (!ok) {
      throw new MetadataSchemaException(
          "cannot write " + key + ": column '" + v.getName() + "' must be " + what + ", got " + v.getField().getType());
    }
  }

  /** {@code h(s)}: the store's algorithm, rendered and truncated (store spec §4.7). */
  public String hash(String s) {
    return truncation().apply(hashAlgorithm.hash(s));
  }

  /**
   * Writes several features, dependents first (reverse topological order restricted to the given keys,
   * ties by key), each with the same materialization id, atomically: every batch is checked first, and
   * either all of them are stored or, when the call throws, none.
   */
  public void writeMulti(Map<FeatureKey, VectorSchemaRoot> batches, String materializationId) {
    if (batches.isEmpty()) {
      return;
    }
    locked(() -> {
      List<FeatureKey> order = new ArrayList<>();
      for (FeatureKey k : graph.topologicalOrder()) {
        if (batches.containsKey(k)) {
          order.add(k);
        }
      }
      for (FeatureKey k : batches.keySet()) {
        if (!order.contains(k)) {
          order.add(k);
        }
      }
      java.util.Collections.reverse(order);
      List<Pending> items = new ArrayList<>();
      for (FeatureKey k : order) {
        items.add(new Pending(k, batches.get(k), new WriteOptions(materializationId, false), true, false));
      }
      writeAll(items);
    });
  }

  // ---------------------------------------------------------------- delete / drop

  /**
   * Deletes rows matching all {@code filters} (none = every row in scope). Soft: appends tombstones
   * (copies of the targeted latest rows with {@code metaxy_deleted_at} set) that keep their original
   * feature and project versions. Hard: physically removes matching rows of the current version (or
   * all versions with {@code withFeatureHistory}), historical duplicates included.
   *
   * @throws FeatureNotFoundException for a hard delete of a feature without a table
   */
  public void delete(FeatureKey key, List<RowFilter> filters, DeleteOptions opts) {
    locked(() -> deleteLocked(key, filters, opts));
  }

  private void deleteLocked(FeatureKey key, List<RowFilter> filters, DeleteOptions opts) {
    StoreBackend b = writableBackend();
    if (opts.soft()) {
      ReadOptions ro = ReadOptions.DEFAULT.filters(filters);
      if (opts.withFeatureHistory()) {
        ro = ro.featureHistory();
      }
      if (opts.withSampleHistory()) {
        ro = ro.sampleHistory();
      }
      try (VectorSchemaRoot rows = read(key, ro)) {
        if (rows.getRowCount() == 0) {
          return;
        }
        // Tombstones are copies of stored rows, so they skip the checks of user writes.
        try (VectorSchemaRoot tomb = withSystemColumns(key, rows, new WriteOptions(null, true), nextTimestamp(), true)) {
          b.append(key.tableName(), tomb);
        }
      }
      return;
    }
    String table = key.tableName();
    if (!b.hasTable(table)) {
      throw new FeatureNotFoundException("cannot delete from " + key + ": no table in " + this, List.of(key));
    }
    List<RowFilter> all = new ArrayList<>();
    if (!opts.withFeatureHistory() && !SystemTables.isSystem(key)) {
      all.add(RowFilter.eq(FEATURE_VERSION, currentFeatureVersion(key)));
    }
    all.addAll(filters);
    // By-field columns come back as stored, so the surviving rows are rewritten unchanged.
    try (VectorSchemaRoot everything = b.scan(new ScanRequest(table, null, null, Map.of()), allocator)) {
      BitSet drop = all.isEmpty() ? fullSet(everything.getRowCount()) : RowFilter.and(all).evaluate(everything);
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

  /** Removes all metadata of a feature (drops its table); no-op when absent. */
  public void dropFeatureMetadata(FeatureKey key) {
    locked(() -> {
      StoreBackend b = writableBackend();
      if (SystemTables.isSystem(key)) {
        throw new UnsupportedOperationException("cannot drop system table " + key);
      }
      b.dropTable(key.tableName());
    });
  }

  // ---------------------------------------------------------------- compute_provenance

  /**
   * Adds provenance to rows the caller joined itself (store spec §1.8): for every upstream dependency
   * U, {@code rows} must hold U's data versions by field as
   * {@code metaxy_data_version_by_field__<U parts joined by _>} (a struct of U's fields). The result
   * is {@code rows} plus {@code metaxy_provenance_by_field}, {@code metaxy_provenance},
   * {@code metaxy_data_version_by_field} and {@code metaxy_data_version}, hashed exactly as
   * {@link #resolveUpdate} hashes its expected rows; the renamed upstream {@code *_by_field} and
   * provenance columns are dropped (a renamed {@code metaxy_data_version__<suffix>} is kept) and
   * existing versioning columns are replaced. For a root feature every row gets the same values. The
   * result is new and owned by the caller; {@code rows} stays the caller's.
   *
   * @throws IllegalArgumentException naming the feature and every missing upstream column, or a
   *     malformed one
   * @throws StoreNotOpenException when the store is not open
   */
  public VectorSchemaRoot computeProvenance(FeatureKey key, VectorSchemaRoot rows) {
    return locked(() -> computeProvenanceLocked(key, rows));
  }

  private VectorSchemaRoot computeProvenanceLocked(FeatureKey key, VectorSchemaRoot rows) {
    backend();
    Objects.requireNonNull(rows, "rows");
    if (SystemTables.isSystem(key)) {
      throw new IllegalArgumentException("computeProvenance is not supported on system table " + key);
    }
    spec(key); // an unknown feature fails here, named
    FeaturePlan plan = FeaturePlan.of(graph, key);
    List<String> missing = new ArrayList<>();
    for (var d : plan.deps()) {
      String column = DATA_VERSION_BY_FIELD + d.dep().feature().columnSuffix();
      if (rows.getVector(column) == null) {
        missing.add(column);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("computeProvenance(" + key + "): rows are missing required upstream columns "
          + missing + " (columns present: " + ArrowBatches.names(rows) + ")");
    }
    VersioningEngine engine = new VersioningEngine(graph, hashAlgorithm, truncation(), allocator);
    // The engine shares unchanged columns with its input, which needs the same root allocator.
    boolean foreign = rows.getFieldVectors().stream().anyMatch(v -> v.getAllocator().getRoot() != allocator.getRoot());
    VectorSchemaRoot in = foreign ? ArrowBatches.select(rows, ArrowBatches.names(rows), allocator) : rows;
    try {
      return engine.computeProvenance(key, in);
    } catch (io.metaxy.MetaxyException e) {
      throw new IllegalArgumentException("computeProvenance(" + key + "): " + e.getMessage(), e);
    } finally {
      if (foreign) {
        in.close();
      }
    }
  }

  // ---------------------------------------------------------------- resolve_update

  /** {@link #resolveUpdate(FeatureKey, ResolveOptions)} with defaults. */
  public Increment resolveUpdate(FeatureKey key) {
    return resolveUpdate(key, ResolveOptions.DEFAULT);
  }

  /** {@link #resolveUpdate(FeatureKey)} for a {@code @Feature} record type. */
  public Increment resolveUpdate(Class<? extends Record> type) {
    return resolveUpdate(FeatureCompanions.of(type).key(), ResolveOptions.DEFAULT);
  }

  /**
   * Computes what must be (re)computed for a feature (store spec §4): expected provenance from the
   * upstream features' current rows (or from {@code samples} for root features) compared with the
   * feature's current rows (never from fallbacks).
   *
   * <p>Reads are narrowed to what the comparison uses: of each upstream its
   * {@code metaxy_data_version_by_field}, id/lineage columns, the dependency's selected user columns
   * (all user columns without a selection) and the columns its filters reference, never its
   * timestamps, versions or provenance columns; of the feature itself its id and join columns and
   * {@code metaxy_provenance} (every column when staleness predicates are given). Orphaned rows carry
   * every stored column: when the comparison finds any, the feature's rows are read again in full.
   * An empty orphaned batch may carry only the compared columns.
   *
   * @throws IllegalArgumentException for a root feature without samples
   * @throws FeatureNotFoundException when an upstream feature has no table here or in a fallback
   */
  public Increment resolveUpdate(FeatureKey key, ResolveOptions opts) {
    return locked(() -> new UpdateResolver(this).resolve(key, opts));
  }

  /**
   * Where a feature's metadata would be read from: {@code name} and {@code display} of this store, and
   * {@code resolved_from} ({@code name, type, display, table_name}) of the store holding the feature
   * when one does (fallbacks consulted only with {@code checkFallback}).
   */
  public Map<String, Object> storeMetadata(FeatureKey key, boolean checkFallback) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name());
    out.put("display", display());
    MetadataStore found = checkFallback ? findStoreForFeature(key) : (hasFeature(key) ? this : null);
    if (found != null) {
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("name", found.name());
      info.put("type", found.getClass().getName());
      info.put("display", found.display());
      info.put("table_name", key.tableName());
      out.put("resolved_from", info);
    }
    return out;
  }

  // ---------------------------------------------------------------- rebase

  /**
   * Moves rows of a feature to another feature version (store spec §6.2): recomputes their provenance
   * under that version's graph from the current upstream rows and stamps the version; user-overridden
   * data versions (different from the provenance) are kept. Rows whose ids are no longer upstream are
   * dropped. Write the result with {@code preserveFeatureVersion}.
   *
   * @param toFeatureVersion the target version, or {@code null} for the current one
   * @throws IllegalArgumentException for a root feature or a version not recorded in the system table
   */
  public VectorSchemaRoot rebase(FeatureKey key, VectorSchemaRoot rows, String toFeatureVersion) {
    // Held throughout: the graph is switched for the resolve below, and no other call may see that.
    return locked(() -> rebaseLocked(key, rows, toFeatureVersion));
  }

  private VectorSchemaRoot rebaseLocked(FeatureKey key, VectorSchemaRoot rows, String toFeatureVersion) {
    if (spec(key).isRoot()) {
      throw new IllegalArgumentException("Cannot rebase root feature " + key + ": it has no upstream to recompute from");
    }
    FeatureGraph active = graph;
    FeatureGraph target = graph;
    String version = currentFeatureVersion(key);
    String pv = currentProjectVersion(key);
    if (toFeatureVersion != null && !toFeatureVersion.equals(version)) {
      SystemTables sys = new SystemTables(this);
      pv = sys.projectVersionOf(key, toFeatureVersion);
      if (pv == null) {
        throw new IllegalArgumentException("Feature version '" + toFeatureVersion + "' for '" + key
            + "' not found in system storage. Run `metaxy push` first.");
      }
      target = FeatureGraph.of(sys.loadSnapshot(pv));
      version = toFeatureVersion;
    }
    List<String> ids = spec(key).idColumns();
    try {
      graph = target;
      try (Increment inc = resolveUpdate(key, ResolveOptions.DEFAULT.skippingComparison())) {
        VectorSchemaRoot fresh = inc.newSamples();
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
        FieldVector oldProv = rows.getVector(PROVENANCE);
        FieldVector oldDv = rows.getVector(DATA_VERSION);
        List<FieldVector> out = new ArrayList<>();
        for (FieldVector v : rows.getFieldVectors()) {
          String n = v.getName();
          if (n.equals(PROVENANCE) || n.equals(PROVENANCE_BY_FIELD) || n.equals(FEATURE_VERSION) || n.equals(PROJECT_VERSION)) {
            continue;
          }
          if (n.equals(DATA_VERSION) || n.equals(DATA_VERSION_BY_FIELD)) {
            // Data versions equal to the old provenance were never overridden: null them so the write
            // refills them from the new provenance.
            int[] keep = l.clone();
            for (int i = 0; i < keep.length; i++) {
              Object p = oldProv == null ? null : ArrowBatches.value(oldProv, keep[i]);
              Object d = oldDv == null ? null : ArrowBatches.value(oldDv, keep[i]);
              if (p == null || p.equals(d)) {
                keep[i] = -1;
              }
            }
            out.add(ArrowBatches.takeColumn(v, keep, allocator));
            continue;
          }
          out.add(ArrowBatches.takeColumn(v, l, allocator));
        }
        out.add(ArrowBatches.takeColumn(ArrowBatches.column(fresh, PROVENANCE_BY_FIELD, "recomputed rows"), rr, allocator));
        out.add(ArrowBatches.takeColumn(ArrowBatches.column(fresh, PROVENANCE, "recomputed rows"), rr, allocator));
        out.add(ArrowBatches.strings(FEATURE_VERSION, java.util.Collections.nCopies(l.length, version), allocator));
        out.add(ArrowBatches.strings(PROJECT_VERSION, java.util.Collections.nCopies(l.length, pv), allocator));
        return ArrowBatches.of(out, l.length);
      }
    } finally {
      graph = active;
    }
  }

  // ---------------------------------------------------------------- copy

  /** Rows and features moved by {@link #copyMetadata}. */
  public record CopyResult(int featuresCopied, long rowsCopied) {}

  /**
   * Copies features from another store into this one (store spec §6.3), keeping feature/project
   * versions and {@code created_at}. Features absent (or empty) in the source are skipped with a
   * warning.
   *
   * @param features the features, or {@code null} for every feature of the graph
   * @param filters filters applied to every copied feature's source read
   */
  public CopyResult copyMetadata(
      MetadataStore from, List<FeatureKey> features, List<RowFilter> filters, boolean withFeatureHistory,
      boolean withSampleHistory) {
    if (!isOpen() || !from.isOpen()) {
      throw new IllegalArgumentException("copyMetadata needs both stores open (source " + from + ", destination " + this + ")");
    }
    List<FeatureKey> keys = features != null ? features : List.copyOf(graph().keys());
    int copied = 0;
    long rows = 0;
    for (FeatureKey k : keys) {
      ReadOptions ro = ReadOptions.DEFAULT.filters(filters).noFallback();
      if (withFeatureHistory) {
        ro = ro.featureHistory();
      }
      if (withSampleHistory) {
        ro = ro.sampleHistory();
      }
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
        // A copied sample history keeps its order: each row its own updated_at.
        // Not holding this store while reading the source: two copies in opposite directions must not deadlock.
        locked(() -> writeAll(List.of(new Pending(k, batch, new WriteOptions(null, true), true, withSampleHistory))));
        copied++;
        rows += batch.getRowCount();
      }
    }
    return new CopyResult(copied, rows);
  }
}
