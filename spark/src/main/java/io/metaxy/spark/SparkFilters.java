package io.metaxy.spark;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.Filters;
import io.metaxy.store.RowFilter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.jspecify.annotations.Nullable;

/**
 * Metaxy's filter language (store spec §8, parsed by {@link Filters}) as Spark conditions, with the
 * same SQL three-valued logic: a row is kept only where the condition is true. Literals become Spark
 * literals, never SQL text.
 */
public final class SparkFilters {
  private SparkFilters() {}

  /** Rows of {@code rows} matching every filter string (column names as in {@code rows}). */
  public static Dataset<Row> apply(Dataset<Row> rows, List<String> filters) {
    if (filters.isEmpty()) {
      return rows;
    }
    return rows.where(
        condition(Filters.parseAll(filters), name -> rows.col(SparkVersioning.quoted(name))));
  }

  /**
   * Rows of {@code rows} matching every filter (store spec §8; column names as in {@code rows}).
   *
   * @param what whose rows these are, for messages
   * @throws IllegalArgumentException for a JVM-only filter (a lambda, which has no {@linkplain
   *     RowFilter#expression expression} Spark could run) or a filter naming a column the rows lack
   */
  public static Dataset<Row> apply(Dataset<Row> rows, List<RowFilter> filters, String what) {
    if (filters.isEmpty()) {
      return rows;
    }
    return rows.where(condition(rows, filters, what));
  }

  /**
   * The filters, AND-ed, as one condition over {@code rows}' columns; see {@link #apply(Dataset, List,
   * String)}.
   */
  static Column condition(Dataset<Row> rows, List<RowFilter> filters, String what) {
    List<FilterExpr> exprs = new ArrayList<>();
    Set<String> have = new LinkedHashSet<>(List.of(rows.columns()));
    for (RowFilter f : filters) {
      FilterExpr e = f.expression();
      if (e == null) {
        throw new IllegalArgumentException("filter " + f + " of " + what
            + " is a JVM predicate, which Spark cannot run; build it from the filter language"
            + " (RowFilter.sql, RowFilter.of, RowFilter.eq, ...)");
      }
      for (String c : Filters.columns(e)) {
        if (!have.contains(c)) {
          throw new IllegalArgumentException("filter '" + e + "' of " + what + " names column '" + c
              + "', which its rows lack (columns: " + have + ")");
        }
      }
      exprs.add(e);
    }
    return condition(Filters.and(exprs), name -> rows.col(SparkVersioning.quoted(name)));
  }

  /**
   * {@code e} as a Spark condition.
   *
   * @param column the Spark column a filter column name stands for
   */
  public static Column condition(FilterExpr e, Function<String, Column> column) {
    if (e instanceof FilterExpr.And a) {
      return a.operands().stream()
          .map(o -> condition(o, column))
          .reduce(Column::and)
          .orElseThrow();
    }
    if (e instanceof FilterExpr.Or o) {
      return o.operands().stream()
          .map(x -> condition(x, column))
          .reduce(Column::or)
          .orElseThrow();
    }
    if (e instanceof FilterExpr.Not n) {
      return not(condition(n.operand(), column));
    }
    if (e instanceof FilterExpr.IsNull n) {
      return operand(n.operand(), column).isNull();
    }
    if (e instanceof FilterExpr.In in) {
      Object[] values = in.values().stream().map(l -> literal(l)).toArray(Object[]::new);
      Column c = column.apply(in.column().name()).isin(values);
      return in.negated() ? not(c) : c;
    }
    if (e instanceof FilterExpr.Compare c) {
      Column l = operand(c.left(), column);
      Column r = operand(c.right(), column);
      return switch (c.op()) {
        case EQ -> l.equalTo(r);
        case NE -> l.notEqual(r);
        case LT -> l.lt(r);
        case LE -> l.leq(r);
        case GT -> l.gt(r);
        case GE -> l.geq(r);
        case IS -> l.eqNullSafe(r);
        case IS_NOT -> not(l.eqNullSafe(r));
      };
    }
    if (e instanceof FilterExpr.Column c) {
      return column.apply(c.name()).cast(DataTypes.BooleanType);
    }
    FilterExpr.Literal l = (FilterExpr.Literal) e;
    if (l.value() != null && !(l.value() instanceof Boolean)) {
      throw new IllegalArgumentException("filter condition " + l + " must be boolean");
    }
    return lit(l.value()).cast(DataTypes.BooleanType);
  }

