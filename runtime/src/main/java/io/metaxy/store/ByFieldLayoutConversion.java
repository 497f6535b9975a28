package io.metaxy.store;

import io.metaxy.FeatureKey;
import java.util.Optional;

/**
 * A store whose tables may keep their by-field columns in either {@link ByFieldLayout}, and that can
 * convert a feature's table from one to the other in place ({@code mx metadata convert-layout}). A
 * conversion is one transaction: it converts every row or, when it throws, nothing.
 */
public interface ByFieldLayoutConversion {
  /** The layout of a feature's table in this store, or empty when the store has no table for it. */
  Optional<ByFieldLayout> byFieldLayout(FeatureKey key);

  /**
   * Converts a feature's table to {@code target} (a no-op when it already has it). Converting to
   * {@link ByFieldLayout#STRUCT} gives the struct one child per field of the current spec, in spec
   * order, then one per other key found in the rows (fields of other feature versions), sorted, so
   * that no value is lost.
   *
   * @return the number of rows of the table
   * @throws FeatureNotFoundException when the store has no table for the feature
   */
  long convertByFieldLayout(FeatureKey key, ByFieldLayout target);
}
