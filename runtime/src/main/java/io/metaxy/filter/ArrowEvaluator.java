package io.metaxy.filter;

import io.metaxy.filter.FilterExpr.And;
import io.metaxy.filter.FilterExpr.Column;
import io.metaxy.filter.FilterExpr.Compare;
import io.metaxy.filter.FilterExpr.In;
import io.metaxy.filter.FilterExpr.IsNull;
import io.metaxy.filter.FilterExpr.Literal;
import io.metaxy.filter.FilterExpr.Not;
import io.metaxy.filter.FilterExpr.Op;
import io.metaxy.filter.FilterExpr.Operand;
import io.metaxy.filter.FilterExpr.Or;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;
import java.util.stream.Collectors;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ViewVarCharVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates a filter over an Arrow batch, one column-wide pass per node, with SQL three-valued logic.
 *
 * <p>Every node yields two disjoint bit sets, rows where it is true and rows where it is false; rows in
 * neither are unknown. AND, OR and NOT then reduce to bit-set algebra: {@code NOT} swaps the sets, and
 * unknown stays unknown.
 */
final class ArrowEvaluator {
  /** Truth of a condition per row; a row in neither set is unknown. */
  private record Truth(BitSet isTrue, BitSet isFalse) {}

  private final VectorSchemaRoot root;
  private final int rows;

  ArrowEvaluator(VectorSchemaRoot root) {
    this.root = root;
    this.rows = root.getRowCount();
  }

  BitSet evaluate(FilterExpr e) {
    return truth(e).isTrue();
  }

  private Truth truth(FilterExpr e) {
    if (e instanceof And a) {
      Truth acc = truth(a.operands().get(0));
      for (FilterExpr x : a.operands().subList(1, a.operands().size())) {
        Truth t = truth(x);
        acc.isTrue().and(t.isTrue());
        acc.isFalse().or(t.isFalse());
      }
      return acc;
    }
    if (e instanceof Or o) {
      Truth acc = truth(o.operands().get(0));
      for (FilterExpr x : o.operands().subList(1, o.operands().size())) {
        Truth t = truth(x);
        acc.isTrue().or(t.isTrue());
        acc.isFalse().and(t.isFalse());
      }
      return acc;
    }
    if (e instanceof Not n) {
      Truth t = truth(n.operand());
      return new Truth(t.isFalse(), t.isTrue());
    }
    if (e instanceof IsNull n) {
      Values v = values(n.operand(), e);
      BitSet isNull = new BitSet(rows);
      for (int i = 0; i < rows; i++) {
        if (v.isNull(i)) {
          isNull.set(i);
        }
      }
      BitSet notNull = (BitSet) isNull.clone();
      notNull.flip(0, rows);
      return new Truth(isNull, notNull);
    }
    if (e instanceof Compare c) {
      return compare(c);
    }
    if (e instanceof In in) {
      return in(in);
    }
    if (e instanceof Column || e instanceof Literal) {
      return bareOperand((Operand) e);
    }
    throw new AssertionError(e);
  }

  /** A boolean column or literal used directly as a condition. */
  private Truth bareOperand(Operand o) {
    Values v = values(o, o);
    if (v.kind() != Kind.BOOLEAN && v.kind() != Kind.NULL) {
      throw new FilterEvaluationException("filter condition "
          + o
          + " must be boolean, but "
          + v.label()
          + " is "
          + v.kind().description);
    }
    Truth t = new Truth(new BitSet(rows), new BitSet(rows));
    for (int i = 0; i < rows; i++) {
      if (!v.isNull(i)) {
        (v.booleanAt(i) ? t.isTrue() : t.isFalse()).set(i);
      }
    }
    return t;
  }

