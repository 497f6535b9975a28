package io.metaxy.internal;

import io.metaxy.MetaxyException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Converts feature records to and from Arrow batches and JDBC rows, column by column, through the
 * {@link Access} the generated companion implements (plain accessor calls and the canonical
 * constructor, no reflection). For generated code only.
 *
 * @param <T> the feature record type
 */
public final class RecordCodec<T extends Record> {
  /** How the codec reads and creates records: what a generated companion implements. */
  public interface Access<T> {
    /** The value of user column {@code column} (component order) of a record, boxed. */
    Object value(T record, int column);

    /** Calls the record's canonical constructor with one value per column (boxed, possibly null). */
    T create(Object[] values);
  }

  private final String recordName;
  private final List<ColumnDef> columns;
  private final Access<T> access;
  private final Schema schema;

  /**
   * @param recordName the record's name, for error messages
   * @param columns the user columns in component order
   * @param access reads and creates records
   */
  public RecordCodec(String recordName, List<ColumnDef> columns, Access<T> access) {
    this.recordName = recordName;
    this.columns = List.copyOf(columns);
    this.access = Objects.requireNonNull(access);
    this.schema = ArrowColumns.userSchema(columns);
  }

  /** The Arrow schema of the user columns. */
  public Schema schema() {
    return schema;
  }

