package io.metaxy.store.spi;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link StoreBackend} implements besides the contract when its tables can hold by-field columns
 * in more than one layout, or tables of an older layout of the adapter's own: it tells a table's layout
 * and rewrites a table in place ({@code mx metadata convert-layout}). Stores whose backends lack it
 * report that there is nothing to convert.
 */
public interface ByFieldLayouts {
  /** The by-field layout of a table, or empty when there is no such table. */
  Optional<ByFieldLayout> byFieldLayout(String table);

  /**
   * Rewrites a table into the layout new tables get, with by-field columns as {@code target}, in one
   * transaction; a no-op for a table already laid out so.
   *
   * @param structKeys the field struct keys of the feature's current spec, in spec order: a struct made
   *     from maps gets these children first, then one per other key found in the rows, sorted
   * @return the number of rows of the table
   * @throws UnsupportedOperationException when the backend has no such layout
   */
  long convertByFieldLayout(String table, ByFieldLayout target, List<String> structKeys);
}
