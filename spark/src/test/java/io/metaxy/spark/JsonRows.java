package io.metaxy.spark;

import io.metaxy.conformance.SampleVectors;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** JSON rows of the conformance vectors to Spark datasets and back. */
final class JsonRows {
  private JsonRows() {}

  /** A dataset of {@code rows}; column types from {@code schema} (Polars type names) or the values. */
  static Dataset<Row> dataset(
      SparkSession spark, List<Map<String, Object>> rows, Map<String, String> schema) {
    LinkedHashSet<String> names = new LinkedHashSet<>(schema.keySet());
    rows.forEach(r -> names.addAll(r.keySet()));
    List<StructField> fields = new ArrayList<>();
    for (String col : names) {
      List<Object> values = rows.stream().map(r -> r.get(col)).toList();
      fields.add(DataTypes.createStructField(col, type(schema.get(col), values), true));
    }
    StructType type = DataTypes.createStructType(fields);
    List<Row> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      Object[] values = new Object[fields.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = value(fields.get(i).dataType(), r.get(fields.get(i).name()));
      }
      out.add(RowFactory.create(values));
    }
    return spark.createDataFrame(out, type);
  }

  @SuppressWarnings("unchecked")
  private static DataType type(String polars, List<Object> values) {
    String kind = SampleVectors.kind(polars, values);
    return switch (kind) {
      case "int" -> DataTypes.LongType;
      case "float" -> DataTypes.DoubleType;
      case "bool" -> DataTypes.BooleanType;
      case "timestamp" -> DataTypes.TimestampNTZType;
      case "struct" -> {
        LinkedHashSet<String> children = SampleVectors.structChildren(polars, values);
        yield DataTypes.createStructType(children.stream()
            .map(c -> DataTypes.createStructField(c, DataTypes.StringType, true))
            .toList());
      }
      default -> DataTypes.StringType;
    };
  }

  private static Object value(DataType type, Object v) {
    if (v == null) {
      return null;
    }
    if (type.equals(DataTypes.LongType)) {
      return ((Number) v).longValue();
    }
    if (type.equals(DataTypes.DoubleType)) {
      return ((Number) v).doubleValue();
    }
    if (type.equals(DataTypes.TimestampNTZType)) {
      return LocalDateTime.parse(v.toString());
    }
    if (type instanceof StructType st) {
      Map<?, ?> m = (Map<?, ?>) v;
      Object[] children = new Object[st.fields().length];
      for (int i = 0; i < children.length; i++) {
        Object c = m.get(st.fields()[i].name());
        children[i] = c == null ? null : c.toString();
      }
      return RowFactory.create(children);
    }
    if (type.equals(DataTypes.BooleanType)) {
      return v;
    }
    return v.toString();
  }

  /** The rows of a dataset as maps (structs as maps, integers as longs). */
  static List<Map<String, Object>> collect(Dataset<Row> ds) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : ds.collectAsList()) {
      out.add(toMap(r));
    }
    return out;
  }

  private static Map<String, Object> toMap(Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (StructField f : r.schema().fields()) {
      Object v = r.get(r.fieldIndex(f.name()));
      if (v instanceof Row child) {
        v = toMap(child);
      } else if (v instanceof Integer i) {
        v = i.longValue();
      } else if (v instanceof Timestamp t) {
        v = t.toString();
      }
      m.put(f.name(), v);
    }
    return m;
  }
}
