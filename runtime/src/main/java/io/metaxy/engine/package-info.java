/**
 * The sample-level versioning engine: computes expected provenance from upstream Arrow batches and
 * diffs it against current rows.
 *
 * <p>Batch conventions shared with the stores: {@code metaxy_provenance_by_field} and
 * {@code metaxy_data_version_by_field} are Arrow struct columns with one nullable UTF-8 child per field,
 * named by the field's struct key, in spec field order; {@code metaxy_provenance},
 * {@code metaxy_data_version}, {@code metaxy_feature_version}, {@code metaxy_project_version} and
 * {@code metaxy_materialization_id} are UTF-8; {@code metaxy_created_at}, {@code metaxy_updated_at} and
 * {@code metaxy_deleted_at} are timestamps in microseconds, UTC.
 */
@NullMarked
package io.metaxy.engine;

import org.jspecify.annotations.NullMarked;
