package io.metaxy.store;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Options of {@link MetadataStore#read(io.metaxy.FeatureKey, ReadOptions)} (store spec §1.4, §3).
 * Immutable; each method returns a modified copy.
 *
 * @param featureVersion read this feature version instead of the current one (needs
 *     {@code withFeatureHistory})
 * @param filters row filters applied after deduplication, AND-ed
 * @param columns the output columns, in order, or {@code null} for all
 * @param allowFallback whether fallback stores are consulted when this store lacks the feature
 * @param withFeatureHistory read every feature version, not only the current one
 * @param withSampleHistory keep every row instead of the latest per sample
 * @param includeSoftDeleted keep samples whose latest row is a soft-delete tombstone
 */
public record ReadOptions(
    @Nullable String featureVersion,
    List<RowFilter> filters,
    @Nullable List<String> columns,
    boolean allowFallback,
    boolean withFeatureHistory,
    boolean withSampleHistory,
    boolean includeSoftDeleted) {
  /** Current version, latest row per sample, tombstones hidden, fallbacks allowed. */
  public static final ReadOptions DEFAULT =
      new ReadOptions(null, List.of(), null, true, false, false, false);

  /** Copies the lists. */
  public ReadOptions {
    filters = filters == null ? List.of() : List.copyOf(filters);
    columns = columns == null ? null : List.copyOf(columns);
  }

  /** With this feature version (implies nothing else; set {@link #featureHistory()} too). */
  public ReadOptions featureVersion(@Nullable String version) {
    return new ReadOptions(
        version,
        filters,
        columns,
        allowFallback,
        withFeatureHistory,
        withSampleHistory,
        includeSoftDeleted);
  }

  /** With these filters (replacing earlier ones). */
  public ReadOptions filters(RowFilter... f) {
    return filters(List.of(f));
  }

  /** With these filters (replacing earlier ones). */
  public ReadOptions filters(List<RowFilter> f) {
    return new ReadOptions(
        featureVersion,
        f,
        columns,
        allowFallback,
        withFeatureHistory,
        withSampleHistory,
        includeSoftDeleted);
  }

  /** Only these columns, in this order. */
  public ReadOptions columns(String... c) {
    return new ReadOptions(
        featureVersion,
        filters,
        List.of(c),
        allowFallback,
        withFeatureHistory,
        withSampleHistory,
        includeSoftDeleted);
  }

  /** Without fallback stores. */
  public ReadOptions noFallback() {
    return new ReadOptions(
        featureVersion,
        filters,
        columns,
        false,
        withFeatureHistory,
        withSampleHistory,
        includeSoftDeleted);
  }

  /** Across all feature versions. */
  public ReadOptions featureHistory() {
    return new ReadOptions(
        featureVersion,
        filters,
        columns,
        allowFallback,
        true,
        withSampleHistory,
        includeSoftDeleted);
  }

  /** Every row, not only the latest per sample. */
  public ReadOptions sampleHistory() {
    return new ReadOptions(
        featureVersion,
        filters,
        columns,
        allowFallback,
        withFeatureHistory,
        true,
        includeSoftDeleted);
  }

  /** Including soft-deleted samples. */
  public ReadOptions softDeleted() {
    return new ReadOptions(
        featureVersion,
        filters,
        columns,
        allowFallback,
        withFeatureHistory,
        withSampleHistory,
        true);
  }
}
