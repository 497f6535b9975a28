package io.metaxy.spec;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An explicit dependency of a field on fields of one upstream feature.
 *
 * @param feature the upstream feature
 * @param fields the upstream fields, or {@code null} for all of them
 */
public record FieldDep(FeatureKey feature, @Nullable List<FieldKey> fields) {
  /** Copies {@code fields} when present. */
  public FieldDep {
    fields = fields == null ? null : List.copyOf(fields);
  }

  /** A dependency on every field of {@code feature}. */
  public static FieldDep all(FeatureKey feature) {
    return new FieldDep(feature, null);
  }
}
