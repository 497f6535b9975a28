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
 */
public record ScanRequest(
    String table, String featureVersion, List<String> dedupIdColumns, Map<String, List<String>> byFieldKeys) {
  /** Copies the lists. */
  public ScanRequest {
    dedupIdColumns = dedupIdColumns == null ? null : List.copyOf(dedupIdColumns);
    byFieldKeys = byFieldKeys == null ? Map.of() : Map.copyOf(byFieldKeys);
  }
}
