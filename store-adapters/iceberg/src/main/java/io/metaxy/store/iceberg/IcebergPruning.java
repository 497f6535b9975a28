package io.metaxy.store.iceberg;

import io.metaxy.filter.FilterExpr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types.NestedField;
import org.jspecify.annotations.Nullable;

/**
 * What Iceberg's own metadata answers without reading data files: which files a scan's filter cannot
 * match (file pruning in scan planning) and an integer column's range (from the files' column bounds).
 */
final class IcebergPruning {
  private IcebergPruning() {}

  /**
   * The part of a scan's row filter that may skip whole files in planning, or null. A scan's filter
   * applies after deduplication, so with deduplication only comparisons of an id column qualify: every
   * version of a sample has the same ids, so a file skipped for its ids holds no row the filter keeps
   * and no newer version of one. Without deduplication any top-level primitive column qualifies.
   * Only top-level conjuncts of the forms {@code col op literal} ({@code = < <= > >=}, either side) and
   * {@code col IN (...)} are used, with literals of the column's own kind (integers for int/long,
   * strings for string); everything else is left to the scan, which applies the whole filter anyway.
   */
  static @Nullable Expression prunable(
      @Nullable FilterExpr filter, @Nullable List<String> idColumns, Schema schema) {
    if (filter == null) {
      return null;
    }
    List<FilterExpr> conjuncts =
        filter instanceof FilterExpr.And and ? and.operands() : List.of(filter);
    Expression out = null;
    for (FilterExpr c : conjuncts) {
      Expression e = conjunct(c, idColumns, schema);
      if (e != null) {
        out = out == null ? e : Expressions.and(out, e);
      }
    }
    return out;
  }

  private static @Nullable Expression conjunct(
      FilterExpr c, @Nullable List<String> idColumns, Schema schema) {
    if (c instanceof FilterExpr.Compare cmp) {
      FilterExpr.Op op = cmp.op();
      if (cmp.left() instanceof FilterExpr.Column col
          && cmp.right() instanceof FilterExpr.Literal lit) {
        return compare(op, col.name(), lit.value(), idColumns, schema);
      }
      if (cmp.right() instanceof FilterExpr.Column col
          && cmp.left() instanceof FilterExpr.Literal lit) {
        return compare(flip(op), col.name(), lit.value(), idColumns, schema);
      }
      return null;
    }
    if (c instanceof FilterExpr.In in && !in.negated() && !in.values().isEmpty()) {
      String name = in.column().name();
      List<Object> values = new ArrayList<>();
      for (FilterExpr.Literal l : in.values()) {
        Object v = literal(name, l.value(), idColumns, schema);
        if (v == null) {
          return null;
        }
        values.add(v);
      }
      return Expressions.in(name, values.toArray());
    }
    return null;
  }

  private static @Nullable Expression compare(
      FilterExpr.@Nullable Op op,
      String column,
      @Nullable Object value,
      @Nullable List<String> idColumns,
      Schema schema) {
    Object v = literal(column, value, idColumns, schema);
    if (v == null || op == null) {
      return null;
    }
    return switch (op) {
      case EQ -> Expressions.equal(column, v);
      case LT -> Expressions.lessThan(column, v);
      case LE -> Expressions.lessThanOrEqual(column, v);
      case GT -> Expressions.greaterThan(column, v);
      case GE -> Expressions.greaterThanOrEqual(column, v);
      default -> null;
    };
  }

  private static FilterExpr.@Nullable Op flip(FilterExpr.Op op) {
    return switch (op) {
      case EQ -> FilterExpr.Op.EQ;
      case LT -> FilterExpr.Op.GT;
      case LE -> FilterExpr.Op.GE;
      case GT -> FilterExpr.Op.LT;
      case GE -> FilterExpr.Op.LE;
      default -> null;
    };
  }

  /** The literal as Iceberg binds it to the column, or null when the pair does not qualify. */
  private static @Nullable Object literal(
      String column, @Nullable Object value, @Nullable List<String> idColumns, Schema schema) {
    if (value == null || (idColumns != null && !idColumns.contains(column))) {
      return null;
    }
    NestedField f = schema.findField(column);
    if (f == null || schema.columns().stream().noneMatch(c -> c.fieldId() == f.fieldId())) {
      return null; // not a top-level column (a dotted name is one column's name, never a path)
    }
    return switch (f.type().typeId()) {
      case INTEGER, LONG ->
        value instanceof Long || value instanceof Integer ? ((Number) value).longValue() : null;
      case STRING -> value instanceof String ? value : null;
      default -> null;
    };
  }

  /**
   * {@code {min, max, rows}} of an integer column over the current snapshot's data files, from their
   * column bounds (exact for integers) and record counts; null when the column is not an integer
   * column, holds nulls, or a file has no bounds for it.
   */
  static long @Nullable [] integerRange(Table t, String column) {
    NestedField f = t.schema().findField(column);
    if (f == null
        || (f.type().typeId() != Type.TypeID.INTEGER && f.type().typeId() != Type.TypeID.LONG)) {
      return null;
    }
    if (t.currentSnapshot() == null) {
      return new long[] {0, 0, 0};
    }
    int id = f.fieldId();
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long rows = 0;
    try (CloseableIterable<FileScanTask> tasks =
        t.newScan().includeColumnStats().planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        if (file.recordCount() == 0) {
          continue;
        }
        Long nulls = get(file.nullValueCounts(), id);
        ByteBuffer lower = get(file.lowerBounds(), id);
        ByteBuffer upper = get(file.upperBounds(), id);
        if (nulls == null || nulls > 0 || lower == null || upper == null) {
          return null;
        }
        min = Math.min(min, ((Number) Conversions.fromByteBuffer(f.type(), lower)).longValue());
        max = Math.max(max, ((Number) Conversions.fromByteBuffer(f.type(), upper)).longValue());
        rows += file.recordCount();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows == 0 ? new long[] {0, 0, 0} : new long[] {min, max, rows};
  }

  private static <V> @Nullable V get(@Nullable Map<Integer, V> m, int id) {
    return m == null ? null : m.get(id);
  }
}