  private Truth compare(Compare c) {
    Values left = values(c.left(), c);
    Values right = values(c.right(), c);
    Comparator cmp = comparator(left, right, c);
    Truth t = new Truth(new BitSet(rows), new BitSet(rows));
    boolean nullSafe = c.op() == Op.IS || c.op() == Op.IS_NOT;
    for (int i = 0; i < rows; i++) {
      boolean ln = left.isNull(i);
      boolean rn = right.isNull(i);
      boolean result;
      if (ln || rn) {
        if (!nullSafe) {
          continue;
        }
        boolean same = ln && rn;
        result = c.op() == Op.IS ? same : !same;
      } else {
        result = test(c.op(), cmp.compare(i, i));
      }
      (result ? t.isTrue() : t.isFalse()).set(i);
    }
    return t;
  }

  private static boolean test(Op op, int c) {
    switch (op) {
      case EQ:
      case IS:
        return c == 0;
      case NE:
      case IS_NOT:
        return c != 0;
      case LT:
        return c < 0;
      case LE:
        return c <= 0;
      case GT:
        return c > 0;
      case GE:
        return c >= 0;
      default:
        throw new AssertionError(op);
    }
  }

  private Truth in(In in) {
    Values column = values(in.column(), in);
    List<Literal> items = in.values();
    Truth hashed = hashedIn(in, column, items);
    if (hashed != null) {
      return hashed;
    }
    Values[] values = new Values[items.size()];
    Comparator[] comparators = new Comparator[items.size()];
    boolean listHasNull = false;
    for (int k = 0; k < values.length; k++) {
      values[k] = values(items.get(k), in);
      comparators[k] = comparator(column, values[k], in);
      listHasNull |= items.get(k).isNull();
    }
    return inTruth(in, column, listHasNull, i -> {
      for (int k = 0; k < values.length; k++) {
        if (!values[k].isNull(0) && comparators[k].compare(i, 0) == 0) {
          return true;
        }
      }
      return false;
    });
  }

  /**
   * The three-valued result of {@code column [NOT] IN (list)} given which rows match an item: a null
   * cell is unknown, and so is a row matching nothing when the list holds a null.
   */
  private Truth inTruth(In in, Values column, boolean listHasNull, IntPredicate matches) {
    Truth t = new Truth(new BitSet(rows), new BitSet(rows));
    BitSet found = in.negated() ? t.isFalse() : t.isTrue();
    BitSet notFound = in.negated() ? t.isTrue() : t.isFalse();
    for (int i = 0; i < rows; i++) {
      if (column.isNull(i)) {
        continue;
      }
      if (matches.test(i)) {
        found.set(i);
      } else if (!listHasNull) {
        // x IN (…, NULL) without a match is unknown, so NOT IN with a NULL never selects a row.
        notFound.set(i);
      }
    }
    return t;
  }

  /**
   * {@link #in} through a hash set, for long lists of one kind matching the column's (integers or
   * strings, no null): an incremental resolve restricts reads to thousands of touched ids, where the
   * row-by-literal loop would cost rows × values comparisons. Null when the list does not qualify.
   */
  private @Nullable Truth hashedIn(In in, Values column, List<Literal> items) {
    if (items.size() < 16 || !(column.kind() == Kind.INTEGER || column.kind() == Kind.STRING)) {
      return null;
    }
    Set<Object> set = new HashSet<>();
    for (Literal l : items) {
      Object v = l.value();
      if (column.kind() == Kind.INTEGER && v instanceof Long n) {
        set.add(n);
      } else if (column.kind() == Kind.STRING && v instanceof String str) {
        set.add(str);
      } else {
        return null;
      }
    }
    return inTruth(
        in,
        column,
        false,
        i -> set.contains(
            column.kind() == Kind.INTEGER
                ? (Object) column.longAt(i)
                : new String(column.bytesAt(i), StandardCharsets.UTF_8)));
  }

  // ---------------------------------------------------------------------------------------------
  // Typed access to operands

  enum Kind {
    NULL("null"),
    BOOLEAN("boolean"),
    INTEGER("integer"),
    FLOAT("floating point"),
    STRING("string"),
    TEMPORAL("date/timestamp");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  /** Compares row {@code i} of the left operand with row {@code j} of the right one. */
  @FunctionalInterface
  private interface Comparator {
    int compare(int i, int j);
  }

