package io.metaxy.config;

import io.metaxy.FeatureKey;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One {@code [[extra_features]]} entry: feature definitions to pull from the store on sync and {@code mx
 * lock}. Unset parts are null; at least one part is set.
 *
 * @param projects every feature of these projects, or null
 * @param keys these features, or null
 * @param all every feature in the store when true, or null
 */
public record FeatureSelection(
    @Nullable List<String> projects,
    @Nullable List<FeatureKey> keys,
    @Nullable Boolean all) {
  /** Checks that something is selected and copies the lists. */
  public FeatureSelection {
    if (projects == null && keys == null && all == null) {
      throw new IllegalArgumentException(
          "a feature selection needs at least one of projects, keys, all");
    }
    projects = projects == null ? null : List.copyOf(projects);
    keys = keys == null ? null : List.copyOf(keys);
  }
}
