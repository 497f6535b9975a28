package io.metaxy.spark;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Rows of longs, strings and string structs to Arrow batches and back, for the embedded engine's side
 * of the differential tests. Column types come from the first non-null value.
 */
final class ArrowRows {
  private ArrowRows() {}

  /** A batch of {@code rows}; every row has the same keys. */
  static VectorSchemaRoot batch(List<Map<String, Object>> rows, BufferAllocator allocator) {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    rows.forEach(r -> names.addAll(r.keySet()));
    List<FieldVector> vectors = new ArrayList<>();
    for (String name : names) {
      List<Object> values = rows.stream().map(r -> r.get(name)).toList();
      FieldVector v = field(name, values).createVector(allocator);
      v.allocateNew();
      for (int i = 0; i < values.size(); i++) {
        set(v, i, values.get(i));
      }
      v.setValueCount(values.size());
      vectors.add(v);
    }
    VectorSchemaRoot root = new VectorSchemaRoot(vectors);
    root.setRowCount(rows.size());
    return root;
  }

  @SuppressWarnings("unchecked")
  private static Field field(String name, List<Object> values) {
    Object sample = values.stream().filter(v -> v != null).findFirst().orElse("");
    if (sample instanceof Map<?, ?>) {
      LinkedHashSet<String> children = new LinkedHashSet<>();
      values.stream()
          .filter(v -> v != null)
          .forEach(v -> children.addAll(((Map<String, Object>) v).keySet()));
      List<Field> cs = children.stream()
          .map(c -> new Field(c, FieldType.nullable(ArrowType.Utf8.INSTANCE), null))
          .toList();
      return new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), cs);
    }
    ArrowType t = sample instanceof Number ? new ArrowType.Int(64, true) : ArrowType.Utf8.INSTANCE;
    return new Field(name, FieldType.nullable(t), null);
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
    } else {
      StructVector s = (StructVector) v;
      Map<?, ?> m = (Map<?, ?>) value;
      s.setIndexDefined(i);
      for (FieldVector child : s.getChildrenFromFields()) {
        set(child, i, m.get(child.getName()));
      }
    }
  }

  /** The rows of a batch as maps (structs as maps, integers as longs, text as strings). */
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

  private static Object value(FieldVector v, int i) {
    if (v.isNull(i)) {
      return null;
    }
    if (v instanceof StructVector s) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (FieldVector child : s.getChildrenFromFields()) {
        m.put(child.getName(), value(child, i));
      }
      return m;
    }
    Object o = v.getObject(i);
    return o instanceof Number n ? (Object) n.longValue() : o.toString();
  }
}
