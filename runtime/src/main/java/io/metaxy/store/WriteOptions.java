package io.metaxy.store;

import org.jspecify.annotations.Nullable;

/**
 * Options of {@link MetadataStore#write(io.metaxy.FeatureKey, org.apache.arrow.vector.VectorSchemaRoot,
 * WriteOptions)}.
 *
 * @param materializationId the run id stamped on every row, or {@code null} for the store default
 * @param preserveFeatureVersion keep the batch's {@code metaxy_feature_version} and
 *     {@code metaxy_project_version} when both are present (rebase, copy)
 */
public record WriteOptions(@Nullable String materializationId, boolean preserveFeatureVersion) {
  /** Store default materialization id, versions stamped from the graph. */
  public static final WriteOptions DEFAULT = new WriteOptions(null, false);
}
