package io.metaxy.filter;

import io.metaxy.filter.FilterExpr.And;
import io.metaxy.filter.FilterExpr.Column;
import io.metaxy.filter.FilterExpr.Compare;
import io.metaxy.filter.FilterExpr.In;
import io.metaxy.filter.FilterExpr.IsNull;
import io.metaxy.filter.FilterExpr.Literal;
import io.metaxy.filter.FilterExpr.Not;
import io.metaxy.filter.FilterExpr.Operand;
import io.metaxy.filter.FilterExpr.Or;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Comparator;
import org.jooq.Condition;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * Translates filters to jOOQ conditions. Columns become quoted names and every literal a typed bind
 * value, so no user text is ever spliced into SQL.
 */
final class JooqTranslator {
  private JooqTranslator() {}

  static Condition condition(FilterExpr e) {
    if (e instanceof And a) {
      return DSL.and(conditions(a.operands()));
    }
    if (e instanceof Or o) {
      return DSL.or(conditions(o.operands()));
    }
    if (e instanceof Not n) {
      return DSL.not(condition(n.operand()));
    }
    if (e instanceof IsNull n) {
      return field(n.operand(), VARCHAR).isNull();
    }
    if (e instanceof In in) {
      DataType<Object> type = commonType(in.values());
      List<Field<Object>> values = new ArrayList<>(in.values().size());
      for (Literal l : in.values()) {
        values.add(literal(l, type));
      }
      Field<Object> column = column(in.column(), type);
      return in.negated() ? column.notIn(values) : column.in(values);
    }
    if (e instanceof Compare c) {
      Field<Object> left = field(c.left(), hintFrom(c.right()));
      Field<Object> right = field(c.right(), hintFrom(c.left()));
      return left.compare(comparator(c.op()), right);
    }
    if (e instanceof Column c) {
      return DSL.condition(DSL.field(DSL.name(c.name()), SQLDataType.BOOLEAN));
    }
    if (e instanceof Literal l) {
      if (l.value() != null && !(l.value() instanceof Boolean)) {
        throw new IllegalArgumentException("filter condition " + l + " must be boolean");
      }
      return DSL.condition(DSL.val((Boolean) l.value(), SQLDataType.BOOLEAN));
    }
    throw new AssertionError(e);
  }

  private static List<Condition> conditions(List<FilterExpr> es) {
    List<Condition> out = new ArrayList<>(es.size());
    for (FilterExpr e : es) {
      out.add(condition(e));
    }
    return out;
  }

  private static Comparator comparator(FilterExpr.Op op) {
    switch (op) {
      case EQ:
        return Comparator.EQUALS;
      case NE:
        return Comparator.NOT_EQUALS;
      case LT:
        return Comparator.LESS;
      case LE:
        return Comparator.LESS_OR_EQUAL;
      case GT:
        return Comparator.GREATER;
      case GE:
        return Comparator.GREATER_OR_EQUAL;
      case IS:
        return Comparator.IS_NOT_DISTINCT_FROM;
      case IS_NOT:
        return Comparator.IS_DISTINCT_FROM;
      default:
        throw new AssertionError(op);
    }
  }

  @SuppressWarnings("unchecked")
  private static final DataType<Object> VARCHAR =
      (DataType<Object>) (DataType<?>) SQLDataType.VARCHAR;

  /**
   * The type to give a NULL literal compared with {@code other}: none next to a column (the database
   * infers the column's type for the parameter), the other literal's type, or VARCHAR when both sides
   * are NULL, since an untyped parameter with no context cannot be prepared.
   */
  private static @Nullable DataType<Object> hintFrom(Operand other) {
    if (other instanceof Column) {
      return null;
    }
    DataType<Object> t = typeOf(((Literal) other).value());
    return t != null ? t : VARCHAR;
  }

  @SuppressWarnings("unchecked")
  private static @Nullable DataType<Object> typeOf(@Nullable Object value) {
    DataType<?> t;
    if (value == null) {
      return null;
    } else if (value instanceof String) {
      t = SQLDataType.VARCHAR;
    } else if (value instanceof Long) {
      t = SQLDataType.BIGINT;
    } else if (value instanceof Double) {
      t = SQLDataType.DOUBLE;
    } else if (value instanceof Boolean) {
      t = SQLDataType.BOOLEAN;
    } else if (value instanceof LocalDate) {
      t = SQLDataType.LOCALDATE;
    } else {
      t = SQLDataType.TIMESTAMPWITHTIMEZONE;
    }
    return (DataType<Object>) t;
  }

  /** The type of the first non-null literal of an IN list, used for the column and the NULL items. */
  private static @Nullable DataType<Object> commonType(List<Literal> values) {
    for (Literal l : values) {
      if (l.value() != null) {
        return typeOf(l.value());
      }
    }
    return null;
  }

  /** A column typed like the literal it is compared with (for jOOQ's binding), or a bind value. */
  private static Field<Object> field(Operand o, @Nullable DataType<Object> hint) {
    return o instanceof Column c ? column(c, hint) : literal((Literal) o, hint);
  }

  @SuppressWarnings("unchecked")
  private static Field<Object> column(Column c, @Nullable DataType<Object> type) {
    return type == null
        ? DSL.field(DSL.name(c.name()))
        : (Field<Object>) DSL.field(DSL.name(c.name()), type);
  }

  /**
   * A typed bind value. {@code typeHint} types a NULL literal; without a hint the parameter is left
   * untyped for the database to infer from the column next to it.
   */
  @SuppressWarnings("unchecked")
  private static Field<Object> literal(Literal l, @Nullable DataType<Object> typeHint) {
    Object value = l.value();
    if (value == null) {
      DataType<Object> type =
          typeHint != null ? typeHint : (DataType<Object>) (DataType<?>) SQLDataType.OTHER;
      return DSL.val(null, type);
    }
    if (value instanceof Instant t) {
      // jOOQ binds OffsetDateTime portably; an Instant is the same point in UTC.
      DataType<?> type = SQLDataType.TIMESTAMPWITHTIMEZONE;
      return (Field<Object>) (Field<?>) DSL.val(OffsetDateTime.ofInstant(t, ZoneOffset.UTC), type);
    }
    return DSL.val(value, typeOf(value));
  }
}
