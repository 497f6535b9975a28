package io.metaxy.store;

import io.metaxy.graph.FeatureCompanion;
import io.metaxy.graph.FeatureCompanions;
import io.metaxy.store.support.ArrowBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;

/**
 * What must be (re)computed for a feature: new samples (no current row), stale samples (current row
 * with a different provenance, or matching a staleness predicate) and orphaned samples (current rows
 * no longer expected). {@code newSamples} and {@code stale} carry the expected provenance columns;
 * {@code orphaned} carries the stored rows. Owns its batches: close it.
 *
 * <p>Each kind of row is held as one or more batches in id order: a resolve computed in id ranges
 * ({@link ResolveOptions#partitionRows}) keeps one batch per range rather than copying them into one,
 * as a chunked data frame would. {@link #newBatches} and its siblings, the counts, the records and
 * {@link #toProcess} use the batches as they are; {@link #newSamples} and its siblings return a single
 * batch, concatenated on first use when there are several (that copy is kept, next to the batches,
 * until the increment is closed, so views taken earlier stay valid). Not thread-safe.
 */
public final class Increment implements AutoCloseable {
  private final Rows newSamples;
  private final Rows stale;
  private final Rows orphaned;
  /** Distinct input units and unprocessed ones (summed over partitions); the progress derives from them. */
  private long inputUnits;

  private long freshUnits;

  private Resolution resolution = Resolution.full("not recorded");

  /** For an incremental answer: counts {input, fresh} units over every row, on first use. */
  private @Nullable Supplier<long[]> unitCounter;

  /**
   * How a {@code resolveUpdate} found its answer.
   *
   * @param incremental true when only the rows appended since an earlier resolve of the same
   *     configuration (and the samples it left outstanding) were read; false for a full resolve
   * @param reason why the path was taken: for a full resolve what ruled the incremental one out (e.g.
   *     "no earlier resolve of this configuration", "table video__raw was rewritten since"), for an
   *     incremental one what it read
   * @param touchedKeys for an incremental resolve, how many join keys were recomputed; else -1
   */
  public record Resolution(boolean incremental, String reason, long touchedKeys) {
    static Resolution full(String reason) {
      return new Resolution(false, reason, -1);
    }

    @Override
    public String toString() {
      return (incremental ? "incremental (" : "full (") + reason + ")";
    }
  }

  Increment(VectorSchemaRoot newSamples, VectorSchemaRoot stale, VectorSchemaRoot orphaned) {
    this(List.of(newSamples), List.of(stale), List.of(orphaned), null);
  }

  /**
   * An increment of several batches per kind (each list non-empty, in id order); {@code allocator}
   * builds the single batches on demand.
   */
  Increment(
      List<VectorSchemaRoot> newSamples,
      List<VectorSchemaRoot> stale,
      List<VectorSchemaRoot> orphaned,
      @Nullable BufferAllocator allocator) {
    this.newSamples = new Rows(newSamples, allocator);
    this.stale = new Rows(stale, allocator);
    this.orphaned = new Rows(orphaned, allocator);
  }

  /** Records the input units behind {@link #inputProgress}. */
  Increment withInputUnits(long input, long fresh) {
    this.inputUnits = input;
    this.freshUnits = fresh;
    this.unitCounter = null;
    return this;
  }

  /**
   * Defers the input units to {@code counter}, run when {@link #inputProgress} is first asked: an
   * incremental answer reads only the touched keys, and the progress needs all of them.
   */
  Increment withInputUnitsLater(Supplier<long[]> counter) {
    this.unitCounter = counter;
    return this;
  }

  /** Which path answered (full or incremental) and why. */
  public Resolution resolution() {
    return resolution;
  }

