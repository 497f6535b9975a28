package io.metaxy.store.spi;

import java.util.List;
import java.util.Map;

/**
 * What {@link StoreBackend#scan} reads.
 *
 * @param table the physical table name
 * @param featureVersion keep only rows whose {@code metaxy_feature_version} equals this, or {@code null}
 *     for all rows
 * @param dedupIdColumns when non-null, keep only the latest row per tuple of these columns, ranked by
 *     {@code coalesce(metaxy_deleted_at, metaxy_updated_at)} descending, nulls last, later appends
 *     winning ties; applied after the version filter
 * @param byFieldKeys per by-field column ({@code metaxy_provenance_by_field},
 *     {@code metaxy_data_version_by_field}) the struct children to return, in order; keys absent from
 *     the stored value come back null. Columns not listed are returned as stored.
 * @param filter rows must also satisfy this expression, applied after deduplication; only set for
 *     backends that {@linkplain StoreBackend#supportsFilterPushdown() push filters down}, else null
 */
public record ScanRequest(
    String table,
    String featureVersion,
    List<String> dedupIdColumns,
    Map<String, List<String>> byFieldKeys,
    io.metaxy.filter.FilterExpr filter) {
  /** Copies the lists. */
  public ScanRequest {
    dedupIdColumns = dedupIdColumns == null ? null : List.copyOf(dedupIdColumns);
    byFieldKeys = byFieldKeys == null ? Map.of() : Map.copyOf(byFieldKeys);
  }

  /** A request without a pushed-down filter. */
  public ScanRequest(String table, String featureVersion, List<String> dedupIdColumns, Map<String, List<String>> byFieldKeys) {
    this(table, featureVersion, dedupIdColumns, byFieldKeys, null);
  }
}
