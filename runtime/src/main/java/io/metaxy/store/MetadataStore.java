package io.metaxy.store;

import io.metaxy.ArrowMemoryUnavailableException;
import io.metaxy.FeatureKey;
import io.metaxy.filter.Filters;
import io.metaxy.graph.FeatureCompanions;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector;
import io.metaxy.store.support.ArrowAccess;
import io.metaxy.store.support.BufferPool;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A metadata store: append-only per-feature tables of sample metadata, read merge-on-read (latest row per
 * sample), and increments ("what must I recompute?"). A facade over this package's collaborators; adapters
 * implement {@link StoreBackend}, reached through a {@link StoreConnector}. Open it before use ({@link
 * #open(AccessMode)}); batches it returns are the caller's. The contract (a call that throws has stored
 * nothing, any number of threads, listeners) is the {@linkplain io.metaxy.store package documentation}.
 */
public class MetadataStore implements AutoCloseable {
  private final StoreOptions options;
  private final StoreConnector connector;
  private final HashAlgorithm hashAlgorithm;
  private final BufferAllocator allocator;
  private final ActiveGraph features;
  private final StoreConnection connection = new StoreConnection(this);
  private final StoreReads reads;
  private final WriteStamping stamping;
  private final StoreWrites writes;
  private final StoreMaintenance maintenance;
  private final StoreListeners listeners = new StoreListeners();
  private final IncrementalResolver incremental;

  /**
   * A store on the database {@code connector} reaches, with these options (else the connector's algorithm).
   *
   * @throws ArrowMemoryUnavailableException when the JVM was started without the flag Arrow needs
   */
  public MetadataStore(StoreOptions options, StoreConnector connector) {
    this.options = Objects.requireNonNull(options, "options");
    this.connector = Objects.requireNonNull(connector, "connector");
    ArrowAccess.require(); // a missing JVM flag is a launch problem: report it at once
    this.hashAlgorithm = options.hashAlgorithm() != null
        ? options.hashAlgorithm()
        : connector.defaultHashAlgorithm();
    this.allocator =
        options.allocator() != null ? options.allocator() : BufferPool.newRootAllocator();
    this.features = new ActiveGraph(options.graph(), options.truncation());
    this.reads = new StoreReads(this, connection, features, allocator);
    this.stamping = new WriteStamping(this, features, allocator);
    this.writes = new StoreWrites(this, connection, features, allocator, stamping, listeners);
    this.maintenance =
        new StoreMaintenance(this, connection, features, allocator, stamping, writes);
    this.incremental = new IncrementalResolver(this, connection, features, reads, listeners);
  }

  /** Human-readable description naming the adapter and where the data lives, never the store name. */
  public String display() {
    return connector.display();
  }

  /** The connector this store opens its database through. */
  public StoreConnector connector() {
    return connector;
  }

  /** Layout conversion of the tables ({@code mx metadata convert-layout}) if the backend has several; open. */
  public Optional<LayoutConversion> layoutConversion() {
    return onBackend(AccessMode.READ, b -> TableLayouts.of(this, b));
  }

  /** Runs {@code body} on the open backend, holding the store; fails unless open (for WRITE when asked). */
  <T> T onBackend(AccessMode mode, Function<StoreBackend, T> body) {
    return locked(() ->
        body.apply(mode == AccessMode.WRITE ? connection.writableBackend() : connection.backend()));
  }

  /** The configured name, or {@code null}. */
  public @Nullable String name() {
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
    return locked(features::get);
  }

  /** Switches the active feature graph: later writes stamp its versions and reads scope to them. */
  public void useGraph(FeatureGraph g) {
    connection.locked(() -> features.set(Objects.requireNonNull(g, "graph")));
  }

  /** The fallback stores, in order. */
  public List<MetadataStore> fallbackStores() {
    return options.fallbackStores();
  }

  @Override
  public String toString() {
    return name() != null ? "[" + name() + "] " + display() : display();
  }

  /** The current feature version of a feature under the store's truncation. */
  public String featureVersion(FeatureKey key) {
    return locked(() -> features.featureVersion(key));
  }

  /** The current project version of the project a feature belongs to. */
  public String projectVersion(FeatureKey key) {
    return locked(() -> features.projectVersion(key));
  }

  /** {@code h(s)}: the store's algorithm, rendered and truncated (store spec §4.7). */
  public String hash(String s) {
    return truncation().apply(hashAlgorithm.hash(s));
  }

  /** Adds a listener for {@linkplain StoreWarning warnings}, run on the warning thread (package docs). */
  public void addWarningListener(Consumer<? super StoreWarning> listener) {
    listeners.warnings.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener added by {@link #addWarningListener}; no-op when it was not registered. */
  public void removeWarningListener(Consumer<? super StoreWarning> listener) {
    listeners.warnings.remove(listener);
  }

  /** Adds a listener called after each id range of a partitioned resolve; its exceptions fail it. */
  public void addProgressListener(Consumer<? super ResolveProgress> listener) {
    listeners.progress.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener added by {@link #addProgressListener}; no-op when it was not registered. */
  public void removeProgressListener(Consumer<? super ResolveProgress> listener) {
    listeners.progress.remove(listener);
  }

  /** A scope opened by {@link #open(AccessMode)}; closing it leaves the scope. */
  public final class Scope implements AutoCloseable {
    private final AccessMode mode;
    final Thread owner = Thread.currentThread();

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
      connection.leave(this);
    }
  }

  /**
   * Enters a scope: the connection opens with the first (in its mode) and closes with the last; scopes nest.
   *
   * @throws IllegalArgumentException when a fallback store uses another hash algorithm
   * @throws HashAlgorithmNotSupportedException when the backend cannot compute the algorithm
   */
  public Scope open(AccessMode mode) {
    return connection.enter(new Scope(Objects.requireNonNull(mode, "mode")));
  }

  /** {@link #open(AccessMode)} in read mode. */
  public Scope open() {
    return open(AccessMode.READ);
  }

  /** Whether at least one scope is open. */
  public boolean isOpen() {
    return connection.depth() > 0;
  }

  /** The effective access mode of the calling thread (see {@link #open(AccessMode)}), or {@code null} when closed. */
  public @Nullable AccessMode accessMode() {
    return connection.accessMode();
  }

  /** How many scopes are open. */
  public int openDepth() {
    return connection.depth();
  }

  /** Leaves every open scope and closes the connection (after the running operation, if any). */
  @Override
  public void close() {
    connection.leaveAll();
  }

  /** Runs {@code body} holding the store, as every operation does; reentrant. */
  <T> T locked(Supplier<T> body) {
    return connection.locked(body);
  }

  /** The store's system-column stamping and write clock (system tables and tests stage rows with it). */
  WriteStamping stamping() {
    return stamping;
  }

  /** Whether this store has a table for the feature (fallbacks are not consulted). */
  public boolean hasFeature(FeatureKey key) {
    return hasFeature(key, false);
  }

  /** Whether this store (or, when asked, a fallback store, opened on demand) has the feature's table. */
  public boolean hasFeature(FeatureKey key, boolean checkFallback) {
    return reads.hasFeature(key, checkFallback);
  }

  /** The store holding the feature: this one, else the first fallback (recursively), else null. */
  public @Nullable MetadataStore findStoreForFeature(FeatureKey key) {
    return reads.findStoreForFeature(key);
  }

  /** This store's {@code name}, {@code display} and the {@code resolved_from} store of a feature. */
  public Map<String, @Nullable Object> storeMetadata(FeatureKey key, boolean checkFallback) {
    return reads.storeMetadata(key, checkFallback);
  }

  /** The result of a read and the store that held the data. */
  public record ReadResult(VectorSchemaRoot batch, MetadataStore store) {}

  /** {@link #read(FeatureKey, ReadOptions)} with defaults. */
  public VectorSchemaRoot read(FeatureKey key) {
    return read(key, ReadOptions.DEFAULT);
  }

  /**
   * Reads a feature (store spec §3): current version, latest row per sample, no tombstones, unless asked.
   *
   * @throws FeatureNotFoundException when neither this store nor a fallback has the feature
   * @throws SystemDataNotFoundException when a system table has not been written yet
   */
  public VectorSchemaRoot read(FeatureKey key, ReadOptions opts) {
    return readWithStore(key, opts).batch();
  }

  /**
   * The schema of a feature's rows as {@link #read} returns them from this store, never a fallback
   * (the reference's {@code read_feature_schema_from_store}). No row is read: the read is filtered by
   * {@code FALSE}, which databases answer from the catalog.
   *
   * @throws FeatureNotFoundException when this store has no table for the feature
   */
  public Schema readFeatureSchemaFromStore(FeatureKey key) {
    ReadOptions none =
        ReadOptions.DEFAULT.noFallback().filters(List.of(RowFilter.of(Filters.or(List.of()))));
    try (VectorSchemaRoot rows = read(key, none)) {
      return rows.getSchema();
    }
  }

  /** {@link #read(FeatureKey, ReadOptions)} plus the store that served it. */
  public ReadResult readWithStore(FeatureKey key, ReadOptions opts) {
    List<String> columns = opts.columns();
    return readWithStore(
        key, opts, columns == null ? Projection.ALL : new Projection(columns, Set.of()));
  }

  /** A read of {@code projection}'s columns: resolveUpdate's, also when it falls back to this store. */
  ReadResult readWithStore(FeatureKey key, ReadOptions opts, Projection projection) {
    return locked(() -> reads.read(connection.backend(), key, opts, projection));
  }

  /** {@link #write(FeatureKey, VectorSchemaRoot, WriteOptions)} with defaults. */
  public void write(FeatureKey key, VectorSchemaRoot batch) {
    write(key, batch, WriteOptions.DEFAULT);
  }

  /**
   * Appends rows (store spec §5) with id columns and {@code metaxy_provenance_by_field}, filling the others.
   *
   * @throws MetadataSchemaException naming a missing or wrongly typed column; nothing is written
   * @throws TableNotFoundException when the table is missing and automatic creation is off
   */
  public void write(FeatureKey key, VectorSchemaRoot batch, WriteOptions opts) {
    connection.locked(() -> writes.write(key, batch, opts));
  }

  /** Writes several features atomically (all or none), dependents first, ties by key, with one materialization id. */
  public void writeMulti(
      Map<FeatureKey, VectorSchemaRoot> batches, @Nullable String materializationId) {
    if (!batches.isEmpty()) {
      connection.locked(() -> writes.writeMulti(batches, materializationId));
    }
  }

  /** Writes outputs computed for increment rows, each with its row's provenance (an expansion repeats the row). */
  public <T extends Record> void writeOutputs(
      Class<T> type, List<T> outputs, List<IncrementRow> from) {
    writes.writeOutputs(type, outputs, from);
  }

  /** Writes records, each with its per-field provenance, from which the sample provenance is computed unwarned. */
  public <T extends Record> void write(
      Class<T> type, List<T> records, List<? extends Map<String, String>> provenanceByField) {
    writes.writeRecords(type, records, provenanceByField);
  }

  /** Records plus their {@code metaxy_provenance_by_field}: a batch (the caller's) for {@link #write} or as samples. */
  public <T extends Record> VectorSchemaRoot samples(
      Class<T> type, List<T> records, List<? extends Map<String, String>> provenanceByField) {
    return writes.samples(type, records, provenanceByField);
  }

  /**
   * Adds provenance to rows the caller joined (store spec §1.8), hashed as {@link #resolveUpdate} hashes.
   *
   * @throws IllegalArgumentException naming the feature and every missing upstream column, or a malformed one
   * @throws StoreNotOpenException when the store is not open
   */
  public VectorSchemaRoot computeProvenance(FeatureKey key, VectorSchemaRoot rows) {
    return locked(() -> writes.computeProvenance(key, rows));
  }

  /** {@link #resolveUpdate(FeatureKey, ResolveOptions)} with defaults. */
  public Increment resolveUpdate(FeatureKey key) {
    return resolveUpdate(key, ResolveOptions.DEFAULT);
  }

  /** {@link #resolveUpdate(FeatureKey)} for a {@code @Feature} record type. */
  public Increment resolveUpdate(Class<? extends Record> type) {
    return resolveUpdate(FeatureCompanions.of(type).key(), ResolveOptions.DEFAULT);
  }

  /**
   * What must be (re)computed for a feature (store spec §4): new, stale and orphaned samples.
   *
   * @throws IllegalArgumentException for a root feature without samples
   * @throws FeatureNotFoundException when an upstream feature has no table here or in a fallback
   */
  public Increment resolveUpdate(FeatureKey key, ResolveOptions opts) {
    return locked(() -> incremental.resolve(key, opts));
  }

  /**
   * Deletes rows matching all {@code filters} (store spec §6.1): soft appends tombstones, hard removes rows.
   *
   * @throws FeatureNotFoundException for a hard delete of a feature without a table
   */
  public void delete(FeatureKey key, List<RowFilter> filters, DeleteOptions opts) {
    connection.locked(() -> maintenance.delete(key, filters, opts));
  }

  /** Removes all metadata of a feature (drops its table); no-op when absent. */
  public void dropFeatureMetadata(FeatureKey key) {
    connection.locked(() -> maintenance.drop(key));
  }

  /**
   * Moves rows to another feature version (store spec §6.2); write them with {@code preserveFeatureVersion}.
   *
   * @param toFeatureVersion the target version, or {@code null} for the current one
   * @throws IllegalArgumentException for a root feature or a version not recorded in the system table
   */
  public VectorSchemaRoot rebase(
      FeatureKey key, VectorSchemaRoot rows, @Nullable String toFeatureVersion) {
    return locked(() -> maintenance.rebase(key, rows, toFeatureVersion));
  }

  /** Rows and features moved by {@link #copyMetadata}. */
  public record CopyResult(int featuresCopied, long rowsCopied) {}

  /** Copies {@code features} (null: the graph's) from another store, filtered (store spec §6.3). */
  public CopyResult copyMetadata(
      MetadataStore from,
      @Nullable List<FeatureKey> features,
      List<RowFilter> filters,
      boolean withFeatureHistory,
      boolean withSampleHistory) {
    return copyMetadata(from, features, Map.of(), filters, withFeatureHistory, withSampleHistory);
  }

  /**
   * {@link #copyMetadata(MetadataStore, List, List, boolean, boolean)} with filters per feature too:
   * a feature's rows satisfy {@code globalFilters} and its own entry of {@code filters}.
   *
   * @throws IllegalArgumentException when {@code filters} names a feature that is not copied
   */
  public CopyResult copyMetadata(
      MetadataStore from,
      @Nullable List<FeatureKey> features,
      Map<FeatureKey, List<RowFilter>> filters,
      List<RowFilter> globalFilters,
      boolean withFeatureHistory,
      boolean withSampleHistory) {
    return maintenance.copy(
        from, features, filters, globalFilters, withFeatureHistory, withSampleHistory);
  }
}