  /**
   * {@code e} as Spark SQL text, for statements that take a condition only as SQL ({@code DELETE FROM}):
   * column names in backquotes, strings with backslash escapes, dates and instants as typed literals.
   * The three-valued logic is SQL's, as in {@link #condition(FilterExpr, Function)}.
   */
  public static String sql(FilterExpr e) {
    if (e instanceof FilterExpr.And a) {
      return a.operands().stream()
          .map(SparkFilters::sql)
          .collect(Collectors.joining(" AND ", "(", ")"));
    }
    if (e instanceof FilterExpr.Or o) {
      return o.operands().stream()
          .map(SparkFilters::sql)
          .collect(Collectors.joining(" OR ", "(", ")"));
    }
    if (e instanceof FilterExpr.Not n) {
      return "(NOT " + sql(n.operand()) + ")";
    }
    if (e instanceof FilterExpr.IsNull n) {
      return "(" + sqlOperand(n.operand()) + " IS NULL)";
    }
    if (e instanceof FilterExpr.In in) {
      return "(" + identifier(in.column().name()) + (in.negated() ? " NOT IN " : " IN ")
          + in.values().stream()
              .map(SparkFilters::sqlOperand)
              .collect(Collectors.joining(", ", "(", ")"))
          + ")";
    }
    if (e instanceof FilterExpr.Compare c) {
      String l = sqlOperand(c.left());
      String r = sqlOperand(c.right());
      return switch (c.op()) {
        case EQ -> "(" + l + " = " + r + ")";
        case NE -> "(" + l + " != " + r + ")";
        case LT -> "(" + l + " < " + r + ")";
        case LE -> "(" + l + " <= " + r + ")";
        case GT -> "(" + l + " > " + r + ")";
        case GE -> "(" + l + " >= " + r + ")";
        case IS -> "(" + l + " <=> " + r + ")";
        case IS_NOT -> "(NOT (" + l + " <=> " + r + "))";
      };
    }
    if (e instanceof FilterExpr.Column c) {
      return "CAST(" + identifier(c.name()) + " AS BOOLEAN)";
    }
    FilterExpr.Literal l = (FilterExpr.Literal) e;
    if (l.value() != null && !(l.value() instanceof Boolean)) {
      throw new IllegalArgumentException("filter condition " + l + " must be boolean");
    }
    return "CAST(" + sqlOperand(l) + " AS BOOLEAN)";
  }

  /** A Spark SQL identifier: backquoted, backquotes doubled. */
  static String identifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String sqlOperand(FilterExpr.Operand o) {
    if (o instanceof FilterExpr.Column c) {
      return identifier(c.name());
    }
    Object v = ((FilterExpr.Literal) o).value();
    if (v == null) {
      return "NULL";
    }
    if (v instanceof String str) {
      return "'" + str.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    if (v instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    }
    if (v instanceof Long n) {
      // -9223372036854775808L would not parse: the sign is an operator on a literal out of range.
      return n == Long.MIN_VALUE ? "(-9223372036854775807L - 1L)" : n + "L";
    }
    if (v instanceof Double d) {
      return d + "D";
    }
    if (v instanceof LocalDate d) {
      return "DATE '" + d + "'";
    }
    if (v instanceof Instant i) {
      // An instant with its zone: the session time zone plays no part.
      return "TIMESTAMP '" + i + "'";
    }
    throw new IllegalArgumentException("unsupported literal " + v);
  }

  private static Column operand(FilterExpr.Operand o, Function<String, Column> column) {
    return o instanceof FilterExpr.Column c
        ? column.apply(c.name())
        : lit(literal((FilterExpr.Literal) o));
  }

  /** The literal's value as Spark takes it ({@code LocalDate} and {@code Instant} included). */
  private static @Nullable Object literal(FilterExpr.Literal l) {
    return l.value();
  }
}
