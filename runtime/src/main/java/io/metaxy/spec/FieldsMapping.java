package io.metaxy.spec;

import io.metaxy.FieldKey;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The automatic mapping of a {@link FeatureDep}: the upstream fields of a field without explicit deps. */
public sealed interface FieldsMapping {
  /** The default mapping: same key, nothing excluded, no suffix matching. */
  FieldsMapping DEFAULT = new Default(false, List.of());

  /**
   * Same key (or, with {@code matchSuffix}, same trailing parts); when nothing matches, all fields.
   *
   * @param matchSuffix also match upstream keys ending with the field's parts
   * @param excludeFields upstream fields never mapped
   */
  record Default(boolean matchSuffix, List<FieldKey> excludeFields) implements FieldsMapping {
    /** Copies the list. */
    public Default {
      excludeFields = List.copyOf(excludeFields);
    }
  }

  /** Every upstream field. */
  record All() implements FieldsMapping {}

  /** No upstream field. */
  record None() implements FieldsMapping {}

  /**
   * Explicit upstream fields per downstream field.
   *
   * @param mapping downstream field → upstream fields
   */
  record Specific(Map<FieldKey, List<FieldKey>> mapping) implements FieldsMapping {
    /** Copies the map, ordered by key for determinism. */
    public Specific {
      TreeMap<FieldKey, List<FieldKey>> copy = new TreeMap<>();
      mapping.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      mapping = Collections.unmodifiableMap(copy);
    }
  }
}
