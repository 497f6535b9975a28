package io.metaxy.store;

import io.metaxy.FeatureCompanion;
import io.metaxy.FeatureCompanions;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * What must be (re)computed for a feature: new samples (no current row), stale samples (current row
 * with a different provenance, or matching a staleness predicate) and orphaned samples (current rows
 * no longer expected). {@code newSamples} and {@code stale} carry the expected provenance columns;
 * {@code orphaned} carries the stored rows. Owns its three batches: close it.
 */
public final class Increment implements AutoCloseable {
  private final VectorSchemaRoot newSamples;
  private final VectorSchemaRoot stale;
  private final VectorSchemaRoot orphaned;
  /** Distinct input units and unprocessed ones (summed over partitions); the progress derives from them. */
  private long inputUnits;
  private long freshUnits;

  Increment(VectorSchemaRoot newSamples, VectorSchemaRoot stale, VectorSchemaRoot orphaned) {
    this.newSamples = newSamples;
    this.stale = stale;
    this.orphaned = orphaned;
  }

  /** Records the input units behind {@link #inputProgress}. */
  Increment withInputUnits(long input, long fresh) {
    this.inputUnits = input;
    this.freshUnits = fresh;
    return this;
  }

  long inputUnits() {
    return inputUnits;
  }

  long freshUnits() {
    return freshUnits;
  }

  /**
   * The share (0–100) of distinct input units (upstream join keys) already processed:
   * {@code 100 * (distinctInput - distinctNew) / distinctInput}; stale samples count as processed.
   * Empty for samples-driven (root) increments and when the upstream has no rows (spec §1.14).
   */
  public java.util.OptionalDouble inputProgress() {
    return inputUnits == 0
        ? java.util.OptionalDouble.empty()
        : java.util.OptionalDouble.of(100.0 * (inputUnits - freshUnits) / inputUnits);
  }

  /** Expected samples with no current row. */
  public VectorSchemaRoot newSamples() {
    return newSamples;
  }

  /** Expected samples whose current row is out of date. */
  public VectorSchemaRoot stale() {
    return stale;
  }

  /** Current rows that are no longer expected. */
  public VectorSchemaRoot orphaned() {
    return orphaned;
  }

  /** Whether there is nothing to do. */
  public boolean isEmpty() {
    return newSamples.getRowCount() == 0 && stale.getRowCount() == 0 && orphaned.getRowCount() == 0;
  }

  /** The new samples as records (the batch must carry the record's columns). */
  public <T extends Record> List<T> newRecords(Class<T> type) {
    return records(newSamples, FeatureCompanions.of(type));
  }

  /** The stale samples as records. */
  public <T extends Record> List<T> staleRecords(Class<T> type) {
    return records(stale, FeatureCompanions.of(type));
  }

  /** The orphaned samples as records. */
  public <T extends Record> List<T> orphanedRecords(Class<T> type) {
    return records(orphaned, FeatureCompanions.of(type));
  }

  /**
   * The samples to (re)compute: every new row, then every stale row, as views valid until this
   * increment is closed.
   */
  public List<IncrementRow> toProcess() {
    List<IncrementRow> out = new ArrayList<>(newSamples.getRowCount() + stale.getRowCount());
    for (int r = 0; r < newSamples.getRowCount(); r++) {
      out.add(new IncrementRow(newSamples, r, true));
    }
    for (int r = 0; r < stale.getRowCount(); r++) {
      out.add(new IncrementRow(stale, r, false));
    }
    return out;
  }

  /** Every row of a batch as a record, through the feature's companion. */
  public static <T extends Record> List<T> records(VectorSchemaRoot batch, FeatureCompanion<T> companion) {
    List<T> out = new ArrayList<>(batch.getRowCount());
    for (int r = 0; r < batch.getRowCount(); r++) {
      out.add(companion.fromArrow(batch, r));
    }
    return out;
  }

  @Override
  public void close() {
    newSamples.close();
    stale.close();
    orphaned.close();
  }
}
