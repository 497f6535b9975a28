package io.metaxy.store.postgres;

import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A column of a stored table.
 *
 * @param name the column name
 * @param typeName the base type name ({@code pg_type.typname}: {@code int8}, {@code jsonb}...)
 * @param formattedType the full type as SQL ({@code numeric(10,2)}), used in casts
 * @param nested for a {@code jsonb} column this store created from a nested Arrow column, that column's
 *     Arrow field (kept in the column comment), so reads rebuild the typed value; otherwise {@code null}
 */
record PgColumn(
    String name,
    String typeName,
    String formattedType,
    @Nullable Field nested) {
  private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+),(\\d+)\\)");
  /** Prefix of the column comment that records a nested column's Arrow field. */
  static final String ARROW_COMMENT = "metaxy-arrow-field:";

  /** The column comment that records a nested Arrow field. */
  static String comment(Field f) {
    return ARROW_COMMENT + new Schema(List.of(f)).toJson();
  }

  /** The nested Arrow field a column comment records, or {@code null} for any other comment. */
  static @Nullable Field nestedFrom(@Nullable String comment) {
    if (comment == null || !comment.startsWith(ARROW_COMMENT)) {
      return null;
    }
    try {
      return Schema.fromJSON(comment.substring(ARROW_COMMENT.length()))
          .getFields()
          .get(0);
    } catch (IOException | RuntimeException e) {
      return null; // an edited comment: read the column as JSON text
    }
  }

  /** Whether values are JSON documents ({@code json} or {@code jsonb}). */
  boolean isJson() {
    return typeName.equals("jsonb") || typeName.equals("json");
  }

  /**
   * The Arrow type this column reads as. Integers, floats, booleans, dates, timestamps, bytea and
   * numerics with a declared precision keep their type; everything else (text, JSON, unconstrained
   * numeric, arrays, ...) reads as its text form.
   */
  ArrowType arrowType() {
    return switch (typeName) {
      case "int2" -> new ArrowType.Int(16, true);
      case "int4" -> new ArrowType.Int(32, true);
      case "int8" -> new ArrowType.Int(64, true);
      case "float4" -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case "float8" -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case "bool" -> ArrowType.Bool.INSTANCE;
      case "timestamptz" -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
      case "timestamp" -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case "date" -> new ArrowType.Date(DateUnit.DAY);
      case "bytea" -> ArrowType.Binary.INSTANCE;
      case "numeric" -> {
        Matcher m = NUMERIC.matcher(formattedType);
        if (m.matches() && Integer.parseInt(m.group(1)) <= 38) {
          yield new ArrowType.Decimal(
              Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 128);
        }
        yield ArrowType.Utf8.INSTANCE;
      }
      default -> ArrowType.Utf8.INSTANCE;
    };
  }

  /**
   * The Arrow field a batch must have to be appended to this column as is: the type this store creates
   * the column from, or {@link ArrowType.Null} (not checked) where several Arrow types share the column
   * type ({@code smallint} holds int8, int16 and uint8; {@code numeric(20,0)} uint64), for by-field
   * columns, and for column types this store does not create.
   */
  Field appendedAs(boolean byField) {
    if (nested != null && !byField) {
      return new Field(name, nested.getFieldType(), nested.getChildren());
    }
    ArrowType t = byField
        ? ArrowType.Null.INSTANCE
        : switch (typeName) {
          case "int4",
              "int8",
              "float4",
              "float8",
              "bool",
              "timestamptz",
              "timestamp",
              "date",
              "bytea" -> arrowType();
          case "text", "varchar" -> ArrowType.Utf8.INSTANCE;
          case "numeric" -> {
            ArrowType a = arrowType();
            yield a instanceof ArrowType.Decimal d && !(d.getPrecision() == 20 && d.getScale() == 0)
                ? a
                : ArrowType.Null.INSTANCE;
          }
          default -> ArrowType.Null.INSTANCE;
        };
    return Field.nullable(name, t);
  }
}
