package io.metaxy.store;

import io.metaxy.FeatureKey;
import java.util.List;

/**
 * Names of the system columns and system tables (store spec §2.2, §2.4). The column names are defined
 * once, in {@link io.metaxy.engine.SystemColumns}; these aliases keep them at hand for store users.
 */
public final class SystemColumns {
  /** Per-field provenance: struct of field struct key → hash. Required input of every write. */
  public static final String PROVENANCE_BY_FIELD = io.metaxy.engine.SystemColumns.PROVENANCE_BY_FIELD;
  /** Sample provenance: hash of the per-field provenance. */
  public static final String PROVENANCE = io.metaxy.engine.SystemColumns.PROVENANCE;
  /** Per-field data version (defaults to the provenance; users may override it). */
  public static final String DATA_VERSION_BY_FIELD = io.metaxy.engine.SystemColumns.DATA_VERSION_BY_FIELD;
  /** Sample data version. */
  public static final String DATA_VERSION = io.metaxy.engine.SystemColumns.DATA_VERSION;
  /** The feature version the row was written under. */
  public static final String FEATURE_VERSION = io.metaxy.engine.SystemColumns.FEATURE_VERSION;
  /** The project version the row was written under. */
  public static final String PROJECT_VERSION = io.metaxy.engine.SystemColumns.PROJECT_VERSION;
  /** First write time of the row (kept when given). */
  public static final String CREATED_AT = io.metaxy.engine.SystemColumns.CREATED_AT;
  /** Write time; orders rows of the same sample. */
  public static final String UPDATED_AT = io.metaxy.engine.SystemColumns.UPDATED_AT;
  /** Soft-delete time, or null. */
  public static final String DELETED_AT = io.metaxy.engine.SystemColumns.DELETED_AT;
  /** The run that wrote the row, or null. */
  public static final String MATERIALIZATION_ID = io.metaxy.engine.SystemColumns.MATERIALIZATION_ID;

  /** The ten system columns (the order of a table's columns is {@link #referenceOrder}'s). */
  public static final List<String> ALL =
      List.of(
          PROVENANCE_BY_FIELD,
          PROVENANCE,
          FEATURE_VERSION,
          PROJECT_VERSION,
          DATA_VERSION_BY_FIELD,
          DATA_VERSION,
          CREATED_AT,
          UPDATED_AT,
          DELETED_AT,
          MATERIALIZATION_ID);

  /** The four columns the versioning engine reads from upstream rows. */
  public static final List<String> VERSIONING =
      List.of(PROVENANCE_BY_FIELD, PROVENANCE, DATA_VERSION_BY_FIELD, DATA_VERSION);

  /** The first key part of system tables. */
  public static final String SYSTEM_PART = "metaxy-system";

  /** The feature-versions system table ({@code metaxy_system__feature_versions}). */
  public static final FeatureKey FEATURE_VERSIONS = new FeatureKey(List.of(SYSTEM_PART, "feature_versions"));

  /** The events system table (reserved; nothing writes it yet). */
  public static final FeatureKey EVENTS = new FeatureKey(List.of(SYSTEM_PART, "events"));

  private SystemColumns() {}

  /** Whether a key names a system table. */
  public static boolean isSystem(FeatureKey key) {
    return key.parts().get(0).equals(SYSTEM_PART);
  }

  /** Whether a column name is reserved for the store. */
  public static boolean isSystemColumn(String column) {
    return ALL.contains(column);
  }

  /**
   * The columns of a written batch in the order the reference's write path leaves them (its
   * {@code MetadataStore._add_system_columns}), which is the order of a table's columns when that write
   * creates it: the given columns in their order, then, unless kept ({@code preserveVersions}), the two
   * version columns moved to the end, then each missing system column appended as the reference adds it.
   * For a root feature written with its ids and {@code metaxy_provenance_by_field}: ids,
   * provenance_by_field, feature_version, project_version, provenance, created_at, updated_at,
   * deleted_at, materialization_id, data_version_by_field, data_version.
   *
   * @param given the names of the batch's columns as the caller gave them (system columns among them)
   */
  public static List<String> referenceOrder(List<String> given, boolean preserveVersions) {
    List<String> order = new java.util.ArrayList<>(given);
    if (!preserveVersions) {
      order.remove(FEATURE_VERSION);
      order.remove(PROJECT_VERSION);
    }
    for (String c : List.of(FEATURE_VERSION, PROJECT_VERSION, PROVENANCE, CREATED_AT, UPDATED_AT, DELETED_AT,
        MATERIALIZATION_ID, DATA_VERSION_BY_FIELD, DATA_VERSION)) {
      if (!order.contains(c)) {
        order.add(c);
      }
    }
    if (!order.contains(PROVENANCE_BY_FIELD)) {
      order.add(order.indexOf(FEATURE_VERSION), PROVENANCE_BY_FIELD);
    }
    return order;
  }

  /** The table name of a feature: parts with {@code -} replaced by {@code _}, joined by {@code __}. */
  public static String tableName(FeatureKey key) {
    return key.tableName();
  }
}
