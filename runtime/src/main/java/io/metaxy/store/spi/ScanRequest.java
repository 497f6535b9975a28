package io.metaxy.store.spi;

import io.metaxy.filter.FilterExpr;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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
 * @param columns the columns to return (projection), or {@code null} for every column; names the table
 *     does not have are ignored. Filtering and deduplication still see every column.
 * @param omitColumns columns not to return even when {@code columns} is null (e.g. timestamps a reader
 *     does not need); names the table does not have are ignored
 */
public record ScanRequest(
    String table,
    @Nullable String featureVersion,
    @Nullable List<String> dedupIdColumns,
    Map<String, List<String>> byFieldKeys,
    @Nullable FilterExpr filter,
    @Nullable List<String> columns,
    Set<String> omitColumns) {
  /** Copies the collections. */
  public ScanRequest {
    dedupIdColumns = dedupIdColumns == null ? null : List.copyOf(dedupIdColumns);
    byFieldKeys = byFieldKeys == null ? Map.of() : Map.copyOf(byFieldKeys);
    columns = columns == null ? null : List.copyOf(columns);
    omitColumns = omitColumns == null ? Set.of() : Set.copyOf(omitColumns);
  }

  /** A request for every column. */
  public ScanRequest(
      String table,
      @Nullable String featureVersion,
      @Nullable List<String> dedupIdColumns,
      Map<String, List<String>> byFieldKeys,
      @Nullable FilterExpr filter) {
    this(table, featureVersion, dedupIdColumns, byFieldKeys, filter, null, Set.of());
  }

  /** A request for every column, without a pushed-down filter. */
  public ScanRequest(
      String table,
      @Nullable String featureVersion,
      @Nullable List<String> dedupIdColumns,
      Map<String, List<String>> byFieldKeys) {
    this(table, featureVersion, dedupIdColumns, byFieldKeys, null, null, Set.of());
  }

  /** Whether the request returns the column {@code name} (when the table has it). */
  public boolean returns(String name) {
    return (columns == null || columns.contains(name)) && !omitColumns.contains(name);
  }

  /** Whether the request asks for a subset of the columns. */
  public boolean projects() {
    return columns != null || !omitColumns.isEmpty();
  }
}
