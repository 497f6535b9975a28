package io.metaxy.store.iceberg;

import io.metaxy.store.support.ArrowBatches;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.iceberg.util.DateTimeUtil;
import org.jspecify.annotations.Nullable;

/**
 * Conversions between Arrow and Iceberg: types (for creating and evolving tables, and for reading them
 * back) and values (Arrow cells to Iceberg's generic {@link Record} values and back). Every column is
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

  /** The Iceberg value of an Arrow cell, for a column of Iceberg type {@code type}. */
  static @Nullable Object icebergValue(FieldVector v, int row, Type type) {
    if (v.isNull(row)) {
      return null;
    }
    switch (type.typeId()) {
      case STRING:
        return String.valueOf(ArrowBatches.value(v, row));
      case INTEGER:
        return (int) ((BaseIntVector) v).getValueAsLong(row);
      case LONG:
        return ((BaseIntVector) v).getValueAsLong(row);
      case FLOAT:
        return (float) ((FloatingPointVector) v).getValueAsDouble(row);
      case DOUBLE:
        return ((FloatingPointVector) v).getValueAsDouble(row);
      case BOOLEAN:
        return ((BitVector) v).get(row) != 0;
      case DATE:
        return v instanceof DateMilliVector d
            ? LocalDate.ofEpochDay(Math.floorDiv(d.get(row), 86_400_000L))
            : LocalDate.ofEpochDay(((DateDayVector) v).get(row));
      case TIME:
        return LocalTime.ofNanoOfDay(((TimeMicroVector) v).get(row) * 1000L);
      case TIMESTAMP: {
        long micros = Objects.requireNonNull(ArrowBatches.micros(v, row));
        return ((Types.TimestampType) type).shouldAdjustToUTC()
            ? DateTimeUtil.timestamptzFromMicros(micros)
            : DateTimeUtil.timestampFromMicros(micros);
      }
      case DECIMAL:
        return ((DecimalVector) v)
            .getObject(row)
            .setScale(((Types.DecimalType) type).scale(), RoundingMode.UNNECESSARY);
      case BINARY:
      case FIXED:
        return ByteBuffer.wrap((byte[]) v.getObject(row));
      case STRUCT: {
        StructVector s = (StructVector) v;
        Types.StructType st = type.asStructType();
        GenericRecord r = GenericRecord.create(st);
        for (NestedField c : st.fields()) {
          FieldVector child = (FieldVector) s.getChild(c.name());
          r.setField(c.name(), child == null ? null : icebergValue(child, row, c.type()));
        }
        return r;
      }
      case MAP: {
        MapVector m = (MapVector) v;
        StructVector entries = (StructVector) m.getDataVector();
        FieldVector keys = (FieldVector) entries.getChildByOrdinal(0);
        FieldVector values = (FieldVector) entries.getChildByOrdinal(1);
        Types.MapType mt = type.asMapType();
        Map<Object, @Nullable Object> out = new LinkedHashMap<>();
        for (int i = m.getElementStartIndex(row); i < m.getElementEndIndex(row); i++) {
          out.put(
              Objects.requireNonNull(icebergValue(keys, i, mt.keyType())),
              icebergValue(values, i, mt.valueType()));
        }
        return out;
      }
      case LIST: {
        ListVector l = (ListVector) v;
        FieldVector data = l.getDataVector();
        List<@Nullable Object> out = new ArrayList<>();
        for (int i = l.getElementStartIndex(row); i < l.getElementEndIndex(row); i++) {
          out.add(icebergValue(data, i, type.asListType().elementType()));
        }
        return out;
      }
      default:
        throw new IllegalArgumentException(
            "Iceberg type " + type + " is not supported by this store");
    }
  }

  /** Sets an Arrow cell from an Iceberg value ({@code null} leaves the cell null). */
  static void setArrow(FieldVector v, int row, @Nullable Object value) {
    if (value == null) {
      return; // cells start null; the value count fills variable-width holes
    }
    if (v instanceof VarCharVector s) {
      String str = value instanceof UUID u ? u.toString() : value.toString();
      s.setSafe(row, str.getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof IntVector i) {
      i.setSafe(row, ((Number) value).intValue());
    } else if (v instanceof BigIntVector i) {
      i.setSafe(row, ((Number) value).longValue());
    } else if (v instanceof Float4Vector f) {
      f.setSafe(row, ((Number) value).floatValue());
    } else if (v instanceof Float8Vector f) {
      f.setSafe(row, ((Number) value).doubleValue());
    } else if (v instanceof BitVector b) {
      b.setSafe(row, (Boolean) value ? 1 : 0);
    } else if (v instanceof DateDayVector d) {
      d.setSafe(row, (int) ((LocalDate) value).toEpochDay());
    } else if (v instanceof TimeMicroVector t) {
      t.setSafe(row, ((LocalTime) value).toNanoOfDay() / 1000L);
    } else if (v instanceof TimeStampVector t) {
      t.setSafe(
          row,
          value instanceof OffsetDateTime o
              ? DateTimeUtil.microsFromTimestamptz(o)
              : DateTimeUtil.microsFromTimestamp((LocalDateTime) value));
    } else if (v instanceof DecimalVector d) {
      d.setSafe(row, (BigDecimal) value);
    } else if (v instanceof VarBinaryVector b) {
      ByteBuffer buf = ((ByteBuffer) value).duplicate();
      byte[] bytes = new byte[buf.remaining()];
      buf.get(bytes);
      b.setSafe(row, bytes);
    } else if (v instanceof MapVector m) {
      Map<?, ?> map = (Map<?, ?>) value;
      StructVector entries = (StructVector) m.getDataVector();
      int start = m.startNewValue(row);
      int i = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        entries.setIndexDefined(start + i);
        setArrow((FieldVector) entries.getChildByOrdinal(0), start + i, e.getKey());
        setArrow((FieldVector) entries.getChildByOrdinal(1), start + i, e.getValue());
        i++;
      }
      m.endValue(row, map.size());
    } else if (v instanceof ListVector l) {
      List<?> list = (List<?>) value;
      int start = l.startNewValue(row);
      for (int i = 0; i < list.size(); i++) {
        setArrow(l.getDataVector(), start + i, list.get(i));
      }
      l.endValue(row, list.size());
    } else if (v instanceof StructVector s) {
      Record r = (Record) value;
      s.setIndexDefined(row);
      for (NestedField c : r.struct().fields()) {
        FieldVector child = (FieldVector) s.getChild(c.name());
        if (child != null) {
          setArrow(child, row, r.getField(c.name()));
        }
      }
    } else {
      throw new IllegalArgumentException("cannot read Iceberg values into an Arrow "
          + v.getField().getType() + " column (\"" + v.getName() + "\")");
    }
  }
}
