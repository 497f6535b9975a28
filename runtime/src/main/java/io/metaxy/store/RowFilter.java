package io.metaxy.store;

import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.FilterExpr.Op;
import io.metaxy.filter.Filters;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;

/**
 * A row filter, applied after deduplication (store spec §3); several filters given together are AND-ed.
 * The factories build {@code io.metaxy.filter} expressions, so their semantics are the filter
 * language's (SQL: a null cell never matches a comparison) and stores can run them in the database; a
 * lambda is a JVM-only predicate.
 */
@FunctionalInterface
public interface RowFilter {
  /**
   * The rows that match.
   *
   * @throws IllegalArgumentException naming a column the filter needs and the batch lacks
   */
  BitSet evaluate(VectorSchemaRoot batch);

  /**
   * The filter as an {@code io.metaxy.filter} expression, when it was built from one ({@link #sql},
   * {@link #of}); stores may then evaluate it inside the database. {@code null} for JVM-only filters.
   */
  default @Nullable FilterExpr expression() {
    return null;
  }

  /**
   * A filter string such as {@code "age > 25 AND status != 'deleted'"} (store spec §8), parsed by
   * {@link io.metaxy.filter.Filters#parse}.
   *
   * @throws io.metaxy.filter.FilterSyntaxException when the string does not parse
   */
  static RowFilter sql(String filter) {
    return of(Filters.parse(filter));
  }

  /** A parsed filter expression. */
  static RowFilter of(FilterExpr expr) {
    return new RowFilter() {
      @Override
      public BitSet evaluate(VectorSchemaRoot batch) {
        return Filters.evaluate(expr, batch);
      }

      @Override
      public FilterExpr expression() {
        return expr;
      }

      @Override
      public String toString() {
        return expr.toString();
      }
    };
  }

  /** {@code column = value}. */
  static RowFilter eq(String column, Object value) {
    return compare(column, "=", value);
  }

  /** {@code column != value}. */
  static RowFilter ne(String column, Object value) {
    return compare(column, "!=", value);
  }

  /** {@code column > value}. */
  static RowFilter gt(String column, Object value) {
    return compare(column, ">", value);
  }

  /** {@code column >= value}. */
  static RowFilter ge(String column, Object value) {
    return compare(column, ">=", value);
  }

  /** {@code column < value}. */
  static RowFilter lt(String column, Object value) {
    return compare(column, "<", value);
  }

  /** {@code column <= value}. */
  static RowFilter le(String column, Object value) {
    return compare(column, "<=", value);
  }

  /** {@code column IS NULL}. */
  static RowFilter isNull(String column) {
    return of(Filters.isNull(column));
  }

  /** {@code column IS NOT NULL}. */
  static RowFilter isNotNull(String column) {
    return of(Filters.isNotNull(column));
  }

  /** {@code column IN (values)}. */
  static RowFilter in(String column, Collection<?> values) {
    return of(Filters.in(column, values));
  }

  /** Rows matching every filter. */
  static RowFilter and(List<RowFilter> filters) {
    List<FilterExpr> exprs = expressions(filters);
    if (exprs != null) {
      return of(Filters.and(exprs));
    }
    return batch -> {
      BitSet out = new BitSet();
      out.set(0, batch.getRowCount());
      for (RowFilter f : filters) {
        out.and(f.evaluate(batch));
      }
      return out;
    };
  }

  /** Rows matching at least one filter. */
  static RowFilter or(List<RowFilter> filters) {
    List<FilterExpr> exprs = expressions(filters);
    if (exprs != null && !exprs.isEmpty()) {
      return of(Filters.or(exprs));
    }
    return batch -> {
      BitSet out = new BitSet();
      for (RowFilter f : filters) {
        out.or(f.evaluate(batch));
      }
      return out;
    };
  }

  /** Rows not matching the filter. */
  static RowFilter not(RowFilter filter) {
    if (filter.expression() != null) {
      return of(Filters.not(filter.expression()));
    }
    return batch -> {
      BitSet out = new BitSet();
      out.set(0, batch.getRowCount());
      out.andNot(filter.evaluate(batch));
      return out;
    };
  }

  /**
   * A comparison ({@code =, !=, <, <=, >, >=}) of a column with a value: a string, number, boolean,
   * {@link java.time.Instant} or {@link java.time.LocalDate}.
   */
  static RowFilter compare(String column, String op, Object value) {
    Objects.requireNonNull(value, "value (use isNull for null)");
    Op o = switch (op) {
      case "=" -> Op.EQ;
      case "!=" -> Op.NE;
      case "<" -> Op.LT;
      case "<=" -> Op.LE;
      case ">" -> Op.GT;
      case ">=" -> Op.GE;
      default -> throw new IllegalArgumentException("unknown comparison operator \"" + op + "\"");
    };
    return of(Filters.compare(column, o, value));
  }

  /** The expressions of all filters, or null when one of them is a JVM-only predicate. */
  private static @Nullable List<FilterExpr> expressions(List<RowFilter> filters) {
    List<FilterExpr> out = new ArrayList<>();
    for (RowFilter f : filters) {
      if (f.expression() == null) {
        return null;
      }
      out.add(f.expression());
    }
    return out;
  }
}
