package io.metaxy.store;

import static io.metaxy.SystemColumns.DATA_VERSION_BY_FIELD;
import static io.metaxy.SystemColumns.PROVENANCE;
import static io.metaxy.SystemColumns.PROVENANCE_BY_FIELD;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.engine.VersioningEngine;
import io.metaxy.graph.FeatureCompanion;
import io.metaxy.graph.FeatureCompanions;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.support.ArrowBatches;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path of a {@link MetadataStore} (store spec §5), one for every kind of write so that the
 * all-or-nothing rule holds alike for {@code write}, {@code writeMulti} and copies: every batch is
 * checked ({@link WriteValidation}) and stamped ({@link WriteStamping}) before the backend sees any,
 * then all are appended in one atomic backend call. Also builds the batches the typed API and
 * {@code computeProvenance} hand to it. Callers hold the store, except for the typed API and copies,
 * which build or read their batches first and take the store only for the append.
 */
final class StoreWrites {
  // Logged under the store's name, where users already look for (and configure) its warnings.
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

  private final MetadataStore store;
  private final StoreConnection connection;
  private final ActiveGraph features;
  private final BufferAllocator allocator;
  private final WriteStamping stamping;
  private final StoreListeners listeners;

  StoreWrites(
      MetadataStore store,
      StoreConnection connection,
      ActiveGraph features,
      BufferAllocator allocator,
      WriteStamping stamping,
      StoreListeners listeners) {
    this.store = store;
    this.connection = connection;
    this.features = features;
    this.allocator = allocator;
    this.stamping = stamping;
    this.listeners = listeners;
  }

  /**
   * One batch of a write call.
   *
   * @param warnComputedProvenance warn when a non-root feature comes without {@code metaxy_provenance}
   * @param keepUpdatedAt keep given {@code metaxy_updated_at} values (copies of a sample history)
   */
  private record Pending(
      FeatureKey key,
      VectorSchemaRoot batch,
      WriteOptions opts,
      boolean warnComputedProvenance,
      boolean keepUpdatedAt) {}

  /** {@link MetadataStore#write(FeatureKey, VectorSchemaRoot, WriteOptions)}; holding the store. */
  void write(FeatureKey key, VectorSchemaRoot batch, WriteOptions opts) {
    writeAll(List.of(new Pending(key, batch, opts, true, false)));
  }

  /** {@link MetadataStore#writeMulti}; holding the store. */
  void writeMulti(Map<FeatureKey, VectorSchemaRoot> batches, @Nullable String materializationId) {
    List<Pending> items = new ArrayList<>();
    for (FeatureKey k : dependentsFirst(features.get(), batches)) {
      // The key is the map's own: only a null value gives null, refused as writeAll refuses one.
      VectorSchemaRoot batch = Objects.requireNonNull(batches.get(k), "batch");
      items.add(new Pending(k, batch, new WriteOptions(materializationId, false), true, false));
    }
    writeAll(items);
  }

  /**
   * {@link MetadataStore#write(Class, List, List)}: the batch is built before taking the store. No
   * warning about a computed provenance, as this API carries provenance only by field.
   */
  <T extends Record> void writeRecords(
      Class<T> type, List<T> records, List<? extends Map<String, String>> provenanceByField) {
    try (VectorSchemaRoot batch = samples(type, records, provenanceByField)) {
      FeatureKey key = FeatureCompanions.of(type).key();
      connection.locked(
          () -> writeAll(List.of(new Pending(key, batch, WriteOptions.DEFAULT, false, false))));
    }
  }

  /** {@link MetadataStore#writeOutputs}. */
  <T extends Record> void writeOutputs(Class<T> type, List<T> outputs, List<IncrementRow> from) {
    if (outputs.size() != from.size()) {
      throw new IllegalArgumentException(
          outputs.size() + " outputs but " + from.size() + " increment rows");
    }
    writeRecords(
        type, outputs, from.stream().map(IncrementRow::provenanceByField).toList());
  }

  /**
   * Appends rows copied from another store: versions and {@code created_at} preserved and, for a copied
   * sample history ({@code keepUpdatedAt}), each row's own {@code updated_at}, so that it keeps its order.
   */
  void writeCopy(FeatureKey key, VectorSchemaRoot batch, boolean keepUpdatedAt) {
    connection.locked(() -> writeAll(
        List.of(new Pending(key, batch, new WriteOptions(null, true), true, keepUpdatedAt))));
  }