  /** Writes records into a new batch of {@link #schema()}; the caller closes it. */
  public VectorSchemaRoot toArrow(List<T> records, BufferAllocator allocator) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    try {
      root.allocateNew();
      for (int c = 0; c < columns.size(); c++) {
        ColumnDef col = columns.get(c);
        FieldVector vector = root.getVector(c);
        for (int i = 0; i < records.size(); i++) {
          Object value = access.value(records.get(i), c);
          if (value == null) {
            if (!col.nullable()) {
              throw new MetaxyException(
                  recordName + " #" + i + ": column " + col.name() + " is null but not @Nullable");
            }
            if (vector instanceof ListVector list) {
              list.setNull(i);
            }
            continue;
          }
          write(col, vector, i, value);
        }
        vector.setValueCount(records.size());
      }
      root.setRowCount(records.size());
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private static void write(ColumnDef col, FieldVector vector, int i, Object value) {
    switch (col.type()) {
      case STRING ->
        ((VarCharVector) vector).setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
      case INT -> ((IntVector) vector).setSafe(i, (Integer) value);
      case LONG -> ((BigIntVector) vector).setSafe(i, (Long) value);
      case DOUBLE -> ((Float8Vector) vector).setSafe(i, (Double) value);
      case FLOAT -> ((Float4Vector) vector).setSafe(i, (Float) value);
      case BOOLEAN -> ((BitVector) vector).setSafe(i, ((Boolean) value) ? 1 : 0);
      case INSTANT -> ((TimeStampVector) vector).setSafe(i, micros((Instant) value));
      case LOCAL_DATE ->
        ((DateDayVector) vector).setSafe(i, Math.toIntExact(((LocalDate) value).toEpochDay()));
      case BYTES -> ((VarBinaryVector) vector).setSafe(i, (byte[]) value);
      case STRING_LIST -> {
        ListVector list = (ListVector) vector;
        List<String> items = (List<String>) value;
        VarCharVector data = (VarCharVector) list.getDataVector();
        int start = list.startNewValue(i);
        for (int j = 0; j < items.size(); j++) {
          if (items.get(j) != null) {
            data.setSafe(start + j, items.get(j).getBytes(StandardCharsets.UTF_8));
          } else {
            data.setNull(start + j);
          }
        }
        list.endValue(i, items.size());
      }
    }
  }

  /**
   * Reads the record at {@code row}; the batch must have the user columns (looked up by name), other
   * columns are ignored.
   *
   * @throws MetaxyException naming the column when it is missing, or null but not nullable
   */
  public T fromArrow(VectorSchemaRoot batch, int row) {
    Object[] values = new Object[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      ColumnDef col = columns.get(c);
      FieldVector vector = batch.getVector(col.name());
      if (vector == null) {
        throw new MetaxyException(recordName + ": the batch has no column " + col.name());
      }
      values[c] = vector.isNull(row) ? null : read(col, vector, row);
      checkNull(col, values[c], " row " + row);
    }
    return access.create(values);
  }

  private static Object read(ColumnDef col, FieldVector vector, int row) {
    return switch (col.type()) {
      case STRING -> new String(((VarCharVector) vector).get(row), StandardCharsets.UTF_8);
      case INT -> ((IntVector) vector).get(row);
      case LONG -> ((BigIntVector) vector).get(row);
      case DOUBLE -> ((Float8Vector) vector).get(row);
      case FLOAT -> ((Float4Vector) vector).get(row);
      case BOOLEAN -> ((BitVector) vector).get(row) != 0;
      case INSTANT -> Instant.EPOCH.plus(((TimeStampVector) vector).get(row), ChronoUnit.MICROS);
      case LOCAL_DATE -> LocalDate.ofEpochDay(((DateDayVector) vector).get(row));
      case BYTES -> ((VarBinaryVector) vector).get(row);
      case STRING_LIST -> {
        List<String> out = new ArrayList<>();
        for (Object o : ((ListVector) vector).getObject(row)) {
          out.add(o == null ? null : o.toString());
        }
        yield Collections.unmodifiableList(out);
      }
    };
  }

  /**
   * Reads the current row of a JDBC result set (columns looked up by name).
   *
   * @throws SQLException when the driver fails
   * @throws MetaxyException naming the column when a value has an unexpected type, or is null but not
   *     nullable
   */
  public T fromResultSet(ResultSet rs) throws SQLException {
    Object[] values = new Object[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      ColumnDef col = columns.get(c);
      values[c] = jdbcValue(col, rs);
      // Not every driver supports ResultSet.getRow() (DuckDB does not), so the row is not named.
      checkNull(col, values[c], " (JDBC row)");
    }
    return access.create(values);
  }

  private @Nullable Object jdbcValue(ColumnDef col, ResultSet rs) throws SQLException {
    String name = col.name();
    Object raw = rs.getObject(name);
    if (raw == null) {
      return null;
    }
    switch (col.type()) {
      case STRING:
        return rs.getString(name);
      case INT:
        return rs.getInt(name);
      case LONG:
        return rs.getLong(name);
      case DOUBLE:
        return rs.getDouble(name);
      case FLOAT:
        return rs.getFloat(name);
      case BOOLEAN:
        return rs.getBoolean(name);
      case BYTES:
        // Drivers differ: byte[] (PostgreSQL), java.sql.Blob (DuckDB, whose getBytes is
        // unsupported).
        if (raw instanceof byte[] b) {
          return b;
        } else if (raw instanceof Blob blob) {
          return blob.getBytes(1, Math.toIntExact(blob.length()));
        } else if (raw instanceof ByteBuffer buffer) {
          byte[] out = new byte[buffer.remaining()];
          buffer.duplicate().get(out);
          return out;
        }
        break;
      case INSTANT:
        if (raw instanceof OffsetDateTime o) {
          return o.toInstant();
        } else if (raw instanceof Timestamp t) {
          return t.toInstant();
        } else if (raw instanceof LocalDateTime l) {
          return l.toInstant(ZoneOffset.UTC);
        } else if (raw instanceof Instant i) {
          return i;
        }
        break;
      case LOCAL_DATE:
        if (raw instanceof LocalDate d) {
          return d;
        } else if (raw instanceof Date d) {
          return d.toLocalDate();
        }
        break;
      case STRING_LIST:
        Object array = raw instanceof Array a ? a.getArray() : raw;
        List<String> out = new ArrayList<>();
        if (array instanceof Object[] items) {
          Arrays.stream(items).forEach(o -> out.add(o == null ? null : o.toString()));
          return Collections.unmodifiableList(out);
        } else if (array instanceof List<?> items) {
          items.forEach(o -> out.add(o == null ? null : o.toString()));
          return Collections.unmodifiableList(out);
        }
        break;
    }
    throw new MetaxyException(recordName + ": column " + name + " holds a "
        + raw.getClass().getName() + ", expected " + col.type());
  }

  private void checkNull(ColumnDef col, @Nullable Object value, String where) {
    if (value == null && !col.nullable()) {
      throw new MetaxyException(
          recordName + where + ": column " + col.name() + " is null but not @Nullable");
    }
  }

  /** Microseconds since the epoch, truncating sub-microsecond precision. */
  static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }
}
