package io.metaxy.filter;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A parsed filter: a boolean expression over the columns of one table.
 *
 * <p>Expressions are immutable values with structural equality. {@link #toString()} renders filter
 * syntax that {@link Filters#parse(String)} turns back into an equal expression, so an expression can
 * be logged, shown by the CLI, or stored as text.
 *
 * <p>Null handling follows SQL three-valued logic: a comparison involving {@code NULL} is unknown, and
 * rows whose condition is unknown are not selected.
 */
public sealed interface FilterExpr
    permits FilterExpr.Operand,
        FilterExpr.Compare,
        FilterExpr.In,
        FilterExpr.IsNull,
        FilterExpr.Not,
        FilterExpr.And,
        FilterExpr.Or {

  /**
   * A value that may stand on either side of a comparison: a column or a literal. Used on its own as a
   * condition, a column must be boolean and a literal must be {@code TRUE}, {@code FALSE} or {@code NULL}.
   */
  sealed interface Operand extends FilterExpr permits Column, Literal {}

  /**
   * A reference to one column. A dotted path such as {@code metadata.owner} names a single column whose
   * name contains the dot; it is not a struct field access.
   *
   * @param name the column name, exactly as stored
   */
  record Column(String name) implements Operand {
    /** Validates the name. */
    public Column {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("column name must not be empty");
      }
    }

    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /**
   * A constant. The value is a {@link String}, {@link Long}, finite {@link Double}, {@link Boolean},
   * {@link LocalDate}, {@link Instant}, or {@code null} for SQL {@code NULL}. Dates and instants are
   * written {@code DATE 'yyyy-mm-dd'} and {@code TIMESTAMP '…Z'} in filter text.
   *
   * @param value the constant; use {@link #of(Object)} to widen smaller numeric types
   */
  record Literal(@Nullable Object value) implements Operand {
    /** The {@code NULL} literal. */
    public static final Literal NULL = new Literal(null);

    /** The {@code TRUE} literal. */
    public static final Literal TRUE = new Literal(Boolean.TRUE);

    /** The {@code FALSE} literal. */
    public static final Literal FALSE = new Literal(Boolean.FALSE);

    /** Validates the value's type. */
    public Literal {
      if (value != null
          && !(value instanceof String
              || value instanceof Long
              || value instanceof Boolean
              || value instanceof LocalDate
              || value instanceof Instant
              || value instanceof Double)) {
        throw new IllegalArgumentException(
            "unsupported literal type " + value.getClass().getName() + ": " + value);
      }
      if (value instanceof Double d && !Double.isFinite(d)) {
        // NaN and infinities have no filter syntax, so they could not round-trip through parse.
        throw new IllegalArgumentException("literal must be finite: " + d);
      }
    }

    /**
     * Wraps a Java value, widening {@code Integer}/{@code Short}/{@code Byte} to {@code Long},
     * {@code Float} to {@code Double}, and {@code OffsetDateTime}/{@code ZonedDateTime} to
     * {@code Instant}.
     */
    public static Literal of(@Nullable Object value) {
      if (value instanceof OffsetDateTime t) {
        return new Literal(t.toInstant());
      }
      if (value instanceof ZonedDateTime t) {
        return new Literal(t.toInstant());
      }
      if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
        return new Literal(((Number) value).longValue());
      }
      if (value instanceof Float f) {
        return new Literal(f.doubleValue());
      }
      return new Literal(value);
    }

    /** Whether this is the {@code NULL} literal. */
    public boolean isNull() {
      return value == null;
    }

    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /** Binary comparison operators. */
  enum Op {
    /** {@code =}; unknown when either side is null. */
    EQ("="),
    /** {@code !=} (also written {@code <>}); unknown when either side is null. */
    NE("!="),
    /** {@code <}. */
    LT("<"),
    /** {@code <=}. */
    LE("<="),
    /** {@code >}. */
    GT(">"),
    /** {@code >=}. */
    GE(">="),
    /** {@code IS}: null-safe equality, never unknown (SQL {@code IS NOT DISTINCT FROM}). */
    IS("IS"),
    /** {@code IS NOT}: null-safe inequality, never unknown (SQL {@code IS DISTINCT FROM}). */
    IS_NOT("IS NOT");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written in filter text. */
    public String symbol() {
      return symbol;
    }

    /** Whether the operator only tests (in)equality, as opposed to ordering. */
    boolean isEquality() {
      return this == EQ || this == NE || this == IS || this == IS_NOT;
    }
  }

  /**
   * {@code left op right}.
   *
   * <p>Comparing a column with {@code NULL} through {@code =}, {@code !=}, {@code IS} or {@code IS NOT}
   * is not representable here: the filter language defines those as null tests, so they are
   * {@link IsNull} (possibly under {@link Not}). This keeps one tree per meaning, which is what makes
   * {@code toString()} round-trip.
   *
   * @param op the operator
   * @param left the left operand
   * @param right the right operand
   */
  record Compare(Op op, Operand left, Operand right) implements FilterExpr {
    /** Validates the operands. */
    public Compare {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
      boolean nullSide = isNullLiteral(left) || isNullLiteral(right);
      boolean columnSide = left instanceof Column || right instanceof Column;
      if (nullSide && (op == Op.IS || op == Op.IS_NOT || (op.isEquality() && columnSide))) {
        throw new IllegalArgumentException(
            "use IsNull for a null test instead of " + left + " " + op.symbol() + " " + right);
      }
    }

    private static boolean isNullLiteral(Operand o) {
      return o instanceof Literal l && l.isNull();
    }

    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /**
   * {@code column [NOT] IN (v1, v2, …)} with SQL semantics: a {@code NULL} in the list makes a
   * non-matching row unknown rather than false.
   *
   * @param column the tested column
   * @param values one or more literals
   * @param negated true for {@code NOT IN}
   */
  record In(Column column, List<Literal> values, boolean negated) implements FilterExpr {
    /** Validates and copies the list. */
    public In {
      Objects.requireNonNull(column, "column");
      values = List.copyOf(values);
      if (values.isEmpty()) {
        throw new IllegalArgumentException("IN needs at least one value for column " + column);
      }
    }

    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /**
   * {@code operand IS NULL}; never unknown. {@code IS NOT NULL} is {@code Not(IsNull(…))}.
   *
   * @param operand the tested column or literal
   */
  record IsNull(Operand operand) implements FilterExpr {
    /** Validates the operand. */
    public IsNull {
      Objects.requireNonNull(operand, "operand");
    }

    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /**
   * Logical negation; {@code NOT unknown} is unknown.
   *
   * @param operand the negated condition
   */
  record Not(FilterExpr operand) implements FilterExpr {
    /** Validates the operand. */
    public Not {
      requireCondition(operand);
    }

    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /**
   * Conjunction of two or more conditions; nested conjunctions are flattened.
   *
   * @param operands the conditions, in order
   */
  record And(List<FilterExpr> operands) implements FilterExpr {
    /** Flattens and validates the operands. */
    public And {
      operands = flatten(operands, And.class);
    }

    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /**
   * Disjunction of two or more conditions; nested disjunctions are flattened.
   *
   * @param operands the conditions, in order
   */
  record Or(List<FilterExpr> operands) implements FilterExpr {
    /** Flattens and validates the operands. */
    public Or {
      operands = flatten(operands, Or.class);
    }

    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /** A literal can only be a condition if it is boolean or NULL; {@code 5 AND x} is meaningless. */
  private static void requireCondition(FilterExpr e) {
    Objects.requireNonNull(e, "operand");
    if (e instanceof Literal l && !(l.value() == null || l.value() instanceof Boolean)) {
      throw new IllegalArgumentException("literal " + l + " cannot be used as a condition");
    }
  }

  private static List<FilterExpr> flatten(List<FilterExpr> operands, Class<?> kind) {
    List<FilterExpr> out = new ArrayList<>(operands.size());
    for (FilterExpr e : operands) {
      requireCondition(e);
      if (e instanceof And a && kind == And.class) {
        out.addAll(a.operands());
      } else if (e instanceof Or o && kind == Or.class) {
        out.addAll(o.operands());
      } else {
        out.add(e);
      }
    }
    if (out.size() < 2) {
      throw new IllegalArgumentException(
          kind.getSimpleName() + " needs at least two operands, got " + out.size());
    }
    return List.copyOf(out);
  }
}
