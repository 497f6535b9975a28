package io.metaxy.store;

import io.metaxy.FeatureKey;
import io.metaxy.store.spi.ByFieldLayout;
import java.util.Optional;

/**
 * A store that can rewrite a feature's table in place into the layout it gives new tables (the Python
 * reference's default for the backend, or by-field maps where the backend has them), for tables created
 * before that layout, or with the other by-field layout ({@code mx metadata convert-layout}). A
 * conversion is one transaction: the whole table is converted or, when it throws, nothing is.
 */
public interface LayoutConversion {
  /** The by-field layout of a feature's table in this store, or empty when the store has no table for it. */
  Optional<ByFieldLayout> byFieldLayout(FeatureKey key);

  /**
   * Converts a feature's table to the layout this store creates, with by-field columns as {@code
   * byField}; a no-op for a table that has it. A {@link ByFieldLayout#STRUCT} made from maps has one
   * child per field of the current spec, in spec order, then one per other key found in the rows
   * (fields of other feature versions), sorted, so that no value is lost.
   *
   * @return the number of rows of the table
   * @throws FeatureNotFoundException when the store has no table for the feature
   * @throws UnsupportedOperationException when the store has no such by-field layout
   */
  long convertLayout(FeatureKey key, ByFieldLayout byField);
}
