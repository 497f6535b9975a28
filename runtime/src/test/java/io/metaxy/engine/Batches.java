package io.metaxy.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.util.Text;

/** Test helper: small Arrow batches from row maps (longs, strings, and maps for string structs). */
final class Batches {
  private Batches() {}

  /** A row from alternating column names and values. */
  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A struct value from alternating child names and string values. */
  static Map<String, Object> struct(Object... kv) {
    return row(kv);
  }

  /** A batch holding the rows; a column's type comes from its first non-null value. */
  @SuppressWarnings("unchecked")
  static VectorSchemaRoot of(BufferAllocator allocator, List<Map<String, Object>> rows) {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    rows.forEach(r -> names.addAll(r.keySet()));
    List<FieldVector> vectors = new ArrayList<>();
    for (String name : names) {
      Object sample =
          rows.stream().map(r -> r.get(name)).filter(v -> v != null).findFirst().orElse("");
      Field field;
      if (sample instanceof Map<?, ?>) {
        LinkedHashSet<String> children = new LinkedHashSet<>();
        rows.forEach(r -> {
          if (r.get(name) instanceof Map<?, ?> m) {
            children.addAll((Set<String>) m.keySet());
          }
        });
        List<Field> cs = new ArrayList<>();
        children.forEach(
            c -> cs.add(new Field(c, FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
        field = new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), cs);
      } else if (sample instanceof Number) {
        field = new Field(name, FieldType.nullable(new ArrowType.Int(64, true)), null);
      } else {
        field = new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
      }
      FieldVector v = field.createVector(allocator);
      v.allocateNew();
      for (int i = 0; i < rows.size(); i++) {
        set(v, i, rows.get(i).get(name));
      }
      v.setValueCount(rows.size());
      vectors.add(v);
    }
    VectorSchemaRoot root = new VectorSchemaRoot(vectors);
    root.setRowCount(rows.size());
    return root;
  }

  private static void set(FieldVector v, int i, Object value) {
    if (value == null) {
      if (v instanceof StructVector s) {
        s.setNull(i);
      } else {
        v.setNull(i);
      }
    } else if (v instanceof BigIntVector b) {
      b.setSafe(i, ((Number) value).longValue());
    } else if (v instanceof VarCharVector s) {
      s.setSafe(i, value.toString().getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof StructVector s) {
      s.setIndexDefined(i);
      for (FieldVector c : s.getChildrenFromFields()) {
        set(c, i, ((Map<?, ?>) value).get(c.getName()));
      }
    }
  }

  /** The rows of a batch as maps (longs, strings, maps for structs). */
  static List<Map<String, Object>> rows(VectorSchemaRoot root) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < root.getRowCount(); i++) {
      Map<String, Object> r = new LinkedHashMap<>();
      for (FieldVector v : root.getFieldVectors()) {
        r.put(v.getName(), value(v, i));
      }
      out.add(r);
    }
    return out;
  }

  static Object value(FieldVector v, int i) {
    if (v.isNull(i)) {
      return null;
    }
    if (v instanceof StructVector s) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (FieldVector c : s.getChildrenFromFields()) {
        m.put(c.getName(), value(c, i));
      }
      return m;
    }
    Object o = v.getObject(i);
    return o instanceof Text t ? t.toString() : o;
  }

  /** Values of one column, in row order. */
  static List<Object> column(VectorSchemaRoot root, String name) {
    List<Object> out = new ArrayList<>();
    FieldVector v = root.getVector(name);
    for (int i = 0; i < root.getRowCount(); i++) {
      out.add(value(v, i));
    }
    return out;
  }
}
