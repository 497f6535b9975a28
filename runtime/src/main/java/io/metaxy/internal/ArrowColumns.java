package io.metaxy.internal;

import io.metaxy.SystemColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Arrow schemas of feature tables. For generated code only. */
public final class ArrowColumns {
  /** Timestamps are microseconds in UTC everywhere (engine batch conventions). */
  static final ArrowType TIMESTAMP = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

  private ArrowColumns() {}

  /** The Arrow field of a user column. */
  public static Field field(ColumnDef c) {
    if (c.type() == ColumnType.STRING_LIST) {
      Field item = Field.nullable("$data$", ArrowType.Utf8.INSTANCE);
      return new Field(
          c.name(), new FieldType(c.nullable(), ArrowType.List.INSTANCE, null), List.of(item));
    }
    return new Field(c.name(), new FieldType(c.nullable(), arrowType(c.type()), null), null);
  }

  /** The Arrow type of a scalar column type. */
  static ArrowType arrowType(ColumnType type) {
    return switch (type) {
      case STRING -> ArrowType.Utf8.INSTANCE;
      case INT -> new ArrowType.Int(32, true);
      case LONG -> new ArrowType.Int(64, true);
      case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case FLOAT -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case INSTANT -> TIMESTAMP;
      case LOCAL_DATE -> new ArrowType.Date(DateUnit.DAY);
      case BYTES -> ArrowType.Binary.INSTANCE;
      case STRING_LIST -> ArrowType.List.INSTANCE;
    };
  }

  /** The schema of the user columns, in declaration order. */
  public static Schema userSchema(List<ColumnDef> columns) {
    List<Field> fields = new ArrayList<>();
    columns.forEach(c -> fields.add(field(c)));
    return new Schema(fields);
  }

  /**
   * The schema of the full feature table: the user columns, then the system columns; by-field columns
   * are structs with one nullable UTF-8 child per field, named by its struct key, in spec field order.
   */
  public static Schema tableSchema(List<ColumnDef> columns, List<String> fieldStructKeys) {
    List<Field> fields = new ArrayList<>();
    columns.forEach(c -> fields.add(field(c)));
    for (SystemColumns.Column c : SystemColumns.COLUMNS) {
      switch (c.kind()) {
        case BY_FIELD -> {
          List<Field> children = new ArrayList<>();
          fieldStructKeys.forEach(k -> children.add(Field.nullable(k, ArrowType.Utf8.INSTANCE)));
          fields.add(new Field(c.name(), FieldType.nullable(ArrowType.Struct.INSTANCE), children));
        }
        case STRING -> fields.add(Field.nullable(c.name(), ArrowType.Utf8.INSTANCE));
        case TIMESTAMP -> fields.add(Field.nullable(c.name(), TIMESTAMP));
      }
    }
    return new Schema(fields);
  }
}
