package io.metaxy.store.iceberg;

import io.metaxy.store.duckdb.ParquetFiles;
import io.metaxy.store.support.ArrowBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Conversions between Arrow and Iceberg types, for creating and evolving tables and for writing and
 * reading their data files. Every column is
 * optional; timestamps are microseconds ({@code timestamptz} for Arrow timestamps with a zone).
 */
final class IcebergTypes {
  private IcebergTypes() {}

  /** An Iceberg schema for an Arrow schema, every column optional, in the batch's order. */
  static Schema schema(org.apache.arrow.vector.types.pojo.Schema arrow, String table) {
    AtomicInteger ids = new AtomicInteger();
    List<NestedField> fields = new ArrayList<>();
    for (Field f : arrow.getFields()) {
      fields.add(NestedField.optional(ids.incrementAndGet(), f.getName(), type(f, ids, table)));
    }
    return new Schema(fields);
  }

  /**
   * The Iceberg type of an Arrow column. An all-null column (Arrow {@code Null}) becomes a string, as
   * it has no type of its own and Iceberg v2 has no unknown type.
   *
   * @throws IllegalArgumentException naming the table and column for a type Iceberg cannot hold
   */
  static Type type(Field f, AtomicInteger ids, String table) {
    ArrowType t = f.getType();
    switch (t.getTypeID()) {
      case Utf8:
      case LargeUtf8:
      case Utf8View:
      case Null:
        return Types.StringType.get();
      case Int: {
        ArrowType.Int i = (ArrowType.Int) t;
        return i.getBitWidth() < 32 || (i.getBitWidth() == 32 && i.getIsSigned())
            ? Types.IntegerType.get()
            : Types.LongType.get();
      }
      case FloatingPoint:
        return ((ArrowType.FloatingPoint) t).getPrecision() == FloatingPointPrecision.DOUBLE
            ? Types.DoubleType.get()
            : Types.FloatType.get();
      case Bool:
        return Types.BooleanType.get();
      case Date:
        return Types.DateType.get();
      case Time:
        return Types.TimeType.get();
      case Timestamp:
        return ((ArrowType.Timestamp) t).getTimezone() != null
            ? Types.TimestampType.withZone()
            : Types.TimestampType.withoutZone();
      case Decimal: {
        ArrowType.Decimal d = (ArrowType.Decimal) t;
        return Types.DecimalType.of(d.getPrecision(), d.getScale());
      }
      case Binary:
      case LargeBinary:
      case BinaryView:
      case FixedSizeBinary:
        return Types.BinaryType.get();
      case Struct: {
        List<NestedField> children = new ArrayList<>();
        for (Field c : f.getChildren()) {
          children.add(
              NestedField.optional(ids.incrementAndGet(), c.getName(), type(c, ids, table)));
        }
        return Types.StructType.of(children);
      }
      case List:
      case LargeList: {
        int id = ids.incrementAndGet();
        return Types.ListType.ofOptional(id, type(f.getChildren().get(0), ids, table));
      }
      case Map: {
        List<Field> kv = f.getChildren().get(0).getChildren();
        int k = ids.incrementAndGet();
        int v = ids.incrementAndGet();
        return Types.MapType.ofOptional(
            k, v, type(kv.get(0), ids, table), type(kv.get(1), ids, table));
      }
      default:
        throw new IllegalArgumentException("column \"" + f.getName() + "\" of table " + table
            + " has Arrow type " + t + ", which the Iceberg store cannot store");
    }
  }

  /**
   * The Arrow field of a column, as {@link #field(NestedField)}, with the Iceberg field ids of the
   * column and of its struct children, list elements and map keys and values in the fields' {@link
   * ParquetFiles#FIELD_ID} metadata: what a data file of the table must carry.
   */
  static Field fieldWithIds(NestedField f) {
    return withIds(field(f), f.fieldId(), f.type());
  }

  private static Field withIds(Field arrow, int id, Type type) {
    List<Field> children = arrow.getChildren();
    List<Field> out = new ArrayList<>();
    switch (type.typeId()) {
      case STRUCT -> {
        List<NestedField> fields = type.asStructType().fields();
        for (int i = 0; i < fields.size(); i++) {
          out.add(
              withIds(children.get(i), fields.get(i).fieldId(), fields.get(i).type()));
        }
      }
      case LIST -> {
        Types.ListType l = type.asListType();
        out.add(withIds(children.get(0), l.elementId(), l.elementType()));
      }
      case MAP -> {
        Types.MapType m = type.asMapType();
        Field entries = children.get(0);
        List<Field> kv = entries.getChildren();
        out.add(new Field(
            entries.getName(),
            entries.getFieldType(),
            List.of(
                withIds(kv.get(0), m.keyId(), m.keyType()),
                withIds(kv.get(1), m.valueId(), m.valueType()))));
      }
      default -> out.addAll(children);
    }
    return new Field(
        arrow.getName(),
        new FieldType(
            arrow.isNullable(),
            arrow.getType(),
            arrow.getDictionary(),
            Map.of(ParquetFiles.FIELD_ID, String.valueOf(id))),
        out);
  }

  /** The Arrow field a column of an Iceberg table is read as. */
  static Field field(NestedField f) {
    return field(f.name(), f.type());
  }

  private static Field field(String name, Type type) {
    switch (type.typeId()) {
      case STRUCT: {
        List<Field> children = new ArrayList<>();
        for (NestedField c : type.asStructType().fields()) {
          children.add(field(c));
        }
        return new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children);
      }
      case LIST:
        return new Field(
            name,
            FieldType.nullable(ArrowType.List.INSTANCE),
            List.of(field("element", type.asListType().elementType())));
      case MAP: {
        Types.MapType m = type.asMapType();
        Field key = field("key", m.keyType());
        Field entries = new Field(
            "entries",
            FieldType.notNullable(ArrowType.Struct.INSTANCE),
            List.of(
                new Field("key", FieldType.notNullable(key.getType()), key.getChildren()),
                field("value", m.valueType())));
        return new Field(name, FieldType.nullable(new ArrowType.Map(false)), List.of(entries));
      }
      default:
        return Field.nullable(name, primitive(type));
    }
  }

  private static ArrowType primitive(Type type) {
    return switch (type.typeId()) {
      case STRING, UUID -> ArrowType.Utf8.INSTANCE;
      case INTEGER -> new ArrowType.Int(32, true);
      case LONG -> new ArrowType.Int(64, true);
      case FLOAT -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case DATE -> new ArrowType.Date(DateUnit.DAY);
      case TIME -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
      case TIMESTAMP ->
        ((Types.TimestampType) type).shouldAdjustToUTC()
            ? ArrowBatches.TIMESTAMP_UTC
            : new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case DECIMAL -> {
        Types.DecimalType d = (Types.DecimalType) type;
        yield new ArrowType.Decimal(d.precision(), d.scale(), 128);
      }
      case BINARY, FIXED -> ArrowType.Binary.INSTANCE;
      default ->
        throw new IllegalArgumentException(
            "Iceberg type " + type + " is not supported by this store");
    };
  }
}
