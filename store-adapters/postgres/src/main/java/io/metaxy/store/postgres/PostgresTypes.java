package io.metaxy.store.postgres;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/** PostgreSQL column types for Arrow fields, used when a write creates a table or adds a column. */
final class PostgresTypes {
  private PostgresTypes() {}

  /**
   * The PostgreSQL type of a field. By-field columns are {@code jsonb}; other nested columns (struct,
   * map, list) are {@code jsonb} when {@code nestedAsJsonb}, since PostgreSQL has no struct type.
   * Unsigned integers widen to the next signed type ({@code uint64} to {@code numeric(20,0)}).
   *
   * @throws IllegalArgumentException naming the column when its Arrow type has no mapping
   */
  static String of(Field f, boolean byField, boolean nestedAsJsonb) {
    if (byField) {
      return "jsonb";
    }
    ArrowType t = f.getType();
    if (t instanceof ArrowType.Utf8
        || t instanceof ArrowType.LargeUtf8
        || t instanceof ArrowType.Null) {
      return "varchar"; // what the reference (Ibis) creates for strings; the same type as text
      // underneath
    }
    if (t instanceof ArrowType.Int i) {
      int bits = i.getIsSigned() ? i.getBitWidth() : i.getBitWidth() * 2;
      return switch (bits) {
        case 8, 16 -> "smallint";
        case 32 -> "integer";
        case 64 -> "bigint";
        default -> "numeric(20,0)";
      };
    }
    if (t instanceof ArrowType.FloatingPoint fp) {
      return fp.getPrecision() == FloatingPointPrecision.DOUBLE ? "double precision" : "real";
    }
    if (t instanceof ArrowType.Bool) {
      return "boolean";
    }
    if (t instanceof ArrowType.Timestamp ts) {
      return ts.getTimezone() != null ? "timestamptz" : "timestamp";
    }
    if (t instanceof ArrowType.Date) {
      return "date";
    }
    if (t instanceof ArrowType.Decimal d) {
      return "numeric(" + d.getPrecision() + "," + d.getScale() + ")";
    }
    if (t instanceof ArrowType.Binary
        || t instanceof ArrowType.LargeBinary
        || t instanceof ArrowType.FixedSizeBinary) {
      return "bytea";
    }
    boolean nested = t instanceof ArrowType.Struct
        || t instanceof ArrowType.Map
        || t instanceof ArrowType.List
        || t instanceof ArrowType.LargeList;
    if (nested && nestedAsJsonb) {
      return "jsonb";
    }
    if (nested) {
      throw new IllegalArgumentException(
          "column '" + f.getName() + "' has nested Arrow type " + t
              + "; PostgreSQL has no such column type. Enable auto_cast_struct_for_jsonb to store it as JSONB");
    }
    throw new IllegalArgumentException("column '" + f.getName() + "' has Arrow type " + t
        + ", which the PostgreSQL store cannot store");
  }
}
