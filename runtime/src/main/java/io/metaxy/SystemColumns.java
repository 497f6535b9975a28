package io.metaxy;

import java.util.ArrayList;
import java.util.List;

/**
 * The Metaxy system columns of every feature table: their names, kinds and order. The one home of these
 * names for the versioning engine, the stores and generated code (store spec §2, versioning spec §4.4).
 *
 * <p>{@link #ALL} is the order the Python reference's write path leaves them for a root feature written
 * with its ids and by-field provenance, which is the order of a table's columns when such a write
 * creates it; {@link #referenceOrder} gives the order for any written batch.
 */
public final class SystemColumns {
  /** Per-field provenance: one UTF-8 value per field struct key. */
  public static final String PROVENANCE_BY_FIELD = "metaxy_provenance_by_field";
  /** Sample provenance: hash of the per-field provenance values. */
  public static final String PROVENANCE = "metaxy_provenance";
  /** Per-field data version (defaults to the provenance; user-overridable). */
  public static final String DATA_VERSION_BY_FIELD = "metaxy_data_version_by_field";
  /** Sample data version: hash of the per-field data versions. */
  public static final String DATA_VERSION = "metaxy_data_version";
  /** The feature version the row was written under. */
  public static final String FEATURE_VERSION = "metaxy_feature_version";
  /** The project version the row was written under. */
  public static final String PROJECT_VERSION = "metaxy_project_version";
  /** When the row was first written (µs, UTC). */
  public static final String CREATED_AT = "metaxy_created_at";
  /** When the row was last written (µs, UTC). */
  public static final String UPDATED_AT = "metaxy_updated_at";
  /** When the row was soft-deleted (µs, UTC), or null. */
  public static final String DELETED_AT = "metaxy_deleted_at";
  /** The orchestration run that wrote the row (e.g. a Dagster run id). */
  public static final String MATERIALIZATION_ID = "metaxy_materialization_id";

  /** The prefix reserved for system columns; user columns may not start with it. */
  public static final String PREFIX = "metaxy_";

  /** Kinds of system column. */
  public enum Kind {
    /** One UTF-8 value per field (Arrow struct, DuckDB {@code STRUCT}, PostgreSQL {@code jsonb}). */
    BY_FIELD,
    /** A UTF-8 string. */
    STRING,
    /** A timestamp in microseconds, UTC. */
    TIMESTAMP
  }

  /**
   * A system column.
   *
   * @param name the column name
   * @param kind its kind
   */
  public record Column(String name, Kind kind) {}

  /** Every system column with its kind, in table order (see the class documentation). */
  public static final List<Column> COLUMNS = List.of(
      new Column(PROVENANCE_BY_FIELD, Kind.BY_FIELD),
      new Column(FEATURE_VERSION, Kind.STRING),
      new Column(PROJECT_VERSION, Kind.STRING),
      new Column(PROVENANCE, Kind.STRING),
      new Column(CREATED_AT, Kind.TIMESTAMP),
      new Column(UPDATED_AT, Kind.TIMESTAMP),
      new Column(DELETED_AT, Kind.TIMESTAMP),
      new Column(MATERIALIZATION_ID, Kind.STRING),
      new Column(DATA_VERSION_BY_FIELD, Kind.BY_FIELD),
      new Column(DATA_VERSION, Kind.STRING));

  /** The names of {@link #COLUMNS}, in the same order. */
  public static final List<String> ALL = COLUMNS.stream().map(Column::name).toList();

  /** The four columns the versioning engine reads from upstream rows. */
  public static final List<String> VERSIONING =
      List.of(PROVENANCE_BY_FIELD, PROVENANCE, DATA_VERSION_BY_FIELD, DATA_VERSION);

  private SystemColumns() {}

  /** Whether a column name is one of the system columns the store fills. */
  public static boolean isSystemColumn(String column) {
    return ALL.contains(column);
  }

  /**
   * The columns of a written batch in the order the reference's write path leaves them (its {@code
   * MetadataStore._add_system_columns}), which is the order of a table's columns when that write creates
   * it: the given columns in their order, then, unless kept ({@code preserveVersions}), the two version
   * columns moved to the end, then each missing system column appended as the reference adds it. For a
   * root feature written with its ids and {@code metaxy_provenance_by_field} this is the ids, then
   * {@link #ALL}.
   *
   * @param given the names of the batch's columns as the caller gave them (system columns among them)
   */
  public static List<String> referenceOrder(List<String> given, boolean preserveVersions) {
    List<String> order = new ArrayList<>(given);
    if (!preserveVersions) {
      order.remove(FEATURE_VERSION);
      order.remove(PROJECT_VERSION);
    }
    for (String c : List.of(
        FEATURE_VERSION,
        PROJECT_VERSION,
        PROVENANCE,
        CREATED_AT,
        UPDATED_AT,
        DELETED_AT,
        MATERIALIZATION_ID,
        DATA_VERSION_BY_FIELD,
        DATA_VERSION)) {
      if (!order.contains(c)) {
        order.add(c);
      }
    }
    if (!order.contains(PROVENANCE_BY_FIELD)) {
      order.add(order.indexOf(FEATURE_VERSION), PROVENANCE_BY_FIELD);
    }
    return order;
  }
}
