package io.metaxy.filter;

import io.metaxy.filter.FilterExpr.And;
import io.metaxy.filter.FilterExpr.Column;
import io.metaxy.filter.FilterExpr.Compare;
import io.metaxy.filter.FilterExpr.In;
import io.metaxy.filter.FilterExpr.IsNull;
import io.metaxy.filter.FilterExpr.Literal;
import io.metaxy.filter.FilterExpr.Not;
import io.metaxy.filter.FilterExpr.Op;
import io.metaxy.filter.FilterExpr.Or;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jooq.Condition;
import org.jspecify.annotations.Nullable;

/**
 * Entry point for filters: parse filter strings, build expressions in code, translate them to jOOQ
 * conditions for SQL stores, and evaluate them over Arrow batches in the JVM.
 *
 * <p>Both back ends implement the same SQL semantics (three-valued logic, {@code IN} with NULLs,
 * byte-wise UTF-8 string order), so a filter selects the same rows in a database and in the JVM.
 */
public final class Filters {
  /**
   * How deeply {@link #parse} lets a filter nest: parentheses and {@code NOT}s open at any point of the
   * text, counted together. Real filters nest a few levels. The bound keeps every recursive pass over a
   * parsed tree well within a default 1 MB thread stack: at this depth, parsing, printing, columns,
   * {@code equals}/{@code hashCode}, JVM evaluation, and the jOOQ translation executed by DuckDB each fit
   * in 384 KB, even interpreted. (At 200 levels DuckDB needed 512 KB and crashed the JVM with a native
   * stack overflow at 384 KB.)
   */
  public static final int MAX_NESTING_DEPTH = 100;

  private Filters() {}

  /**
   * Parses a filter string (grammar in the {@linkplain io.metaxy.filter package documentation}).
   *
   * <p>A filter may nest at most {@value #MAX_NESTING_DEPTH} levels deep, counting each open
   * parenthesis and each {@code NOT} as one level: {@code NOT (a OR NOT b)} is 3 levels deep at
   * {@code b}. Deeper input is rejected with the position of the first parenthesis or {@code NOT} past
   * the limit, rather than exhausting the stack.
   *
   * @throws FilterSyntaxException if the string is empty, malformed, nests too deeply or uses
   *     unsupported SQL; the message gives the position and what was expected
   */
  public static FilterExpr parse(String filter) {
    Objects.requireNonNull(filter, "filter");
    return FilterParser.parse(filter);
  }

  /** Parses several filter strings and combines them with AND, as a list of filters means. */
  public static FilterExpr parseAll(List<String> filters) {
    List<FilterExpr> parsed = new ArrayList<>(filters.size());
    for (String f : filters) {
      parsed.add(parse(f));
    }
    return and(parsed);
  }

  /** The names of all columns the expression references, sorted. */
  public static SortedSet<String> columns(FilterExpr e) {
    SortedSet<String> out = new TreeSet<>();
    collectColumns(e, out);
    return Collections.unmodifiableSortedSet(out);
  }

  private static void collectColumns(FilterExpr e, SortedSet<String> out) {
    if (e instanceof Column c) {
      out.add(c.name());
    } else if (e instanceof Compare c) {
      collectColumns(c.left(), out);
      collectColumns(c.right(), out);
    } else if (e instanceof In in) {
      out.add(in.column().name());
    } else if (e instanceof IsNull n) {
      collectColumns(n.operand(), out);
    } else if (e instanceof Not n) {
      collectColumns(n.operand(), out);
    } else if (e instanceof And a) {
      a.operands().forEach(x -> collectColumns(x, out));
    } else if (e instanceof Or o) {
      o.operands().forEach(x -> collectColumns(x, out));
    }
  }

  /**
   * Translates the expression to a jOOQ condition. Columns are quoted names ({@code DSL.name}) and
   * literals typed bind values, so user text never becomes SQL. {@code IS}/{@code IS NOT} become
   * {@code IS [NOT] DISTINCT FROM}.
   */
  public static Condition toCondition(FilterExpr e) {
    return JooqTranslator.condition(e);
  }

