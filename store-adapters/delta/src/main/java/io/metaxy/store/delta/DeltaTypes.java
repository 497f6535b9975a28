package io.metaxy.store.delta;

import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Arrow ↔ Delta types. The mapping is the one
 * delta-rs applies to the reference's Polars frames: strings, 64-bit integers, structs of strings,
 * {@code timestamp} (UTC instants, microseconds) and {@code timestamp_ntz} (wall clock).
 */
final class DeltaTypes {
  private DeltaTypes() {}

  /** The Delta type a new column of this Arrow field gets; an Arrow {@code Null} becomes a string. */
  static DataType toDelta(Field f) {
    ArrowType t = f.getType();
    if (t instanceof ArrowType.Utf8
        || t instanceof ArrowType.LargeUtf8
        || t instanceof ArrowType.Null) {
      return StringType.STRING;
    }
    if (t instanceof ArrowType.Utf8View) {
      return StringType.STRING;
    }
    if (t instanceof ArrowType.Binary
        || t instanceof ArrowType.LargeBinary
        || t instanceof ArrowType.FixedSizeBinary) {
      return BinaryType.BINARY;
    }
    if (t instanceof ArrowType.Bool) {
      return BooleanType.BOOLEAN;
    }
    if (t instanceof ArrowType.Int i) {
      int bits = i.getIsSigned() ? i.getBitWidth() : i.getBitWidth() * 2;
      return bits <= 8
          ? ByteType.BYTE
          : bits <= 16 ? ShortType.SHORT : bits <= 32 ? IntegerType.INTEGER : LongType.LONG;
    }
    if (t instanceof ArrowType.FloatingPoint fp) {
      return fp.getPrecision() == FloatingPointPrecision.DOUBLE
          ? DoubleType.DOUBLE
          : FloatType.FLOAT;
    }
    if (t instanceof ArrowType.Decimal d) {
      return new DecimalType(d.getPrecision(), d.getScale());
    }
    if (t instanceof ArrowType.Date) {
      return DateType.DATE;
    }
    if (t instanceof ArrowType.Timestamp ts) {
      return ts.getTimezone() == null ? TimestampNTZType.TIMESTAMP_NTZ : TimestampType.TIMESTAMP;
    }
    if (t instanceof ArrowType.Struct) {
      return struct(f.getChildren());
    }
    if (t instanceof ArrowType.Map) {
      List<Field> kv = f.getChildren().get(0).getChildren();
      return new MapType(toDelta(kv.get(0)), toDelta(kv.get(1)), true);
    }
    if (t instanceof ArrowType.List || t instanceof ArrowType.LargeList) {
      return new ArrayType(toDelta(f.getChildren().get(0)), true);
    }
    throw new IllegalArgumentException("column '" + f.getName() + "' has Arrow type " + t
        + ", which the Delta store cannot store");
  }

  /** A Delta struct of these Arrow fields, every child nullable. */
  static StructType struct(List<Field> fields) {
    StructType s = new StructType();
    for (Field c : fields) {
      s = s.add(c.getName(), toDelta(c), true);
    }
    return s;
  }

  /** The Arrow field a Delta column reads as. */
  static Field toArrow(String name, DataType t) {
    if (t instanceof StructType s) {
      List<Field> children = new ArrayList<>();
      for (StructField c : s.fields()) {
        children.add(toArrow(c.getName(), c.getDataType()));
      }
      return new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children);
    }
    if (t instanceof ArrayType a) {
      return new Field(
          name,
          FieldType.nullable(ArrowType.List.INSTANCE),
          List.of(toArrow("element", a.getElementType())));
    }
    if (t instanceof MapType m) {
      Field entries = new Field(
          "entries",
          FieldType.notNullable(ArrowType.Struct.INSTANCE),
          List.of(
              new Field("key", FieldType.notNullable(scalar(m.getKeyType())), List.of()),
              toArrow("value", m.getValueType())));
      return new Field(name, FieldType.nullable(new ArrowType.Map(false)), List.of(entries));
    }
    return new Field(name, FieldType.nullable(scalar(t)), List.of());
  }

  private static ArrowType scalar(DataType t) {
    if (t instanceof StringType) {
      return ArrowType.Utf8.INSTANCE;
    }
    if (t instanceof LongType) {
      return new ArrowType.Int(64, true);
    }
    if (t instanceof IntegerType) {
      return new ArrowType.Int(32, true);
    }
    if (t instanceof ShortType) {
      return new ArrowType.Int(16, true);
    }
    if (t instanceof ByteType) {
      return new ArrowType.Int(8, true);
    }
    if (t instanceof BooleanType) {
      return ArrowType.Bool.INSTANCE;
    }
    if (t instanceof DoubleType) {
      return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    }
    if (t instanceof FloatType) {
      return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    }
    if (t instanceof BinaryType) {
      return ArrowType.Binary.INSTANCE;
    }
    if (t instanceof DateType) {
      return new ArrowType.Date(DateUnit.DAY);
    }
    if (t instanceof TimestampType) {
      return new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
    }
    if (t instanceof TimestampNTZType) {
      return new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
    }
    if (t instanceof DecimalType d) {
      return new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128);
    }
    throw new IllegalArgumentException("Delta type " + t + " has no Arrow type here");
  }
}
