package io.metaxy.spec;

import io.metaxy.FeatureKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A dependency of a feature on an upstream feature.
 *
 * @param feature the upstream feature
 * @param select the upstream user columns to keep (post-rename names), or {@code null} for all
 * @param rename upstream column renames, or {@code null}
 * @param fieldsMapping the automatic field mapping
 * @param sqlFilters SQL-like filter strings applied to upstream rows, or {@code null}
 * @param lineage how upstream rows relate to downstream rows
 * @param optional whether downstream samples survive a missing upstream row
 */
public record FeatureDep(
    FeatureKey feature,
    @Nullable List<String> select,
    @Nullable Map<String, String> rename,
    FieldsMapping fieldsMapping,
    @Nullable List<String> sqlFilters,
    Lineage lineage,
    boolean optional) {

  /** Checks and copies. */
  public FeatureDep {
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(fieldsMapping, "fieldsMapping");
    Objects.requireNonNull(lineage, "lineage");
    select = select == null ? null : List.copyOf(select);
    rename = rename == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(rename));
    sqlFilters = sqlFilters == null ? null : List.copyOf(sqlFilters);
  }

  /** A plain identity dependency with every default. */
  public static FeatureDep on(FeatureKey feature) {
    return new FeatureDep(
        feature, null, null, FieldsMapping.DEFAULT, null, Lineage.IDENTITY, false);
  }

  /** The name an upstream column has after {@link #rename()}. */
  public String renamed(String column) {
    return rename == null ? column : rename.getOrDefault(column, column);
  }
}