  /**
   * Evaluates the expression over a batch and returns the rows where it is true; rows where it is false
   * or unknown (SQL NULL) are not set.
   *
   * <p>Supported column types: Bool, signed and unsigned integers (unsigned 64-bit values above
   * {@code Long.MAX_VALUE} are not), Float2/4/8, Utf8 (also large and view), Timestamp of any unit with
   * or without a zone (zone-less values are taken as UTC), Date, and Null. Integers and floats compare
   * as numbers (as doubles when mixed); dates and timestamps compare with each other and with
   * {@code DATE}/{@code TIMESTAMP} literals, not with strings, because SQL databases reject a
   * timestamp compared with a VARCHAR parameter and both engines must agree. Strings compare by UTF-8
   * bytes.
   *
   * @throws FilterEvaluationException naming the column when the batch lacks a referenced column, a
   *     comparison mixes incompatible types, or a non-boolean value is used as a condition
   */
  public static BitSet evaluate(FilterExpr e, VectorSchemaRoot batch) {
    return new ArrowEvaluator(batch).evaluate(e);
  }

  /**
   * Combines conditions with AND: none gives {@code TRUE} (everything matches), one gives that
   * condition, more give a flattened {@link And}.
   */
  public static FilterExpr and(List<? extends FilterExpr> conditions) {
    if (conditions.isEmpty()) {
      return Literal.TRUE;
    }
    if (conditions.size() == 1) {
      return Objects.requireNonNull(conditions.get(0), "condition");
    }
    return new And(List.copyOf(conditions));
  }

  /** {@code and(List.of(conditions))}. */
  public static FilterExpr and(FilterExpr... conditions) {
    return and(List.of(conditions));
  }

  /**
   * Combines conditions with OR: none gives {@code FALSE}, one gives that condition, more give a
   * flattened {@link Or}.
   */
  public static FilterExpr or(List<? extends FilterExpr> conditions) {
    if (conditions.isEmpty()) {
      return Literal.FALSE;
    }
    if (conditions.size() == 1) {
      return Objects.requireNonNull(conditions.get(0), "condition");
    }
    return new Or(List.copyOf(conditions));
  }

  /** {@code NOT condition}. */
  public static FilterExpr not(FilterExpr condition) {
    return new Not(condition);
  }

  /** A column reference. */
  public static Column column(String name) {
    return new Column(name);
  }

  /**
   * {@code column op value}. A null value with {@code EQ} or {@code IS} gives {@code column IS NULL},
   * with {@code NE} or {@code IS_NOT} gives {@code column IS NOT NULL}, as the filter language defines.
   *
   * @param value a value accepted by {@link Literal#of(Object)}
   */
  public static FilterExpr compare(String column, Op op, @Nullable Object value) {
    Column c = new Column(column);
    if (value == null && op.isEquality()) {
      IsNull test = new IsNull(c);
      return op == Op.EQ || op == Op.IS ? test : new Not(test);
    }
    return new Compare(op, c, Literal.of(value));
  }

  /** {@code column = value}, or {@code column IS NULL} for a null value. */
  public static FilterExpr eq(String column, @Nullable Object value) {
    return compare(column, Op.EQ, value);
  }

  /** {@code column IN (values)}; a null element is SQL NULL. */
  public static FilterExpr in(String column, Collection<?> values) {
    return new In(new Column(column), literals(values), false);
  }

  /** {@code column NOT IN (values)}; a null element is SQL NULL, which makes the test never true. */
  public static FilterExpr notIn(String column, Collection<?> values) {
    return new In(new Column(column), literals(values), true);
  }

  /** {@code column IS NULL}. */
  public static FilterExpr isNull(String column) {
    return new IsNull(new Column(column));
  }

  /** {@code column IS NOT NULL}. */
  public static FilterExpr isNotNull(String column) {
    return new Not(new IsNull(new Column(column)));
  }

  private static List<Literal> literals(Collection<?> values) {
    List<Literal> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(Literal.of(v));
    }
    return out;
  }
}
