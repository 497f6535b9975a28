package io.metaxy.store;

import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.Filters;
import io.metaxy.spec.FeatureDep;
import io.metaxy.store.support.ArrowBatches;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Applies a dependency's SQL filter strings ({@code FeatureDep.sqlFilters}) to upstream rows. The
 * strings use post-rename column names (store spec §4.2 step 3), so they are evaluated on a renamed
 * copy of the columns; the surviving rows keep their original names for the engine.
 */
final class DepFilters {
  private DepFilters() {}

  /** The rows passing the filters; takes ownership of {@code rows} (returned or closed). */
  static VectorSchemaRoot apply(FeatureDep dep, VectorSchemaRoot rows, BufferAllocator allocator) {
    if (dep.sqlFilters() == null || dep.sqlFilters().isEmpty()) {
      return rows;
    }
    try (rows) {
      FilterExpr expr = Filters.parseAll(dep.sqlFilters());
      BitSet keep;
      List<FieldVector> renamed = new ArrayList<>();
      for (FieldVector v : rows.getFieldVectors()) {
        renamed.add(ArrowBatches.copyColumn(v, dep.renamed(v.getName()), allocator));
      }
      try (VectorSchemaRoot view = ArrowBatches.of(renamed, rows.getRowCount())) {
        keep = Filters.evaluate(expr, view);
      }
      return ArrowBatches.filter(rows, keep, allocator);
    }
  }
}
