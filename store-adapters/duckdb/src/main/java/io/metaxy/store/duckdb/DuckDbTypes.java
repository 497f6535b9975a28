package io.metaxy.store.duckdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** DuckDB column types for Arrow fields, used when the first write creates a table. */
final class DuckDbTypes {
  private DuckDbTypes() {}

  /**
   * The DuckDB type of a field. A by-field column becomes what the reference creates: a {@code STRUCT}
   * of one {@code VARCHAR} per field, in the order of the batch's struct (spec order), or with {@code
   * mapLayout} (its {@code enable_map_datatype}) {@code MAP(VARCHAR, VARCHAR)}.
   *
   * @throws IllegalArgumentException naming the column when its Arrow type has no mapping
   */
  static String of(Field f, boolean byField, boolean mapLayout) {
    if (byField) {
      if (mapLayout || !(f.getType() instanceof ArrowType.Struct)) {
        return "MAP(VARCHAR, VARCHAR)";
      }
      return byFieldStruct(f.getChildren().stream().map(Field::getName).toList());
    }
    return of(f);
  }

  /** {@code STRUCT("k1" VARCHAR, ...)}: a by-field struct with these children, in order. */
  static String byFieldStruct(List<String> children) {
    List<String> parts = new ArrayList<>();
    for (String c : children) {
      parts.add(quote(c) + " VARCHAR");
    }
    return "STRUCT(" + String.join(", ", parts) + ")";
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String of(Field f) {
    ArrowType t = f.getType();
    if (t instanceof ArrowType.Utf8
        || t instanceof ArrowType.LargeUtf8
        || t instanceof ArrowType.Null) {
      return "VARCHAR";
    }
    if (t instanceof ArrowType.Int i) {
      String base = switch (i.getBitWidth()) {
        case 8 -> "TINYINT";
        case 16 -> "SMALLINT";
        case 32 -> "INTEGER";
        default -> "BIGINT";
      };
      return i.getIsSigned() ? base : "U" + base;
    }
    if (t instanceof ArrowType.FloatingPoint fp) {
      return fp.getPrecision() == FloatingPointPrecision.SINGLE ? "FLOAT" : "DOUBLE";
    }
    if (t instanceof ArrowType.Bool) {
      return "BOOLEAN";
    }
    if (t instanceof ArrowType.Timestamp ts) {
      return ts.getTimezone() != null ? "TIMESTAMPTZ" : "TIMESTAMP";
    }
    if (t instanceof ArrowType.Date) {
      return "DATE";
    }
    if (t instanceof ArrowType.Decimal d) {
      return "DECIMAL(" + d.getPrecision() + ", " + d.getScale() + ")";
    }
    if (t instanceof ArrowType.Binary || t instanceof ArrowType.LargeBinary) {
      return "BLOB";
    }
    if (t instanceof ArrowType.List || t instanceof ArrowType.LargeList) {
      return of(f.getChildren().get(0)) + "[]";
    }
    if (t instanceof ArrowType.Map) {
      List<Field> kv = f.getChildren().get(0).getChildren();
      return "MAP(" + of(kv.get(0)) + ", " + of(kv.get(1)) + ")";
    }
    if (t instanceof ArrowType.Struct) {
      List<String> children = new ArrayList<>();
      for (Field c : f.getChildren()) {
        children.add(quote(c.getName()) + " " + of(c));
      }
      return "STRUCT(" + String.join(", ", children) + ")";
    }
    throw new IllegalArgumentException("column '" + f.getName() + "' has Arrow type " + t
        + ", which the DuckDB store cannot store");
  }

  /**
   * The Arrow field a column of this DuckDB type is appended from (the inverse of {@link #of} for the
   * types it creates), or a field of type {@link ArrowType.Null} for types not mapped here (structs,
   * maps, DuckDB-only types), which the store then does not check.
   */
  static Field arrowField(String name, String duckDbType) {
    String t = duckDbType.trim().toUpperCase(Locale.ROOT);
    if (t.endsWith("[]")) {
      Field item = arrowField("item", t.substring(0, t.length() - 2));
      return item.getType() instanceof ArrowType.Null
          ? Field.nullable(name, ArrowType.Null.INSTANCE)
          : new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(item));
    }
    Matcher decimal = Pattern.compile("DECIMAL\\((\\d+), ?(\\d+)\\)").matcher(t);
    if (decimal.matches()) {
      return Field.nullable(
          name,
          new ArrowType.Decimal(
              Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)), 128));
    }
    ArrowType type = switch (t) {
      case "VARCHAR" -> ArrowType.Utf8.INSTANCE;
      case "TINYINT" -> new ArrowType.Int(8, true);
      case "SMALLINT" -> new ArrowType.Int(16, true);
      case "INTEGER" -> new ArrowType.Int(32, true);
      case "BIGINT" -> new ArrowType.Int(64, true);
      case "UTINYINT" -> new ArrowType.Int(8, false);
      case "USMALLINT" -> new ArrowType.Int(16, false);
      case "UINTEGER" -> new ArrowType.Int(32, false);
      case "UBIGINT" -> new ArrowType.Int(64, false);
      case "FLOAT" -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case "DOUBLE" -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case "BOOLEAN" -> ArrowType.Bool.INSTANCE;
      case "TIMESTAMP" -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" ->
        new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
      case "DATE" -> new ArrowType.Date(DateUnit.DAY);
      case "BLOB" -> ArrowType.Binary.INSTANCE;
      default -> ArrowType.Null.INSTANCE;
    };
    return Field.nullable(name, type);
  }
}
