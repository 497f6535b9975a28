package io.metaxy.filter;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jooq.Condition;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Test data held as Java columns, loadable both into an Arrow batch and into a DuckDB table, so the
 * same filter can be run by both back ends.
 */
final class SampleTable {
  static {
    // Keep test output readable: jOOQ prints a banner and a tip on first use otherwise.
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
  }

  /** SQL and Arrow type of a test column. */
  enum Type {
    BIGINT,
    INTEGER,
    DOUBLE,
    VARCHAR,
    BOOLEAN,
    TIMESTAMP,
    DATE
  }

  record Col(String name, Type type, List<Object> values) {}

  final List<Col> columns = new ArrayList<>();
  final int rows;

  SampleTable(int rows) {
    this.rows = rows;
  }

  SampleTable add(String name, Type type, Object... values) {
    if (values.length != rows) {
      throw new IllegalArgumentException(name + ": " + values.length + " values, expected " + rows);
    }
    columns.add(new Col(name, type, Arrays.asList(values)));
    return this;
  }

  Col column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  VectorSchemaRoot toArrow(BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>();
    for (Col c : columns) {
      vectors.add(vector(c, allocator));
    }
    VectorSchemaRoot root = new VectorSchemaRoot(vectors);
    root.setRowCount(rows);
    return root;
  }

  private FieldVector vector(Col c, BufferAllocator allocator) {
    switch (c.type()) {
      case BIGINT: {
        BigIntVector v = new BigIntVector(c.name(), allocator);
        v.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
          if (c.values().get(i) == null) {
            v.setNull(i);
          } else {
            v.set(i, ((Number) c.values().get(i)).longValue());
          }
        }
        v.setValueCount(rows);
        return v;
      }
      case INTEGER: {
        IntVector v = new IntVector(c.name(), allocator);
        v.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
          if (c.values().get(i) == null) {
            v.setNull(i);
          } else {
            v.set(i, ((Number) c.values().get(i)).intValue());
          }
        }
        v.setValueCount(rows);
        return v;
      }
      case DOUBLE: {
        Float8Vector v = new Float8Vector(c.name(), allocator);
        v.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
          if (c.values().get(i) == null) {
            v.setNull(i);
          } else {
            v.set(i, ((Number) c.values().get(i)).doubleValue());
          }
        }
        v.setValueCount(rows);
        return v;
      }
      case VARCHAR: {
        VarCharVector v = new VarCharVector(c.name(), allocator);
        v.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
          if (c.values().get(i) == null) {
            v.setNull(i);
          } else {
            v.setSafe(i, ((String) c.values().get(i)).getBytes(StandardCharsets.UTF_8));
          }
        }
        v.setValueCount(rows);
        return v;
      }
      case BOOLEAN: {
        BitVector v = new BitVector(c.name(), allocator);
        v.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
          if (c.values().get(i) == null) {
            v.setNull(i);
          } else {
            v.set(i, (Boolean) c.values().get(i) ? 1 : 0);
          }
        }
        v.setValueCount(rows);
        return v;
      }
      case TIMESTAMP: {
        TimeStampMicroVector v = new TimeStampMicroVector(c.name(), allocator);
        v.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
          if (c.values().get(i) == null) {
            v.setNull(i);
          } else {
            Instant t = (Instant) c.values().get(i);
            v.set(i, t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
          }
        }
        v.setValueCount(rows);
        return v;
      }
      case DATE: {
        DateDayVector v = new DateDayVector(c.name(), allocator);
        v.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
          if (c.values().get(i) == null) {
            v.setNull(i);
          } else {
            v.set(i, (int) ((LocalDate) c.values().get(i)).toEpochDay());
          }
        }
        v.setValueCount(rows);
        return v;
      }
      default:
        throw new AssertionError(c.type());
    }
  }

  /** Creates table {@code name} in DuckDB with the same data. */
  void toDuckDb(Connection conn, String name) throws SQLException {
    StringBuilder ddl = new StringBuilder("CREATE TABLE \"" + name + "\" (");
    StringBuilder insert = new StringBuilder("INSERT INTO \"" + name + "\" VALUES (");
    for (int k = 0; k < columns.size(); k++) {
      Col c = columns.get(k);
      if (k > 0) {
        ddl.append(", ");
        insert.append(", ");
      }
      ddl.append('"').append(c.name().replace("\"", "\"\"")).append("\" ").append(c.type());
      insert.append("CAST(? AS ").append(c.type()).append(')');
    }
    try (Statement st = conn.createStatement()) {
      st.execute(ddl.append(')').toString());
    }
    try (PreparedStatement ps = conn.prepareStatement(insert.append(')').toString())) {
      for (int i = 0; i < rows; i++) {
        for (int k = 0; k < columns.size(); k++) {
          Object v = columns.get(k).values().get(i);
          if (v instanceof Instant t) {
            v = LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString();
          } else if (v instanceof Double d && d.isNaN()) {
            v = "NaN";
          } else if (v != null) {
            v = v.toString();
          }
          ps.setObject(k + 1, v);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The {@code id} values of the set rows. */
  List<Long> ids(BitSet rowsSet) {
    Col id = column("id");
    List<Long> out = new ArrayList<>();
    rowsSet.stream().forEach(i -> out.add(((Number) id.values().get(i)).longValue()));
    return out;
  }

  /** The ids DuckDB selects from table {@code name} with the condition, ascending. */
  static List<Long> duckDbIds(Connection conn, String name, Condition condition) {
    return DSL.using(conn, SQLDialect.DUCKDB)
        .select(DSL.field(DSL.name("id"), Long.class))
        .from(DSL.table(DSL.name(name)))
        .where(condition)
        .orderBy(DSL.field(DSL.name("id")))
        .fetch(0, Long.class);
  }
}
