package io.metaxy.conformance;

import io.metaxy.FeatureKey;
import io.metaxy.engine.ProvenanceColumns;
import io.metaxy.engine.VersioningEngine;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.GraphJson;
import io.metaxy.json.CanonicalJson;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.util.Text;
import org.jspecify.annotations.Nullable;

/**
 * Sample-level vectors: upstream rows → expected provenance and data-version columns, run through
 * {@link VersioningEngine} on Arrow batches built from the vector's JSON rows. Its JSON ↔ Arrow helpers
 * and the row comparison serve other engines' tests too (the Spark module's).
 */
public final class SampleVectors {
  private SampleVectors() {}

  /** Thrown for vectors this build cannot run yet; they are counted as skipped. */
  static final class NotSupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotSupported(String message) {
      super(message);
    }
  }

  @SuppressWarnings("unchecked")
  static List<String> check(Map<String, Object> c) {
    String name = (String) c.get("name");
    FeatureGraph graph = FeatureGraph.of(GraphJson.fromTree(c.get("graph"), name));
    Map<String, Object> config = (Map<String, Object>) c.get("config");
    HashAlgorithm algorithm = HashAlgorithm.fromConfigName((String) config.get("hash_algorithm"));
    Truncation truncation = ConformanceVectorsTest.truncation(c);
    FeatureKey target = FeatureKey.of((String) c.get("target"));
    List<Map<String, Object>> expectedRows =
        (List<Map<String, Object>>) ((Map<String, Object>) c.get("expected")).get("rows");
    try (BufferAllocator allocator = new RootAllocator()) {
      VersioningEngine engine = new VersioningEngine(graph, algorithm, truncation, allocator);
      if ("root_write".equals(c.get("mode"))) {
        List<Map<String, Object>> input = (List<Map<String, Object>>) c.get("input_rows");
        FeatureSpec spec = graph.spec(target);
        try (VectorSchemaRoot in = batch(input, Map.of(), allocator);
            VectorSchemaRoot out =
                ProvenanceColumns.completeForWrite(in, spec, algorithm, truncation, allocator)) {
          return compare(expectedRows, rows(out));
        }
      }
      Map<String, Object> upstream = (Map<String, Object>) c.get("upstream");
      Map<String, Object> schemas =
          (Map<String, Object>) c.getOrDefault("upstream_schema", Map.of());
      Map<FeatureKey, VectorSchemaRoot> batches = new LinkedHashMap<>();
      try {
        for (Map.Entry<String, Object> e : upstream.entrySet()) {
          Map<String, String> schema =
              (Map<String, String>) schemas.getOrDefault(e.getKey(), Map.of());
          batches.put(
              FeatureKey.of(e.getKey()),
              batch((List<Map<String, Object>>) e.getValue(), schema, allocator));
        }
        try (VectorSchemaRoot out = engine.expected(target, batches)) {
          return compare(expectedRows, rows(out));
        }
      } finally {
        batches.values().forEach(VectorSchemaRoot::close);
      }
    }
  }

  /**
   * Multiset comparison of the expected rows with the produced rows, on the expected rows' columns.
   *
   * @return one line per difference, empty when they agree
   */
  public static List<String> compare(
      List<Map<String, Object>> expected, List<Map<String, Object>> got) {
    Set<String> cols = new LinkedHashSet<>();
    expected.forEach(r -> cols.addAll(r.keySet()));
    Map<String, Integer> counts = new HashMap<>();
    for (Map<String, Object> r : got) {
      counts.merge(project(r, cols), 1, Integer::sum);
    }
    List<String> errors = new ArrayList<>();
    for (Map<String, Object> r : expected) {
      String p = project(r, cols);
      Integer n = counts.get(p);
      if (n == null || n == 0) {
        errors.add("expected row not produced: " + p);
      } else {
        counts.put(p, n - 1);
      }
    }
    if (expected.size() != got.size()) {
      errors.add("row count: expected " + expected.size() + " got " + got.size());
    }
    if (!errors.isEmpty()) {
      for (Map<String, Object> r : got) {
        errors.add("  produced: " + project(r, cols));
      }
    }
    return errors;
  }

  private static String project(Map<String, Object> row, Set<String> cols) {
    Map<String, Object> m = new TreeMap<>();
    for (String c : cols) {
      Object v = row.get(c);
      m.put(c, v instanceof Integer i ? Long.valueOf(i) : v);
    }
    return CanonicalJson.write(m);
  }

  // ---- JSON rows → Arrow ---------------------------------------------------------------------

  /** A batch of the rows; column types come from {@code schema} (Polars type names) or the values. */
  @SuppressWarnings("unchecked")
  public static VectorSchemaRoot batch(
      List<Map<String, Object>> rows, Map<String, String> schema, BufferAllocator allocator) {
    LinkedHashSet<String> names = new LinkedHashSet<>(schema.keySet());
    rows.forEach(r -> names.addAll(r.keySet()));
    List<FieldVector> vectors = new ArrayList<>();
    for (String col : names) {
      List<Object> values = new ArrayList<>();
      for (Map<String, Object> r : rows) {
        values.add(r.get(col));
      }
      Field field = field(col, schema.get(col), values);
      FieldVector v = field.createVector(allocator);
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
  private static Field field(String name, String polarsType, List<Object> values) {
    String kind = kind(polarsType, values);
    if (kind.equals("struct")) {
      LinkedHashSet<String> children = structChildren(polarsType, values);
      List<Field> cs = new ArrayList<>();
      for (String ch : children) {
        cs.add(new Field(ch, FieldType.nullable(ArrowType.Utf8.INSTANCE), null));
      }
      return new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), cs);
    }
    ArrowType t = switch (kind) {
      case "int" -> new ArrowType.Int(64, true);
      case "float" -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case "bool" -> ArrowType.Bool.INSTANCE;
      case "timestamp" -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      default -> ArrowType.Utf8.INSTANCE;
    };
    return new Field(name, FieldType.nullable(t), null);
  }

  /**
   * The children of a struct column: those its Polars type names ({@code Struct({'a': String})}), then
   * any other key found in its values, in order of appearance.
   */
  @SuppressWarnings("unchecked")
  public static LinkedHashSet<String> structChildren(
      @Nullable String polarsType, List<Object> values) {
    LinkedHashSet<String> children = new LinkedHashSet<>();
    if (polarsType != null) {
      for (String part : polarsType
          .substring(polarsType.indexOf('{') + 1, polarsType.lastIndexOf('}'))
          .split(",", -1)) {
        String k = part.trim();
        if (!k.isEmpty()) {
          children.add(k.substring(1, k.indexOf('\'', 1)));
        }
      }
    }
    for (Object v : values) {
      if (v instanceof Map<?, ?> m) {
        children.addAll((Set<String>) m.keySet());
      }
    }
    return children;
  }

  /**
   * The kind of a column ({@code int}, {@code float}, {@code bool}, {@code timestamp}, {@code struct} or
   * {@code string}): from its Polars type name when the vector gives one, else from its values.
   */
  public static String kind(@Nullable String polarsType, List<Object> values) {
    return polarsType != null ? polarsKind(polarsType) : inferKind(values);
  }

  private static String polarsKind(String t) {
    if (t.startsWith("Int") || t.startsWith("UInt")) {
      return "int";
    }
    if (t.startsWith("Float")) {
      return "float";
    }
    if (t.startsWith("Boolean")) {
      return "bool";
    }
    if (t.startsWith("Datetime")) {
      return "timestamp";
    }
    if (t.startsWith("Struct")) {
      return "struct";
    }
    return "string";
  }

  private static String inferKind(List<Object> values) {
    for (Object v : values) {
      if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
        return "int";
      }
      if (v instanceof Number) {
        return "float";
      }
      if (v instanceof Boolean) {
        return "bool";
      }
      if (v instanceof Map) {
        return "struct";
      }
      if (v != null) {
        return "string";
      }
    }
    return "string";
  }

  private static void set(FieldVector v, int i, Object value) {
    if (value == null) {
      if (v instanceof StructVector s) {
        s.setNull(i);
      } else {
        v.setNull(i);
      }
      return;
    }
    if (v instanceof BigIntVector b) {
      b.setSafe(i, ((Number) value).longValue());
    } else if (v instanceof Float8Vector f) {
      f.setSafe(i, ((Number) value).doubleValue());
    } else if (v instanceof BitVector b) {
      b.setSafe(i, Boolean.TRUE.equals(value) ? 1 : 0);
    } else if (v instanceof TimeStampMicroVector t) {
      LocalDateTime ldt = LocalDateTime.parse(value.toString());
      t.setSafe(
          i,
          ChronoUnit.MICROS.between(
              LocalDateTime.of(1970, 1, 1, 0, 0), ldt.atOffset(ZoneOffset.UTC).toLocalDateTime()));
    } else if (v instanceof VarCharVector s) {
      s.setSafe(i, value.toString().getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof StructVector s) {
      Map<?, ?> m = (Map<?, ?>) value;
      s.setIndexDefined(i);
      for (FieldVector child : s.getChildrenFromFields()) {
        Object cv = m.get(child.getName());
        set(child, i, cv == null ? null : cv.toString());
      }
    } else {
      throw new IllegalArgumentException("unsupported vector " + v.getField());
    }
  }

  // ---- Arrow → rows ----------------------------------------------------------------------------

  /** The rows of a batch as maps (structs as maps, text as strings). */
  public static List<Map<String, Object>> rows(VectorSchemaRoot root) {
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
    return o instanceof Text t ? t.toString() : o;
  }
}
