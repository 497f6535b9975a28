package io.metaxy.internal;

import io.metaxy.SystemColumns;
import java.time.Instant;
import org.jooq.Field;

/**
 * The typed jOOQ fields of the system columns, the same in every feature table. Each generated
 * companion's {@code Columns} class extends this class, so {@code MetaxyCrop.Columns.METAXY_PROVENANCE}
 * is this class's field, declared once here instead of once per companion. For generated code only.
 */
public class SystemColumnFields {
  /** System column {@code metaxy_provenance_by_field}. */
  public static final Field<?> METAXY_PROVENANCE_BY_FIELD =
      JooqFields.ofByField(SystemColumns.PROVENANCE_BY_FIELD);

  /** System column {@code metaxy_feature_version}. */
  public static final Field<String> METAXY_FEATURE_VERSION =
      JooqFields.ofString(SystemColumns.FEATURE_VERSION);

  /** System column {@code metaxy_project_version}. */
  public static final Field<String> METAXY_PROJECT_VERSION =
      JooqFields.ofString(SystemColumns.PROJECT_VERSION);

  /** System column {@code metaxy_provenance}. */
  public static final Field<String> METAXY_PROVENANCE =
      JooqFields.ofString(SystemColumns.PROVENANCE);

  /** System column {@code metaxy_created_at}. */
  public static final Field<Instant> METAXY_CREATED_AT =
      JooqFields.ofInstant(SystemColumns.CREATED_AT);

  /** System column {@code metaxy_updated_at}. */
  public static final Field<Instant> METAXY_UPDATED_AT =
      JooqFields.ofInstant(SystemColumns.UPDATED_AT);

  /** System column {@code metaxy_deleted_at}. */
  public static final Field<Instant> METAXY_DELETED_AT =
      JooqFields.ofInstant(SystemColumns.DELETED_AT);

  /** System column {@code metaxy_materialization_id}. */
  public static final Field<String> METAXY_MATERIALIZATION_ID =
      JooqFields.ofString(SystemColumns.MATERIALIZATION_ID);

  /** System column {@code metaxy_data_version_by_field}. */
  public static final Field<?> METAXY_DATA_VERSION_BY_FIELD =
      JooqFields.ofByField(SystemColumns.DATA_VERSION_BY_FIELD);

  /** System column {@code metaxy_data_version}. */
  public static final Field<String> METAXY_DATA_VERSION =
      JooqFields.ofString(SystemColumns.DATA_VERSION);

  /** For the generated {@code Columns} classes. */
  protected SystemColumnFields() {}
}