  /** Checks and stamps every batch, then appends them all atomically: either every batch is stored or none is. */
  private void writeAll(List<Pending> items) {
    StoreBackend b = connection.writableBackend();
    List<StoreBackend.Append> appends = new ArrayList<>();
    List<VectorSchemaRoot> prepared = new ArrayList<>();
    try {
      for (Pending p : items) {
        Objects.requireNonNull(p.batch(), "batch");
        String table = p.key().tableName();
        if (SystemTables.isSystem(p.key())) {
          // System tables are always created on demand: a snapshot push must not need a migration
          // step.
          appends.add(new StoreBackend.Append(table, p.batch()));
          continue;
        }
        FeatureDefinition def = features.definition(p.key());
        Schema existing = b.tableSchema(table);
        if (existing == null && !store.options().autoCreateTables()) {
          throw new TableNotFoundException("table " + table + " for feature " + p.key()
              + " does not exist in " + store + " and autoCreateTables is off");
        }
        WriteValidation.checkInput(p.key(), def, p.batch(), existing, p.opts());
        // A timestamp per batch, in the order given: writeMulti's dependents-first order stays
        // visible.
        VectorSchemaRoot full = stamping.withSystemColumns(
            p.key(), p.batch(), p.opts(), stamping.nextTimestamp(), null, p.keepUpdatedAt());
        prepared.add(full);
        WriteValidation.checkDuplicates(p.key(), def.spec().idColumns(), full);
        appends.add(new StoreBackend.Append(table, full));
      }
      b.appendAll(appends);
    } finally {
      prepared.forEach(VectorSchemaRoot::close);
    }
    for (Pending p : items) {
      if (p.warnComputedProvenance() && computedProvenance(p)) {
        // The reference's MetaxyColumnMissingWarning (store spec §5, scenario 19).
        warn(new StoreWarning(
            StoreWarning.Kind.COLUMN_MISSING,
            p.key(),
            PROVENANCE,
            "feature " + p.key() + " was written without column '" + PROVENANCE
                + "': it was computed from '"
                + PROVENANCE_BY_FIELD
                + "'. For a feature with upstream dependencies, write the rows of resolveUpdate"
                + " (or computeProvenance), which carry both columns."));
      }
    }
  }

  private void warn(StoreWarning w) {
    LOG.warn("{}", w.message());
    listeners.warn(w);
  }

  /** Whether a non-root feature's provenance was computed; an untyped column counts as absent because it is filled as if absent (spec §11.21). */
  private boolean computedProvenance(Pending p) {
    FieldVector provenance = p.batch().getVector(PROVENANCE);
    return !SystemTables.isSystem(p.key())
        && !features.spec(p.key()).isRoot()
        && (provenance == null || provenance.getField().getType() instanceof ArrowType.Null);
  }

  /** Dependents first: the graph's topological order reversed, keys the graph lacks first. */
  private static List<FeatureKey> dependentsFirst(
      FeatureGraph graph, Map<FeatureKey, VectorSchemaRoot> batches) {
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
    Collections.reverse(order);
    return order;
  }

  /** {@link MetadataStore#samples}. */
  <T extends Record> VectorSchemaRoot samples(
      Class<T> type, List<T> records, List<? extends Map<String, String>> provenanceByField) {
    FeatureCompanion<T> c = FeatureCompanions.of(type);
    if (records.size() != provenanceByField.size()) {
      throw new IllegalArgumentException(records.size() + " records but " + provenanceByField.size()
          + " provenance maps for " + c.key());
    }
    try (VectorSchemaRoot user = c.toArrow(records, allocator)) {
      List<FieldVector> vs = new ArrayList<>();
      for (FieldVector v : user.getFieldVectors()) {
        vs.add(ArrowBatches.copyColumn(v, v.getName(), allocator));
      }
      List<String> keys = new ArrayList<>(features.fieldKeys(c.key()));
      vs.add(ArrowBatches.byFieldStruct(PROVENANCE_BY_FIELD, keys, provenanceByField, allocator));
      return ArrowBatches.of(vs, records.size());
    }
  }

  /** {@link MetadataStore#computeProvenance}. */
  VectorSchemaRoot computeProvenance(FeatureKey key, VectorSchemaRoot rows) {
    connection.backend();
    Objects.requireNonNull(rows, "rows");
    if (SystemTables.isSystem(key)) {
      throw new IllegalArgumentException(
          "computeProvenance is not supported on system table " + key);
    }
    features.spec(key); // an unknown feature fails here, named
    FeatureGraph graph = features.get();
    List<String> missing = new ArrayList<>();
    for (var d : FeaturePlan.of(graph, key).deps()) {
      String column = DATA_VERSION_BY_FIELD + d.dep().feature().columnSuffix();
      if (rows.getVector(column) == null) {
        missing.add(column);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "computeProvenance(" + key + "): rows are missing required upstream columns " + missing
              + " (columns present: " + ArrowBatches.names(rows) + ")");
    }
    VersioningEngine engine =
        new VersioningEngine(graph, store.hashAlgorithm(), store.truncation(), allocator);
    // The engine shares unchanged columns with its input, which needs the same root allocator.
    boolean foreign = rows.getFieldVectors().stream()
        .anyMatch(v -> v.getAllocator().getRoot() != allocator.getRoot());
    VectorSchemaRoot in =
        foreign ? ArrowBatches.select(rows, ArrowBatches.names(rows), allocator) : rows;
    try {
      return engine.computeProvenance(key, in);
    } catch (MetaxyException e) {
      throw new IllegalArgumentException("computeProvenance(" + key + "): " + e.getMessage(), e);
    } finally {
      if (foreign) {
        in.close();
      }
    }
  }
}
