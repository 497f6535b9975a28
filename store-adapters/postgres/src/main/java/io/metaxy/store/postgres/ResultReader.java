package io.metaxy.store.postgres;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.jspecify.annotations.Nullable;

/** Copies a JDBC result into one Arrow batch, column by column with typed getters. */
final class ResultReader {
  /**
   * One output column: a plain column of {@code column}'s Arrow type (one result column), or, when
   * {@code structKeys} is non-null, a by-field struct read from a null flag followed by one text
   * result column per key.
   */
  record Out(String name, PgColumn column, @Nullable List<String> structKeys) {}

  private ResultReader() {}

  /** Reads every row of {@code rs}; the result columns are in {@code outs} order. */
  static VectorSchemaRoot read(ResultSet rs, List<Out> outs, BufferAllocator allocator)
      throws SQLException {
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (Out o : outs) {
        vectors.add(field(o).createVector(allocator));
      }
      for (FieldVector v : vectors) {
        v.allocateNew();
      }
      int row = 0;
      while (rs.next()) {
        int col = 1;
        for (int i = 0; i < outs.size(); i++) {
          Out o = outs.get(i);
          set(rs, col, o, vectors.get(i), row);
          col += o.structKeys() == null ? 1 : 1 + o.structKeys().size();
        }
        row++;
      }
      for (FieldVector v : vectors) {
        v.setValueCount(row);
      }
      VectorSchemaRoot root = new VectorSchemaRoot(vectors);
      root.setRowCount(row);
      return root;
    } catch (SQLException | RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
  }

  private static Field field(Out o) {
    if (o.structKeys() != null) {
      List<Field> children = new ArrayList<>();
      for (String k : o.structKeys()) {
        children.add(Field.nullable(k, ArrowType.Utf8.INSTANCE));
      }
      return new Field(o.name(), FieldType.nullable(ArrowType.Struct.INSTANCE), children);
    }
    if (o.column().nested() != null) {
      Field f = o.column().nested();
      return new Field(o.name(), f.getFieldType(), f.getChildren());
    }
    return Field.nullable(o.name(), o.column().arrowType());
  }

  private static void set(ResultSet rs, int i, Out o, FieldVector v, int row) throws SQLException {
    if (o.structKeys() != null) {
      StructVector s = (StructVector) v;
      if (rs.getBoolean(i)) {
        s.setNull(row);
        return;
      }
      s.setIndexDefined(row);
      for (int k = 0; k < o.structKeys().size(); k++) {
        VarCharVector c = (VarCharVector) s.getChildByOrdinal(k);
        String x = rs.getString(i + 1 + k);
        if (x == null) {
          c.setNull(row);
        } else {
          c.setSafe(row, x.getBytes(StandardCharsets.UTF_8));
        }
      }
      return;
    }
    if (o.column().nested() != null) {
      JsonCells.set(v, row, rs.getString(i));
    } else if (v instanceof VarCharVector s) {
      String x = rs.getString(i);
      if (x == null) {
        s.setNull(row);
      } else {
        s.setSafe(row, x.getBytes(StandardCharsets.UTF_8));
      }
    } else if (v instanceof BigIntVector b) {
      long x = rs.getLong(i);
      if (rs.wasNull()) {
        b.setNull(row);
      } else {
        b.setSafe(row, x);
      }
    } else if (v instanceof IntVector b) {
      int x = rs.getInt(i);
      if (rs.wasNull()) {
        b.setNull(row);
      } else {
        b.setSafe(row, x);
      }
    } else if (v instanceof SmallIntVector b) {
      short x = rs.getShort(i);
      if (rs.wasNull()) {
        b.setNull(row);
      } else {
        b.setSafe(row, x);
      }
    } else if (v instanceof Float8Vector b) {
      double x = rs.getDouble(i);
      if (rs.wasNull()) {
        b.setNull(row);
      } else {
        b.setSafe(row, x);
      }
    } else if (v instanceof Float4Vector b) {
      float x = rs.getFloat(i);
      if (rs.wasNull()) {
        b.setNull(row);
      } else {
        b.setSafe(row, x);
      }
    } else if (v instanceof BitVector b) {
      boolean x = rs.getBoolean(i);
      if (rs.wasNull()) {
        b.setNull(row);
      } else {
        b.setSafe(row, x ? 1 : 0);
      }
    } else if (v instanceof TimeStampMicroTZVector t) {
      OffsetDateTime x = rs.getObject(i, OffsetDateTime.class);
      if (x == null) {
        t.setNull(row);
      } else {
        t.setSafe(row, micros(x.toLocalDateTime().minusSeconds(x.getOffset().getTotalSeconds())));
      }
    } else if (v instanceof TimeStampMicroVector t) {
      LocalDateTime x = rs.getObject(i, LocalDateTime.class);
      if (x == null) {
        t.setNull(row);
      } else {
        t.setSafe(row, micros(x));
      }
    } else if (v instanceof DateDayVector d) {
      LocalDate x = rs.getObject(i, LocalDate.class);
      if (x == null) {
        d.setNull(row);
      } else {
        d.setSafe(row, (int) x.toEpochDay());
      }
    } else if (v instanceof DecimalVector d) {
      BigDecimal x = rs.getBigDecimal(i);
      if (x == null) {
        d.setNull(row);
      } else {
        d.setSafe(row, x.setScale(d.getScale()));
      }
    } else if (v instanceof VarBinaryVector b) {
      byte[] x = rs.getBytes(i);
      if (x == null) {
        b.setNull(row);
      } else {
        b.setSafe(row, x);
      }
    } else {
      throw new IllegalStateException(
          "no reader for column " + o.name() + " of type " + v.getField().getType());
    }
  }

  private static long micros(LocalDateTime utc) {
    return Math.addExact(
        Math.multiplyExact(utc.toEpochSecond(ZoneOffset.UTC), 1_000_000L), utc.getNano() / 1_000L);
  }
}