  /**
   * Row access to a column or a literal (a literal answers the same value for every row). Only the
   * accessors matching {@link #kind()} are meaningful.
   */
  private abstract static class Values {
    abstract Kind kind();

    /** For messages: {@code column "age"} or {@code literal 'x'}. */
    abstract String label();

    abstract boolean isNull(int row);

    boolean booleanAt(int row) {
      throw new UnsupportedOperationException();
    }

    long longAt(int row) {
      throw new UnsupportedOperationException();
    }

    double doubleAt(int row) {
      throw new UnsupportedOperationException();
    }

    /** UTF-8 bytes; for {@code STRING}. */
    byte[] bytesAt(int row) {
      throw new UnsupportedOperationException();
    }

    /** Seconds since the epoch; for {@code TEMPORAL}. */
    long secondsAt(int row) {
      throw new UnsupportedOperationException();
    }

    /** Nanosecond of the second; for {@code TEMPORAL}. */
    int nanosAt(int row) {
      throw new UnsupportedOperationException();
    }

    /** Compares a row's string with another value's without copying where possible. */
    int compareUtf8(int row, Values other, int otherRow) {
      return compareBytes(bytesAt(row), other.bytesAt(otherRow));
    }
  }

  private Values values(Operand o, FilterExpr context) {
    if (o instanceof Literal l) {
      return literal(l);
    }
    String name = ((Column) o).name();
    FieldVector v = root.getVector(name);
    if (v == null) {
      String available = root.getSchema().getFields().stream()
          .map(f -> '"' + f.getName() + '"')
          .collect(Collectors.joining(", "));
      throw new FilterEvaluationException("filter "
          + context
          + " references column \""
          + name
          + "\", which is not in the batch (columns: "
          + available
          + ")");
    }
    return column(v, name, context);
  }

