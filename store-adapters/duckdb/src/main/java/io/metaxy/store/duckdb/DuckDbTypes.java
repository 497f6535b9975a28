package io.metaxy.store.duckdb;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/** DuckDB column types for Arrow fields, used when the first write creates a table. */
final class DuckDbTypes {
  private DuckDbTypes() {}

  /**
   * The DuckDB type of a field; by-field columns become {@code MAP(VARCHAR, VARCHAR)}.
   *
   * @throws IllegalArgumentException naming the column when its Arrow type has no mapping
   */
  static String of(Field f, boolean byField) {
    if (byField) {
      return "MAP(VARCHAR, VARCHAR)";
    }
    ArrowType t = f.getType();
    if (t instanceof ArrowType.Utf8 || t instanceof ArrowType.LargeUtf8 || t instanceof ArrowType.Null) {
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
      return fp.getPrecision() == org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE ? "FLOAT" : "DOUBLE";
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
      return of(f.getChildren().get(0), false) + "[]";
    }
    if (t instanceof ArrowType.Map) {
      List<Field> kv = f.getChildren().get(0).getChildren();
      return "MAP(" + of(kv.get(0), false) + ", " + of(kv.get(1), false) + ")";
    }
    if (t instanceof ArrowType.Struct) {
      List<String> children = new ArrayList<>();
      for (Field c : f.getChildren()) {
        children.add("\"" + c.getName().replace("\"", "\"\"") + "\" " + of(c, false));
      }
      return "STRUCT(" + String.join(", ", children) + ")";
    }
    throw new IllegalArgumentException(
        "column '" + f.getName() + "' has Arrow type " + t + ", which the DuckDB store cannot store");
  }
}
