package io.metaxy.store;

import io.metaxy.FeatureKey;
import java.util.List;

/** Names of the system columns and system tables (store spec §2.2, §2.4). */
public final class SystemColumns {
  /** Per-field provenance: struct of field struct key → hash. Required input of every write. */
  public static final String PROVENANCE_BY_FIELD = "metaxy_provenance_by_field";
  /** Sample provenance: hash of the per-field provenance. */
  public static final String PROVENANCE = "metaxy_provenance";
  /** Per-field data version (defaults to the provenance; users may override it). */
  public static final String DATA_VERSION_BY_FIELD = "metaxy_data_version_by_field";
  /** Sample data version. */
  public static final String DATA_VERSION = "metaxy_data_version";
  /** The feature version the row was written under. */
  public static final String FEATURE_VERSION = "metaxy_feature_version";
  /** The project version the row was written under. */
  public static final String PROJECT_VERSION = "metaxy_project_version";
  /** First write time of the row (kept when given). */
  public static final String CREATED_AT = "metaxy_created_at";
  /** Write time; orders rows of the same sample. */
  public static final String UPDATED_AT = "metaxy_updated_at";
  /** Soft-delete time, or null. */
  public static final String DELETED_AT = "metaxy_deleted_at";
  /** The run that wrote the row, or null. */
  public static final String MATERIALIZATION_ID = "metaxy_materialization_id";

  /** The ten system columns in the order the store writes them. */
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

  /** The table name of a feature: parts with {@code -} replaced by {@code _}, joined by {@code __}. */
  public static String tableName(FeatureKey key) {
    return String.join("__", key.parts().stream().map(p -> p.replace('-', '_')).toList());
  }
}
