package io.metaxy.store;

import io.metaxy.MetaxyException;
import io.metaxy.SystemColumns;
import io.metaxy.graph.FeatureCompanions;
import io.metaxy.store.support.ArrowBatches;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;

/**
 * One sample of an {@link Increment} that must be (re)computed: its joined upstream columns and the
 * provenance its output must be written with. A pipeline step reads the inputs from it, computes, and
 * writes its output record with {@link MetadataStore#writeOutputs
 * store.writeOutputs(type, outputs, rows)}, which copies each row's provenance.
 *
 * <p>A view over the increment's batch: valid until the increment is closed.
 */
public final class IncrementRow {
  private final VectorSchemaRoot batch;
  private final int row;
  private final boolean isNew;

  IncrementRow(VectorSchemaRoot batch, int row, boolean isNew) {
    this.batch = batch;
    this.row = row;
    this.isNew = isNew;
  }

  /** True for a new sample, false for a stale one. */
  public boolean isNew() {
    return isNew;
  }

  /**
   * A column of the joined upstream row as a plain Java value (see {@link ArrowBatches#value}).
   *
   * @throws MetaxyException naming the column and the available ones when it is absent
   */
  public @Nullable Object get(String column) {
    FieldVector v = batch.getVector(column);
    if (v == null) {
      throw new MetaxyException("increment row has no column \"" + column + "\" (columns: "
          + ArrowBatches.names(batch) + ")");
    }
    return ArrowBatches.value(v, row);
  }

  /** A string column; see {@link #get}. */
  public @Nullable String getString(String column) {
    Object v = get(column);
    return v == null ? null : v.toString();
  }

  /**
   * The row decoded as an upstream feature record, e.g. {@code row.as(Video.class)}: works when the
   * row carries that record's columns, as it does for an identity dependency without rename.
   */
  public <U extends Record> U as(Class<U> type) {
    return FeatureCompanions.of(type).fromArrow(batch, row);
  }

  /** The expected {@code metaxy_provenance_by_field}: field struct key → provenance hash. */
  public Map<String, @Nullable String> provenanceByField() {
    FieldVector v = batch.getVector(SystemColumns.PROVENANCE_BY_FIELD);
    if (v == null) {
      throw new MetaxyException(
          "increment row has no " + SystemColumns.PROVENANCE_BY_FIELD + " column");
    }
    Map<String, @Nullable Object> raw = ArrowBatches.byField(v, row);
    Map<String, @Nullable String> out = new LinkedHashMap<>();
    if (raw != null) {
      raw.forEach((k, val) -> out.put(k, val == null ? null : val.toString()));
    }
    return Collections.unmodifiableMap(out);
  }

  /** The expected {@code metaxy_data_version} (equal to the provenance): handy in output paths. */
  public @Nullable String dataVersion() {
    Object v = get(SystemColumns.PROVENANCE);
    return v == null ? null : v.toString();
  }
}