  private static Values literal(Literal l) {
    Object value = l.value();
    String label = "literal " + l;
    if (value == null) {
      return new Constant(Kind.NULL, label, null);
    }
    if (value instanceof Boolean) {
      return new Constant(Kind.BOOLEAN, label, value);
    }
    if (value instanceof Long) {
      return new Constant(Kind.INTEGER, label, value);
    }
    if (value instanceof Double) {
      return new Constant(Kind.FLOAT, label, value);
    }
    if (value instanceof String s) {
      return new Constant(Kind.STRING, label, s.getBytes(StandardCharsets.UTF_8));
    }
    if (value instanceof LocalDate d) {
      return new Constant(Kind.TEMPORAL, label, d.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
    return new Constant(Kind.TEMPORAL, label, (Instant) value);
  }

  /** A literal: the same value on every row. */
  private static final class Constant extends Values {
    private final Kind kind;
    private final String label;
    private final @Nullable Object value;

    Constant(Kind kind, String label, @Nullable Object value) {
      this.kind = kind;
      this.label = label;
      this.value = value;
    }

    /** Typed accessors of every {@code Values} are called only after {@code isNull(row)} said false. */
    private Object present() {
      return Objects.requireNonNull(
          value, "a NULL constant's value was read; callers test isNull first");
    }

    @Override
    Kind kind() {
      return kind;
    }

    @Override
    String label() {
      return label;
    }

    @Override
    boolean isNull(int row) {
      return value == null;
    }

    @Override
    boolean booleanAt(int row) {
      return (Boolean) present();
    }

    @Override
    long longAt(int row) {
      return (Long) present();
    }

    @Override
    double doubleAt(int row) {
      return ((Number) present()).doubleValue();
    }

    @Override
    byte[] bytesAt(int row) {
      return (byte[]) present();
    }

    @Override
    long secondsAt(int row) {
      return ((Instant) present()).getEpochSecond();
    }

    @Override
    int nanosAt(int row) {
      return ((Instant) present()).getNano();
    }

    @Override
    int compareUtf8(int row, Values other, int otherRow) {
      if (other instanceof Utf8Column) {
        return -other.compareUtf8(otherRow, this, row);
      }
      return super.compareUtf8(row, other, otherRow);
    }
  }

  /** Base for column access: nulls come from the validity buffer. */
  private abstract static class ColumnValues extends Values {
    final FieldVector vector;
    final String label;
    final Kind kind;

    ColumnValues(FieldVector vector, String name, Kind kind) {
      this.vector = vector;
      this.label = "column \"" + name + "\" (" + vector.getField().getType() + ")";
      this.kind = kind;
    }

    @Override
    Kind kind() {
      return kind;
    }

    @Override
    String label() {
      return label;
    }

    @Override
    boolean isNull(int row) {
      return vector.isNull(row);
    }
  }

  private static Values column(FieldVector v, String name, FilterExpr context) {
    if (v instanceof BitVector bits) {
      return new ColumnValues(v, name, Kind.BOOLEAN) {
        @Override
        boolean booleanAt(int row) {
          return bits.get(row) != 0;
        }
      };
    }
    if (v instanceof BaseIntVector ints) {
      return new ColumnValues(v, name, Kind.INTEGER) {
        @Override
        long longAt(int row) {
          return ints.getValueAsLong(row);
        }

        @Override
        double doubleAt(int row) {
          return ints.getValueAsLong(row);
        }
      };
    }
    if (v instanceof FloatingPointVector floats) {
      return new ColumnValues(v, name, Kind.FLOAT) {
        @Override
        double doubleAt(int row) {
          return floats.getValueAsDouble(row);
        }
      };
    }
    if (v instanceof VarCharVector varChar) {
      return new Utf8Column(varChar, name);
    }
    if (v instanceof LargeVarCharVector large) {
      return new ColumnValues(v, name, Kind.STRING) {
        @Override
        byte[] bytesAt(int row) {
          return large.get(row);
        }
      };
    }
    if (v instanceof ViewVarCharVector view) {
      return new ColumnValues(v, name, Kind.STRING) {
        @Override
        byte[] bytesAt(int row) {
          return view.get(row);
        }
      };
    }
    if (v instanceof TimeStampVector ts) {
      TimeUnit unit = ((ArrowType.Timestamp) v.getField().getType()).getUnit();
      return timestamps(ts, name, unit);
    }
    if (v instanceof DateDayVector days) {
      return new ColumnValues(v, name, Kind.TEMPORAL) {
        @Override
        long secondsAt(int row) {
          return days.get(row) * 86_400L;
        }

        @Override
        int nanosAt(int row) {
          return 0;
        }
      };
    }
    if (v instanceof DateMilliVector millis) {
      return timestamps(millis::get, v, name, 1_000L);
    }
    if (v instanceof NullVector) {
      return new ColumnValues(v, name, Kind.NULL) {
        @Override
        boolean isNull(int row) {
          return true;
        }
      };
    }
    throw new FilterEvaluationException("filter "
        + context
        + " cannot use column \""
        + name
        + "\": type "
        + v.getField().getType()
        + " is not supported in filters");
  }

  private static Values timestamps(TimeStampVector v, String name, TimeUnit unit) {
    long perSecond;
    switch (unit) {
      case SECOND:
        perSecond = 1L;
        break;
      case MILLISECOND:
        perSecond = 1_000L;
        break;
      case MICROSECOND:
        perSecond = 1_000_000L;
        break;
      case NANOSECOND:
        perSecond = 1_000_000_000L;
        break;
      default:
        throw new AssertionError(unit);
    }
    return timestamps(v::get, v, name, perSecond);
  }

  /** Epoch counts in units of {@code 1/perSecond} seconds, split exactly into seconds and nanos. */
  private static Values timestamps(
      IntToLongFunction raw, FieldVector v, String name, long perSecond) {
    long nanosPerUnit = 1_000_000_000L / perSecond;
    return new ColumnValues(v, name, Kind.TEMPORAL) {
      @Override
      long secondsAt(int row) {
        return Math.floorDiv(raw.applyAsLong(row), perSecond);
      }

      @Override
      int nanosAt(int row) {
        return (int) (Math.floorMod(raw.applyAsLong(row), perSecond) * nanosPerUnit);
      }
    };
  }

  /** UTF-8 column compared in place in the Arrow data buffer, without copying each value. */
  private static final class Utf8Column extends ColumnValues {
    private final VarCharVector varChar;

    Utf8Column(VarCharVector vector, String name) {
      super(vector, name, Kind.STRING);
      this.varChar = vector;
    }

    @Override
    byte[] bytesAt(int row) {
      return varChar.get(row);
    }

    @Override
    int compareUtf8(int row, Values other, int otherRow) {
      if (!(other instanceof Constant)) {
        return super.compareUtf8(row, other, otherRow);
      }
      byte[] b = other.bytesAt(otherRow);
      ArrowBuf data = varChar.getDataBuffer();
      long start = varChar.getStartOffset(row);
      int len = varChar.getValueLength(row);
      int n = Math.min(len, b.length);
      for (int k = 0; k < n; k++) {
        int c = Integer.compare(data.getByte(start + k) & 0xff, b[k] & 0xff);
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(len, b.length);
    }
  }

  /** Unsigned byte-wise order of UTF-8, which is code point order (what DuckDB and PostgreSQL C use). */
  static int compareBytes(byte[] a, byte[] b) {
    int n = Math.min(a.length, b.length);
    for (int k = 0; k < n; k++) {
      int c = Integer.compare(a[k] & 0xff, b[k] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  // ---------------------------------------------------------------------------------------------
  // Type compatibility

  private static Comparator comparator(Values a, Values b, FilterExpr context) {
    Kind ka = a.kind();
    Kind kb = b.kind();
    if (ka == Kind.NULL || kb == Kind.NULL) {
      // Never called: every row has a null side.
      return (i, j) -> 0;
    }
    if (ka == Kind.INTEGER && kb == Kind.INTEGER) {
      return (i, j) -> Long.compare(a.longAt(i), b.longAt(j));
    }
    if (isNumeric(ka) && isNumeric(kb)) {
      // Mixed integer/float compares as double, like DuckDB; NaN sorts last and equals itself.
      return (i, j) -> {
        double x = a.doubleAt(i);
        double y = b.doubleAt(j);
        return x == y ? 0 : Double.compare(x, y);
      };
    }
    if (ka != kb) {
      if (ka == Kind.TEMPORAL || kb == Kind.TEMPORAL) {
        // SQL databases refuse to compare a timestamp with a VARCHAR parameter, so the JVM refuses
        // too (one behaviour on every engine) and says how to write the constant instead.
        throw new FilterEvaluationException(
            "filter "
                + context
                + " compares incompatible types: "
                + a.label()
                + " is "
                + ka.description
                + ", "
                + b.label()
                + " is "
                + kb.description
                + "; write dates as DATE 'yyyy-mm-dd' and timestamps as TIMESTAMP 'yyyy-mm-ddThh:mm:ssZ'");
      }
      throw new FilterEvaluationException("filter "
          + context
          + " compares incompatible types: "
          + a.label()
          + " is "
          + ka.description
          + ", "
          + b.label()
          + " is "
          + kb.description);
    }
    switch (ka) {
      case BOOLEAN:
        return (i, j) -> Boolean.compare(a.booleanAt(i), b.booleanAt(j));
      case STRING:
        return (i, j) -> a.compareUtf8(i, b, j);
      case TEMPORAL:
        return (i, j) -> {
          int c = Long.compare(a.secondsAt(i), b.secondsAt(j));
          return c != 0 ? c : Integer.compare(a.nanosAt(i), b.nanosAt(j));
        };
      default:
        throw new AssertionError(ka);
    }
  }

  private static boolean isNumeric(Kind k) {
    return k == Kind.INTEGER || k == Kind.FLOAT;
  }
}
