package io.metaxy.store;

import io.metaxy.store.spi.ArrowBatches;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A predicate over the rows of a batch, evaluated in the JVM after deduplication (store spec §3).
 * Several filters given together are AND-ed. Comparisons follow SQL: a null cell never matches a
 * comparison (use {@link #isNull}). Values are compared after normalisation: integers and decimals by
 * numeric value, strings lexicographically, timestamp columns against {@link Instant}s.
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
  default io.metaxy.filter.FilterExpr expression() {
    return null;
  }

  /**
   * A filter string such as {@code "age > 25 AND status != 'deleted'"} (store spec §8), parsed by
   * {@link io.metaxy.filter.Filters#parse}.
   *
   * @throws io.metaxy.filter.FilterSyntaxException when the string does not parse
   */
  static RowFilter sql(String filter) {
    return of(io.metaxy.filter.Filters.parse(filter));
  }

  /** A parsed filter expression. */
  static RowFilter of(io.metaxy.filter.FilterExpr expr) {
    return new RowFilter() {
      @Override
      public BitSet evaluate(VectorSchemaRoot batch) {
        return io.metaxy.filter.Filters.evaluate(expr, batch);
      }

      @Override
      public io.metaxy.filter.FilterExpr expression() {
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
    return batch -> {
      FieldVector v = ArrowBatches.column(batch, column, "filtered batch");
      BitSet out = new BitSet();
      for (int r = 0; r < batch.getRowCount(); r++) {
        if (v.isNull(r)) {
          out.set(r);
        }
      }
      return out;
    };
  }

  /** {@code column IS NOT NULL}. */
  static RowFilter isNotNull(String column) {
    return not(isNull(column));
  }

  /** {@code column IN (values)}. */
  static RowFilter in(String column, Collection<?> values) {
    List<Object> vs = new ArrayList<>(values);
    return batch -> {
      FieldVector v = ArrowBatches.column(batch, column, "filtered batch");
      BitSet out = new BitSet();
      for (int r = 0; r < batch.getRowCount(); r++) {
        Object cell = ArrowBatches.value(v, r);
        if (cell != null && vs.stream().anyMatch(x -> compareValues(cell, x) == 0)) {
          out.set(r);
        }
      }
      return out;
    };
  }

  /** Rows matching every filter. */
  static RowFilter and(List<RowFilter> filters) {
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
    return batch -> {
      BitSet out = new BitSet();
      out.set(0, batch.getRowCount());
      out.andNot(filter.evaluate(batch));
      return out;
    };
  }

  /** A comparison ({@code =, !=, <, <=, >, >=}) of a column with a value. */
  static RowFilter compare(String column, String op, Object value) {
    Objects.requireNonNull(value, "value (use isNull for null)");
    if (!List.of("=", "!=", "<", "<=", ">", ">=").contains(op)) {
      throw new IllegalArgumentException("unknown comparison operator \"" + op + "\"");
    }
    return batch -> {
      FieldVector v = ArrowBatches.column(batch, column, "filtered batch");
      BitSet out = new BitSet();
      for (int r = 0; r < batch.getRowCount(); r++) {
        Object cell = ArrowBatches.value(v, r);
        if (cell == null) {
          continue;
        }
        int c = compareValues(cell, value);
        boolean match =
            switch (op) {
              case "=" -> c == 0;
              case "!=" -> c != 0;
              case "<" -> c < 0;
              case "<=" -> c <= 0;
              case ">" -> c > 0;
              default -> c >= 0;
            };
        if (match) {
          out.set(r);
        }
      }
      return out;
    };
  }

  /**
   * Orders a normalised cell against a filter value.
   *
   * @throws IllegalArgumentException when the two cannot be compared
   */
  private static int compareValues(Object cell, Object value) {
    if (cell instanceof Number a && value instanceof Number b) {
      return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
    }
    if (cell instanceof Instant a && value instanceof Instant b) {
      return a.compareTo(b);
    }
    if (cell instanceof String a && value instanceof String b) {
      return a.compareTo(b);
    }
    if (cell instanceof Boolean a && value instanceof Boolean b) {
      return Boolean.compare(a, b);
    }
    if (cell instanceof Comparable<?> && cell.getClass() == value.getClass()) {
      @SuppressWarnings("unchecked")
      Comparable<Object> a = (Comparable<Object>) cell;
      return a.compareTo(value);
    }
    throw new IllegalArgumentException(
        "cannot compare a " + cell.getClass().getSimpleName() + " cell with the value " + value + " ("
            + value.getClass().getSimpleName() + ")");
  }
}
