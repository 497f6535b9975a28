package io.metaxy.store;

import io.metaxy.store.support.ArrowBatches;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Builds small Arrow batches from row maps, for store tests. Types follow the first non-null value. */
public final class TestRows {
  private TestRows() {}

  /** A row from alternating column names and values. */
  public static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A by-field map from alternating keys and values. */
  public static Map<String, String> pbf(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A batch of these rows (columns in first-appearance order). */
  @SafeVarargs
  public static VectorSchemaRoot batch(BufferAllocator a, Map<String, Object>... rows) {
    return batch(a, List.of(rows));
  }

  /** A batch of these rows (columns in first-appearance order). */
  @SuppressWarnings("unchecked")
  public static VectorSchemaRoot batch(BufferAllocator a, List<Map<String, Object>> rows) {
    List<String> names = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      for (String k : r.keySet()) {
        if (!names.contains(k)) {
          names.add(k);
        }
      }
    }
    List<FieldVector> vectors = new ArrayList<>();
    for (String name : names) {
      Object sample =
          rows.stream().map(r -> r.get(name)).filter(v -> v != null).findFirst().orElse("");
      int n = rows.size();
      if (sample instanceof Map) {
        List<String> keys = new ArrayList<>();
        List<Map<String, ?>> values = new ArrayList<>();
        for (Map<String, Object> r : rows) {
          Map<String, ?> m = (Map<String, ?>) r.get(name);
          values.add(m);
          if (m != null) {
            m.keySet().forEach(k -> {
              if (!keys.contains(k)) {
                keys.add(k);
              }
            });
          }
        }
        vectors.add(ArrowBatches.byFieldStruct(name, keys, values, a));
      } else if (sample instanceof Instant) {
        TimeStampMicroTZVector v = new TimeStampMicroTZVector(name, a, "UTC");
        v.allocateNew(n);
        for (int i = 0; i < n; i++) {
          Instant t = (Instant) rows.get(i).get(name);
          if (t != null) {
            v.setSafe(i, t.getEpochSecond() * 1_000_000L + t.getNano() / 1000);
          }
        }
        vectors.add(v);
      } else if (sample instanceof Long || sample instanceof Integer) {
        BigIntVector v = new BigIntVector(name, a);
        v.allocateNew(n);
        for (int i = 0; i < n; i++) {
          Object o = rows.get(i).get(name);
          if (o != null) {
            v.setSafe(i, ((Number) o).longValue());
          }
        }
        vectors.add(v);
      } else if (sample instanceof Double) {
        Float8Vector v = new Float8Vector(name, a);
        v.allocateNew(n);
        for (int i = 0; i < n; i++) {
          Object o = rows.get(i).get(name);
          if (o != null) {
            v.setSafe(i, (Double) o);
          }
        }
        vectors.add(v);
      } else if (sample instanceof Boolean) {
        BitVector v = new BitVector(name, a);
        v.allocateNew(n);
        for (int i = 0; i < n; i++) {
          Object o = rows.get(i).get(name);
          if (o != null) {
            v.setSafe(i, (Boolean) o ? 1 : 0);
          }
        }
        vectors.add(v);
      } else {
        VarCharVector v = new VarCharVector(name, a);
        v.allocateNew(n);
        for (int i = 0; i < n; i++) {
          Object o = rows.get(i).get(name);
          if (o != null) {
            v.setSafe(i, o.toString().getBytes(StandardCharsets.UTF_8));
          }
        }
        vectors.add(v);
      }
    }
    return ArrowBatches.of(vectors, rows.size());
  }

  /** A UTF-8 column of {@code values} ({@code null} entries are nulls). */
  public static VarCharVector strings(BufferAllocator a, String name, String... values) {
    VarCharVector v = new VarCharVector(name, a);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        v.setNull(i);
      } else {
        v.setSafe(i, values[i].getBytes(StandardCharsets.UTF_8));
      }
    }
    v.setValueCount(values.length);
    return v;
  }

  /** A column's values (normalised), in row order. */
  public static List<Object> values(VectorSchemaRoot root, String column) {
    FieldVector v = ArrowBatches.column(root, column, "result");
    List<Object> out = new ArrayList<>();
    for (int r = 0; r < root.getRowCount(); r++) {
      out.add(ArrowBatches.value(v, r));
    }
    return out;
  }

  /** A column's values as sorted strings (null → "null"). */
  public static List<String> sorted(VectorSchemaRoot root, String column) {
    List<String> out = new ArrayList<>();
    for (Object o : values(root, column)) {
      out.add(String.valueOf(o));
    }
    out.sort(null);
    return out;
  }

  /** One cell. */
  public static Object cell(VectorSchemaRoot root, String column, int row) {
    return ArrowBatches.value(ArrowBatches.column(root, column, "result"), row);
  }

  /** The row index whose {@code column} renders as {@code value}. */
  public static int rowOf(VectorSchemaRoot root, String column, Object value) {
    List<Object> vs = values(root, column);
    for (int i = 0; i < vs.size(); i++) {
      if (String.valueOf(vs.get(i)).equals(String.valueOf(value))) {
        return i;
      }
    }
    throw new AssertionError("no row with " + column + " = " + value + " in " + vs);
  }
}
