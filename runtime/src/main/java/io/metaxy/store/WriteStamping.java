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
import io.metaxy.MetaxyException;
import io.metaxy.SystemColumns;
import io.metaxy.engine.ProvenanceColumns;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.support.ArrowBatches;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.jspecify.annotations.Nullable;

/**
 * Fills in the ten system columns of every batch a {@link MetadataStore} appends (store spec §5):
 * user writes, tombstones, copies and system-table rows all get their versions, timestamps and
 * materialization id by the same rule, and in the reference's column order. Also the store's write
 * clock, because the read side orders a sample's rows by these timestamps.
 */
final class WriteStamping {
  private final MetadataStore store;
  private final ActiveGraph features;
  private final BufferAllocator allocator;
  private long lastTimestamp;

  WriteStamping(MetadataStore store, ActiveGraph features, BufferAllocator allocator) {
    this.store = store;
    this.features = features;
    this.allocator = allocator;
  }

  /** A write timestamp: wall clock in microseconds, strictly increasing per store instance. */
  long nextTimestamp() {
    Instant now = Instant.now();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    lastTimestamp = Math.max(micros, lastTimestamp + 1);
    return lastTimestamp;
  }

  /**
   * The batch to append: user columns as given, then the system columns. Null cells of computed
   * columns are filled as if the column were absent (spec §11.21).
   *
   * @param deletedAt when non-null, every row's {@code metaxy_deleted_at} (tombstones)
   * @param keepUpdatedAt keep given {@code metaxy_updated_at} values (tombstones, copies of a sample
   *     history, raw test appends)
   */
  VectorSchemaRoot withSystemColumns(
      FeatureKey key,
      VectorSchemaRoot in,
      WriteOptions opts,
      long ts,
      @Nullable Long deletedAt,
      boolean keepUpdatedAt) {
    List<String> untyped = new ArrayList<>();
    for (FieldVector v : in.getFieldVectors()) {
      if (SystemColumns.isSystemColumn(v.getName())
          && v.getField().getType() instanceof ArrowType.Null) {
        untyped.add(v.getName());
      }
    }
    if (!untyped.isEmpty()) {
      // Untyped (all-null) system columns carry no values: fill them as if they were absent (spec
      // §11.21).
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
    FeatureSpec spec = features.spec(key);
    checkSystemTypes(key, in);
    VectorSchemaRoot completed;
    try {
      // The engine owns the write-side versioning rule (provenance and data-version columns).
      completed = ProvenanceColumns.completeForWrite(
          in, spec, store.hashAlgorithm(), store.truncation(), allocator);
    } catch (MetaxyException e) {
      throw new MetadataSchemaException("cannot write " + key + ": " + e.getMessage(), e);
    }
    boolean preserve = opts.preserveFeatureVersion()
        && in.getVector(FEATURE_VERSION) != null
        && in.getVector(PROJECT_VERSION) != null;
    try (completed) {
      return inReferenceOrder(
          in,
          completed,
          preserve,
          stamped(key, in, completed, opts, ts, deletedAt, keepUpdatedAt, preserve));
    }
  }

  /** Ids and by-field provenance were checked by WriteValidation (user writes) or come from the store. */
  private static void checkSystemTypes(FeatureKey key, VectorSchemaRoot in) {
    for (String c :
        List.of(PROVENANCE, DATA_VERSION, FEATURE_VERSION, PROJECT_VERSION, MATERIALIZATION_ID)) {
      requireType(key, in.getVector(c), ArrowType.ArrowTypeID.Utf8, "a string");
    }
    for (String c : List.of(CREATED_AT, UPDATED_AT, DELETED_AT)) {
      requireType(key, in.getVector(c), ArrowType.ArrowTypeID.Timestamp, "a timestamp");
    }
    FieldVector dvbf = in.getVector(DATA_VERSION_BY_FIELD);
    if (dvbf != null && !(dvbf.getField().getType() instanceof ArrowType.Null)) {
      ArrowType t = dvbf.getField().getType();
      if (!(t instanceof ArrowType.Struct) && !(t instanceof ArrowType.Map)) {
        throw new MetadataSchemaException("cannot write " + key + ": column '" + dvbf.getName()
            + "' must be a Struct or Map of strings, got " + t);
      }
    }
  }

  private static void requireType(
      FeatureKey key, FieldVector v, ArrowType.ArrowTypeID id, String what) {
    if (v == null) {
      return;
    }
    ArrowType.ArrowTypeID actual = v.getField().getType().getTypeID();
    boolean ok = actual == id
        || actual == ArrowType.ArrowTypeID.Null
        || (id == ArrowType.ArrowTypeID.Utf8 && actual == ArrowType.ArrowTypeID.LargeUtf8);
    if (!ok) {
      throw new MetadataSchemaException("cannot write " + key + ": column '" + v.getName()
          + "' must be " + what + ", got " + v.getField().getType());
    }
  }

  /** Every output column by name: the user columns of {@code completed} and the ten system columns; the caller owns them. */
  private Map<String, FieldVector> stamped(
      FeatureKey key,
      VectorSchemaRoot in,
      VectorSchemaRoot completed,
      WriteOptions opts,
      long ts,
      @Nullable Long deletedAt,
      boolean keepUpdatedAt,
      boolean preserve) {
    int n = in.getRowCount();
    String matId = opts.materializationId() != null
        ? opts.materializationId()
        : store.options().materializationId();
    FieldVector createdIn = in.getVector(CREATED_AT);
    FieldVector updatedIn = keepUpdatedAt ? in.getVector(UPDATED_AT) : null;
    FieldVector deletedIn = in.getVector(DELETED_AT);
    Map<String, FieldVector> columns = new HashMap<>();
    try {
      List<String> fields = features.fieldKeys(key);
      for (FieldVector v : completed.getFieldVectors()) {
        if (!SystemColumns.isSystemColumn(v.getName())) {
          columns.put(v.getName(), ArrowBatches.share(v, allocator));
        }
      }
      columns.put(
          PROVENANCE_BY_FIELD,
          byFieldInSpecOrder(completed.getVector(PROVENANCE_BY_FIELD), fields));
      columns.put(PROVENANCE, ArrowBatches.share(completed.getVector(PROVENANCE), allocator));
      columns.put(
          FEATURE_VERSION,
          preserve
              ? ArrowBatches.share(in.getVector(FEATURE_VERSION), allocator)
              : ArrowBatches.constantStrings(
                  FEATURE_VERSION, features.featureVersion(key), n, allocator));
      columns.put(
          PROJECT_VERSION,
          preserve
              ? ArrowBatches.share(in.getVector(PROJECT_VERSION), allocator)
              : ArrowBatches.constantStrings(
                  PROJECT_VERSION, features.projectVersion(key), n, allocator));
      columns.put(
          DATA_VERSION_BY_FIELD,
          byFieldInSpecOrder(completed.getVector(DATA_VERSION_BY_FIELD), fields));
      columns.put(DATA_VERSION, ArrowBatches.share(completed.getVector(DATA_VERSION), allocator));
      columns.put(CREATED_AT, ArrowBatches.timestampsOr(CREATED_AT, createdIn, ts, n, allocator));
      columns.put(UPDATED_AT, ArrowBatches.timestampsOr(UPDATED_AT, updatedIn, ts, n, allocator));
      columns.put(
          DELETED_AT,
          deletedAt != null
              ? ArrowBatches.timestampsOr(DELETED_AT, null, deletedAt, n, allocator)
              : ArrowBatches.timestampsOr(DELETED_AT, deletedIn, null, n, allocator));
      columns.put(
          MATERIALIZATION_ID,
          ArrowBatches.constantStrings(MATERIALIZATION_ID, matId, n, allocator));
      return columns;
    } catch (RuntimeException e) {
      columns.values().forEach(FieldVector::close);
      throw e;
    }
  }

  /** The batch of {@code columns} (consumed) in the reference's column order, which stores create tables in. */
  private static VectorSchemaRoot inReferenceOrder(
      VectorSchemaRoot in,
      VectorSchemaRoot completed,
      boolean preserve,
      Map<String, FieldVector> columns) {
    List<FieldVector> out = new ArrayList<>();
    try {
      for (String c : SystemColumns.referenceOrder(ArrowBatches.names(in), preserve)) {
        FieldVector v = columns.remove(c);
        if (v != null) {
          out.add(v);
        }
      }
      // Anything the order does not name (none today) still goes out, after the rest.
      completed.getFieldVectors().stream()
          .map(FieldVector::getName)
          .map(columns::remove)
          .filter(Objects::nonNull)
          .forEach(out::add);
      out.addAll(columns.values());
      columns.clear();
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      columns.values().forEach(FieldVector::close);
      throw e;
    }
    return ArrowBatches.of(out, in.getRowCount());
  }

  /**
   * A by-field column as the struct the reference builds: one UTF-8 child per field of the spec, in spec
   * order (maps and structs in another order are rebuilt; keys the spec lacks are dropped, as they are
   * from the tables' structs). Stores then create struct columns in that order.
   */
  private FieldVector byFieldInSpecOrder(FieldVector v, List<String> fields) {
    if (v instanceof StructVector s
        && s.getChildFieldNames().equals(fields)
        && s.getChildrenFromFields().stream()
            .allMatch(c -> c.getField().getType() instanceof ArrowType.Utf8)) {
      return ArrowBatches.share(v, allocator);
    }
    List<Map<String, Object>> rows = new ArrayList<>(v.getValueCount());
    for (int r = 0; r < v.getValueCount(); r++) {
      rows.add(ArrowBatches.byField(v, r));
    }
    return ArrowBatches.byFieldStruct(v.getName(), fields, rows, allocator);
  }
}
