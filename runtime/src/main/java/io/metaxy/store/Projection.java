package io.metaxy.store;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The columns a read returns: {@code columns} (null for all) minus {@code omit}. Pushed into the
 * backend's scan so that unused columns (above all the by-field maps) are never converted or shipped.
 */
record Projection(@Nullable List<String> columns, Set<String> omit) {
  static final Projection ALL = new Projection(null, Set.of());

  boolean all() {
    return columns == null && omit.isEmpty();
  }

  boolean keeps(String name) {
    return (columns == null || columns.contains(name)) && !omit.contains(name);
  }
}
