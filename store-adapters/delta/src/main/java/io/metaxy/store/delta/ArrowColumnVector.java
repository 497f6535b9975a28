package io.metaxy.store.delta;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.jspecify.annotations.Nullable;

/**
 * A Kernel view of rows {@code [offset, offset + size)} of an Arrow vector, typed as the table's column
 * ({@code type}): what the default engine's Parquet writer reads when we append. A missing Arrow vector
 * (a column or struct child the batch lacks) reads as nulls; timestamps of any unit read as
 * microseconds. No copy is made.
 */
final class ArrowColumnVector implements ColumnVector {
  private final @Nullable FieldVector vector;
  private final DataType type;
  private final int offset;
  private final int size;

  ArrowColumnVector(@Nullable FieldVector vector, DataType type, int offset, int size) {
    this.vector = vector;
    this.type = type;
    this.offset = offset;
    this.size = size;
  }

  @Override
  public DataType getDataType() {
    return type;
  }

  @Override
  public int getSize() {
    return size;
  }

  @Override
  public void close() {
    // The Arrow batch belongs to the caller.
  }

  @Override
  public boolean isNullAt(int row) {
    return vector == null || vector.isNull(offset + row);
  }

  private FieldVector v() {
    if (vector == null) {
      throw new IllegalStateException("read of a null column");
    }
    return vector;
  }

  private Number number(int row) {
    Object o = v().getObject(offset + row);
    if (o instanceof Character c) {
      return (int) c; // UInt2
    }
    return (Number) o;
  }

  @Override
  public boolean getBoolean(int row) {
    return ((BitVector) v()).get(offset + row) == 1;
  }

  @Override
  public byte getByte(int row) {
    return number(row).byteValue();
  }

  @Override
  public short getShort(int row) {
    return number(row).shortValue();
  }

  @Override
  public int getInt(int row) {
    Object o = v().getObject(offset + row);
    if (o instanceof LocalDate d) {
      return (int) d.toEpochDay();
    }
    return number(row).intValue();
  }

  @Override
  public long getLong(int row) {
    FieldVector fv = v();
    if (fv instanceof TimeStampVector ts) {
      long raw = ts.get(offset + row);
      return switch (((ArrowType.Timestamp) fv.getField().getType()).getUnit()) {
        case SECOND -> TimeUnit.SECONDS.toMicros(raw);
        case MILLISECOND -> TimeUnit.MILLISECONDS.toMicros(raw);
        case MICROSECOND -> raw;
        case NANOSECOND -> Math.floorDiv(raw, 1000L);
      };
    }
    return number(row).longValue();
  }

  @Override
  public float getFloat(int row) {
    return number(row).floatValue();
  }

  @Override
  public double getDouble(int row) {
    return number(row).doubleValue();
  }

  @Override
  public byte[] getBinary(int row) {
    return (byte[]) v().getObject(offset + row);
  }

  @Override
  public String getString(int row) {
    return v().getObject(offset + row).toString();
  }

  @Override
  public BigDecimal getDecimal(int row) {
    return (BigDecimal) v().getObject(offset + row);
  }

  @Override
  public ColumnVector getChild(int ordinal) {
    StructType struct = (StructType) type;
    String name = struct.at(ordinal).getName();
    FieldVector child = vector instanceof StructVector s ? (FieldVector) s.getChild(name) : null;
    return new ArrowColumnVector(child, struct.at(ordinal).getDataType(), offset, size);
  }

  @Override
  public ArrayValue getArray(int row) {
    ListVector list = (ListVector) v();
    int start = list.getElementStartIndex(offset + row);
    int n = list.getElementEndIndex(offset + row) - start;
    DataType element = ((ArrayType) type).getElementType();
    ColumnVector elements = new ArrowColumnVector(list.getDataVector(), element, start, n);
    return new ArrayValue() {
      @Override
      public int getSize() {
        return n;
      }

      @Override
      public ColumnVector getElements() {
        return elements;
      }
    };
  }

  @Override
  public MapValue getMap(int row) {
    if (v() instanceof StructVector struct) {
      return structAsMap(struct, row);
    }
    ListVector map = (ListVector) v();
    int start = map.getElementStartIndex(offset + row);
    int n = map.getElementEndIndex(offset + row) - start;
    StructVector entries = (StructVector) map.getDataVector();
    MapType mt = (MapType) type;
    ColumnVector keys = new ArrowColumnVector(
        (FieldVector) entries.getChildByOrdinal(0), mt.getKeyType(), start, n);
    ColumnVector values = new ArrowColumnVector(
        (FieldVector) entries.getChildByOrdinal(1), mt.getValueType(), start, n);
    return new MapValue() {
      @Override
      public int getSize() {
        return n;
      }

      @Override
      public ColumnVector getKeys() {
        return keys;
      }

      @Override
      public ColumnVector getValues() {
        return values;
      }
    };
  }

  /**
   * A struct-of-strings cell as a map of its non-null children: a by-field struct appended to a table
   * whose by-field columns are Delta maps (the reference's {@code enable_map_datatype}).
   */
  private MapValue structAsMap(StructVector struct, int row) {
    List<String> keys = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (String name : struct.getChildFieldNames()) {
      FieldVector child = (FieldVector) struct.getChild(name);
      if (!child.isNull(offset + row)) {
        keys.add(name);
        values.add(child.getObject(offset + row).toString());
      }
    }
    return new MapValue() {
      @Override
      public int getSize() {
        return keys.size();
      }

      @Override
      public ColumnVector getKeys() {
        return new Strings(keys);
      }

      @Override
      public ColumnVector getValues() {
        return new Strings(values);
      }
    };
  }

  /** A Kernel string column over a list. */
  private record Strings(List<String> values) implements ColumnVector {
    @Override
    public DataType getDataType() {
      return StringType.STRING;
    }

    @Override
    public int getSize() {
      return values.size();
    }

    @Override
    public void close() {}

    @Override
    public boolean isNullAt(int row) {
      return false;
    }

    @Override
    public String getString(int row) {
      return values.get(row);
    }
  }
}
