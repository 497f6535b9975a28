package io.metaxy.store;

import io.metaxy.FeatureKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;

/**
 * Options of {@link MetadataStore#resolveUpdate(FeatureKey, ResolveOptions)} (store spec §1.7, §4).
 * Immutable; each method returns a modified copy.
 *
 * @param samples for root features: the candidate samples (user columns plus
 *     {@code metaxy_provenance_by_field}); the caller keeps ownership
 * @param filters per feature (target or upstream) filters, applied after that feature's dedup
 * @param globalFilters filters applied to the target and to every upstream
 * @param targetFilters filters applied only to the target's current rows (and samples)
 * @param skipComparison report every expected sample as new
 * @param stalenessPredicates stored target rows matching any of these are stale
 * @param partitionRows above this many rows in the target or an upstream table, the increment is
 *     computed in id ranges of about this many samples, one after the other, and the parts are joined:
 *     memory then follows the partition, not the table (only for one integer id column joined by
 *     identity lineages, without samples or staleness predicates; the answer is the same either way)
 * @param full compute the answer from every row even where an incremental resolve would be exact (see
 *     {@link Increment#resolution()}); the answer is the same either way
 */
public record ResolveOptions(
    @Nullable VectorSchemaRoot samples,
    Map<FeatureKey, List<RowFilter>> filters,
    List<RowFilter> globalFilters,
    List<RowFilter> targetFilters,
    boolean skipComparison,
    List<RowFilter> stalenessPredicates,
    long partitionRows,
    boolean full) {
  /** The default {@link #partitionRows}: 2M samples at a time. */
  public static final long DEFAULT_PARTITION_ROWS = 2_000_000;

  /** No samples, filters or predicates. */
  public static final ResolveOptions DEFAULT = new ResolveOptions(
      null, Map.of(), List.of(), List.of(), false, List.of(), DEFAULT_PARTITION_ROWS, false);

  /** Copies the collections. */
  public ResolveOptions {
    filters = filters == null ? Map.of() : Map.copyOf(filters);
    globalFilters = globalFilters == null ? List.of() : List.copyOf(globalFilters);
    targetFilters = targetFilters == null ? List.of() : List.copyOf(targetFilters);
    stalenessPredicates =
        stalenessPredicates == null ? List.of() : List.copyOf(stalenessPredicates);
    if (partitionRows < 1) {
      throw new IllegalArgumentException("partitionRows must be at least 1, got " + partitionRows);
    }
  }

  /** With these samples (root features). */
  public ResolveOptions samples(VectorSchemaRoot s) {
    return new ResolveOptions(
        s,
        filters,
        globalFilters,
        targetFilters,
        skipComparison,
        stalenessPredicates,
        partitionRows,
        full);
  }

  /** With filters for one feature added. */
  public ResolveOptions filter(FeatureKey feature, RowFilter... f) {
    Map<FeatureKey, List<RowFilter>> m = new LinkedHashMap<>(filters);
    m.put(feature, List.of(f));
    return new ResolveOptions(
        samples,
        m,
        globalFilters,
        targetFilters,
        skipComparison,
        stalenessPredicates,
        partitionRows,
        full);
  }

  /** With these global filters. */
  public ResolveOptions globalFilters(RowFilter... f) {
    return new ResolveOptions(
        samples,
        filters,
        List.of(f),
        targetFilters,
        skipComparison,
        stalenessPredicates,
        partitionRows,
        full);
  }

  /** With these target-only filters. */
  public ResolveOptions targetFilters(RowFilter... f) {
    return new ResolveOptions(
        samples,
        filters,
        globalFilters,
        List.of(f),
        skipComparison,
        stalenessPredicates,
        partitionRows,
        full);
  }

  /** Skipping the comparison with stored rows. */
  public ResolveOptions skippingComparison() {
    return new ResolveOptions(
        samples,
        filters,
        globalFilters,
        targetFilters,
        true,
        stalenessPredicates,
        partitionRows,
        full);
  }

  /** With these staleness predicates (OR-ed). */
  public ResolveOptions stalenessPredicates(RowFilter... f) {
    return new ResolveOptions(
        samples,
        filters,
        globalFilters,
        targetFilters,
        skipComparison,
        List.of(f),
        partitionRows,
        full);
  }

  /**
   * Forcing a full resolve: every upstream and target row is read, and the memory of earlier resolves is
   * neither used nor updated.
   */
  public ResolveOptions fullResolve() {
    return new ResolveOptions(
        samples,
        filters,
        globalFilters,
        targetFilters,
        skipComparison,
        stalenessPredicates,
        partitionRows,
        true);
  }

  /** With another {@link #partitionRows} ({@code Long.MAX_VALUE}: never partition). */
  public ResolveOptions partitionRows(long rows) {
    return new ResolveOptions(
        samples,
        filters,
        globalFilters,
        targetFilters,
        skipComparison,
        stalenessPredicates,
        rows,
        full);
  }
}
