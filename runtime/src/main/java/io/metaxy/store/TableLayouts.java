package io.metaxy.store;

import io.metaxy.FeatureKey;
import io.metaxy.store.spi.ByFieldLayout;
import io.metaxy.store.spi.ByFieldLayouts;
import io.metaxy.store.spi.StoreBackend;
import java.util.List;
import java.util.Optional;

/**
 * {@link LayoutConversion} for a store whose backend has {@link ByFieldLayouts}: feature keys become
 * table names, and a conversion gets the field order of the feature's current spec.
 */
final class TableLayouts implements LayoutConversion {
  private final MetadataStore store;

  private TableLayouts(MetadataStore store) {
    this.store = store;
  }

  /** The conversion of {@code store}'s tables, when its open {@code backend} has several layouts. */
  static Optional<LayoutConversion> of(MetadataStore store, StoreBackend backend) {
    return backend instanceof ByFieldLayouts
        ? Optional.of(new TableLayouts(store))
        : Optional.empty();
  }

  @Override
  public Optional<ByFieldLayout> byFieldLayout(FeatureKey key) {
    return store.onBackend(
        AccessMode.READ, b -> ((ByFieldLayouts) b).byFieldLayout(key.tableName()));
  }

  @Override
  public long convertLayout(FeatureKey key, ByFieldLayout byField) {
    // A feature outside the graph (one another project defines) keeps the keys found in its rows.
    List<String> fields = store
        .graph()
        .find(key)
        .map(d -> d.spec().fields().stream().map(f -> f.key().structKey()).toList())
        .orElse(List.of());
    return store.onBackend(AccessMode.WRITE, b -> {
      ByFieldLayouts layouts = (ByFieldLayouts) b;
      String table = key.tableName();
      if (layouts.byFieldLayout(table).isEmpty()) {
        throw new FeatureNotFoundException(
            "cannot convert " + key + ": no table in " + store, List.of(key));
      }
      return layouts.convertByFieldLayout(table, byField, fields);
    });
  }
}