  Increment withResolution(Resolution r) {
    this.resolution = r;
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
   * Empty for samples-driven (root) increments and when the upstream has no rows (spec §1.14). For an
   * {@linkplain Resolution#incremental incremental} answer the first call counts the units of every
   * upstream row (the cost of a full resolve), so the store must still be open.
   */
  public OptionalDouble inputProgress() {
    if (unitCounter != null) {
      long[] units = unitCounter.get();
      withInputUnits(units[0], units[1]);
    }
    return inputUnits == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(100.0 * (inputUnits - freshUnits) / inputUnits);
  }

  /** Expected samples with no current row, as one batch (concatenated on first use, see the class doc). */
  public VectorSchemaRoot newSamples() {
    return newSamples.whole();
  }

  /** Expected samples whose current row is out of date, as one batch. */
  public VectorSchemaRoot stale() {
    return stale.whole();
  }

  /** Current rows that are no longer expected, as one batch. */
  public VectorSchemaRoot orphaned() {
    return orphaned.whole();
  }

  /** The new samples as they were computed: one or more batches in id order, without a copy. */
  public List<VectorSchemaRoot> newBatches() {
    return newSamples.parts;
  }

  /** The stale samples as one or more batches in id order, without a copy. */
  public List<VectorSchemaRoot> staleBatches() {
    return stale.parts;
  }

  /** The orphaned rows as one or more batches in id order, without a copy. */
  public List<VectorSchemaRoot> orphanedBatches() {
    return orphaned.parts;
  }

  /** How many new samples there are. */
  public long newCount() {
    return newSamples.count();
  }

  /** How many stale samples there are. */
  public long staleCount() {
    return stale.count();
  }

  /** How many orphaned rows there are. */
  public long orphanedCount() {
    return orphaned.count();
  }

  /** Whether there is nothing to do. */
  public boolean isEmpty() {
    return newCount() == 0 && staleCount() == 0 && orphanedCount() == 0;
  }

  /** The new samples as records (the batches must carry the record's columns). */
  public <T extends Record> List<T> newRecords(Class<T> type) {
    return newSamples.records(FeatureCompanions.of(type));
  }

  /** The stale samples as records. */
  public <T extends Record> List<T> staleRecords(Class<T> type) {
    return stale.records(FeatureCompanions.of(type));
  }

  /** The orphaned samples as records. */
  public <T extends Record> List<T> orphanedRecords(Class<T> type) {
    return orphaned.records(FeatureCompanions.of(type));
  }

  /**
   * The samples to (re)compute: every new row, then every stale row, as views valid until this
   * increment is closed.
   */
  public List<IncrementRow> toProcess() {
    List<IncrementRow> out = new ArrayList<>(Math.toIntExact(newCount() + staleCount()));
    newSamples.addRows(out, true);
    stale.addRows(out, false);
    return out;
  }

  /** Every row of a batch as a record, through the feature's companion. */
  public static <T extends Record> List<T> records(
      VectorSchemaRoot batch, FeatureCompanion<T> companion) {
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

  /** One kind of row: its batches and, once asked for, their concatenation. */
  private static final class Rows {
    final List<VectorSchemaRoot> parts;
    private final @Nullable BufferAllocator allocator;
    private @Nullable VectorSchemaRoot whole;

    Rows(List<VectorSchemaRoot> parts, @Nullable BufferAllocator allocator) {
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("an increment needs at least one batch per kind of row");
      }
      if (parts.size() > 1 && allocator == null) {
        throw new IllegalArgumentException("several batches need an allocator to be joined");
      }
      this.parts = List.copyOf(parts);
      this.allocator = allocator;
      this.whole = parts.size() == 1 ? parts.get(0) : null;
    }

    long count() {
      long n = 0;
      for (VectorSchemaRoot b : parts) {
        n += b.getRowCount();
      }
      return n;
    }

    VectorSchemaRoot whole() {
      if (whole == null) {
        // Only several parts leave whole unset, and the constructor refused those without an
        // allocator.
        whole = ArrowBatches.concat(parts, Objects.requireNonNull(allocator, "allocator"));
      }
      return whole;
    }

    <T extends Record> List<T> records(FeatureCompanion<T> companion) {
      List<T> out = new ArrayList<>(Math.toIntExact(count()));
      for (VectorSchemaRoot b : parts) {
        out.addAll(Increment.records(b, companion));
      }
      return out;
    }

    void addRows(List<IncrementRow> out, boolean isNew) {
      for (VectorSchemaRoot b : parts) {
        for (int r = 0; r < b.getRowCount(); r++) {
          out.add(new IncrementRow(b, r, isNew));
        }
      }
    }

    void close() {
      if (whole != null && parts.size() > 1) {
        whole.close();
      }
      parts.forEach(VectorSchemaRoot::close);
    }
  }
}
