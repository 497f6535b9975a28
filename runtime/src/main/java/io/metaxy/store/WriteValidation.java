package io.metaxy.store;

import static io.metaxy.SystemColumns.DELETED_AT;
import static io.metaxy.SystemColumns.FEATURE_VERSION;
import static io.metaxy.SystemColumns.PROJECT_VERSION;
import static io.metaxy.SystemColumns.PROVENANCE_BY_FIELD;
import static io.metaxy.SystemColumns.UPDATED_AT;

import io.metaxy.FeatureKey;
import io.metaxy.SystemColumns;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.store.support.ArrowBatches;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The one check every write passes before any backend sees the batch, so that every store accepts and
 * refuses the same batches (store spec §5). A refused batch throws {@link MetadataSchemaException}
 * naming the column and, where a value is at fault, the first offending row; nothing is written.
 *
 * <p>Types are compared without casts: a column a table already has must come with the type the
 * table was created with (the string, binary and list flavours of Arrow count as one; an all-null
 * column of {@link ArrowType.Null} fits any type), and a user column must fit the kind of value the
 * feature declares in its schema (integer, number, string, date-time, ...).
 */
final class WriteValidation {
  private WriteValidation() {}

  /**
   * Checks a user batch before its system columns are filled in.
   *
   * @param table the table's current schema, or null when the table does not exist yet
   */
  static void checkInput(
      FeatureKey key,
      FeatureDefinition def,
      VectorSchemaRoot in,
      @Nullable Schema table,
      WriteOptions opts) {
    List<String> ids = def.spec().idColumns();
    for (String id : ids) {
      FieldVector v = in.getVector(id);
      if (v == null) {
        throw fail(
            key, "id column '" + id + "' is missing (columns: " + ArrowBatches.names(in) + ")");
      }
      int row = firstNull(v);
      if (row >= 0) {
        throw fail(key, "id column '" + id + "' is null in row " + row);
      }
    }
    FieldVector pbf = in.getVector(PROVENANCE_BY_FIELD);
    if (pbf == null) {
      throw fail(
          key,
          "the batch must have a '" + PROVENANCE_BY_FIELD + "' column (columns: "
              + ArrowBatches.names(in) + ")");
    }
    List<String> fields =
        def.spec().fields().stream().map(f -> f.key().structKey()).toList();
    checkProvenanceByField(key, pbf, fields);
    if (opts.preserveFeatureVersion()) {
      FieldVector fv = in.getVector(FEATURE_VERSION);
      FieldVector pv = in.getVector(PROJECT_VERSION);
      if ((fv == null) != (pv == null)) {
        throw fail(
            key,
            "preserveFeatureVersion needs both '" + FEATURE_VERSION + "' and '" + PROJECT_VERSION
                + "'; the batch has only '" + (fv != null ? FEATURE_VERSION : PROJECT_VERSION)
                + "' (a version is never replaced silently)");
      }
      for (FieldVector v : fv == null ? List.<FieldVector>of() : List.of(fv, pv)) {
        int row = firstNull(v);
        if (row >= 0) {
          throw fail(
              key, "preserveFeatureVersion: column '" + v.getName() + "' is null in row " + row);
        }
      }
    }
    Map<String, Object> declared = properties(def);
    for (FieldVector v : in.getFieldVectors()) {
      String name = v.getName();
      ArrowType given = v.getField().getType();
      if (SystemColumns.isSystemColumn(name) || given instanceof ArrowType.Null) {
        continue; // system columns are checked when they are filled in
      }
      Field existing = table == null ? null : find(table, name);
      if (existing != null
          && !(existing.getType() instanceof ArrowType.Null)
          && !sameType(existing, v.getField())) {
        throw fail(
            key,
            (ids.contains(name) ? "id column '" : "column '") + name + "' is " + describe(existing)
                + " in the stored table but " + describe(v.getField())
                + " in the batch (values are never cast)");
      }
      String kind = declaredKind(declared.get(name));
      if (kind != null && !fitsDeclared(kind, given)) {
        throw fail(
            key,
            (ids.contains(name) ? "id column '" : "column '") + name + "' is declared " + kind
                + " but the batch has " + describe(v.getField()));
      }
    }
  }

  /**
   * Checks the batch about to be appended (system columns filled in): no two rows of one sample that
   * the read side could not order, i.e. the same ids, feature version and
   * {@code coalesce(metaxy_deleted_at, metaxy_updated_at)}.
   */
  static void checkDuplicates(FeatureKey key, List<String> ids, VectorSchemaRoot full) {
    int n = full.getRowCount();
    if (n < 2) {
      return;
    }
    List<FieldVector> keyColumns = new ArrayList<>();
    for (String id : ids) {
      keyColumns.add(full.getVector(id));
    }
    FieldVector fv = full.getVector(FEATURE_VERSION);
    FieldVector updated = full.getVector(UPDATED_AT);
    FieldVector deleted = full.getVector(DELETED_AT);
    if (keyColumns.size() == 1
        && keyColumns.get(0) instanceof BigIntVector ids1
        && strictlyIncreasing(ids1)) {
      return; // ids in ascending order (a common way to write) are distinct without hashing
    }
    long[] hashes = new long[n];
    for (FieldVector v : keyColumns) {
      mix(hashes, v);
    }
    mix(hashes, fv);
    for (int r = 0; r < n; r++) {
      hashes[r] = hashes[r] * 0x9E3779B97F4A7C15L + orderTime(updated, deleted, r);
    }
    // Almost every batch has no duplicate: one pass over an open-addressing set of the row hashes
    // shows it; only rows sharing a hash are then compared by value.
    Set<Long> shared = sharedHashes(hashes);
    if (shared.isEmpty()) {
      return;
    }
    Map<List<Object>, Integer> first = new HashMap<>();
    for (int r = 0; r < n; r++) {
      if (!shared.contains(hashes[r])) {
        continue;
      }
      List<Object> k = new ArrayList<>(ArrowBatches.key(keyColumns, r));
      k.add(fv == null ? null : ArrowBatches.value(fv, r));
      k.add(orderTime(updated, deleted, r));
      Integer earlier = first.putIfAbsent(k, r);
      if (earlier != null) {
        throw fail(
            key,
            "rows " + earlier + " and " + r + " have the same ids " + ids + " = "
                + ArrowBatches.key(keyColumns, r)
                + " (a read could not tell which one is current); write one row per sample");
      }
    }
  }

  /** Mixes a column's values into the row hashes; integer and timestamp columns without boxing. */
  private static void mix(long[] hashes, FieldVector v) {
    if (v == null) {
      return;
    }
    if (v instanceof BigIntVector b && b.getNullCount() == 0) {
      for (int r = 0; r < hashes.length; r++) {
        hashes[r] = (hashes[r] + b.get(r)) * 0x9E3779B97F4A7C15L;
      }
      return;
    }
    if (v instanceof IntVector b && b.getNullCount() == 0) {
      for (int r = 0; r < hashes.length; r++) {
        hashes[r] = (hashes[r] + b.get(r)) * 0x9E3779B97F4A7C15L;
      }
      return;
    }
    for (int r = 0; r < hashes.length; r++) {
      hashes[r] = (hashes[r] + (v.hashCode(r) & 0xffffffffL)) * 0x9E3779B97F4A7C15L;
    }
  }

  private static boolean strictlyIncreasing(BigIntVector v) {
    if (v.getNullCount() > 0) {
      return false;
    }
    for (int r = 1; r < v.getValueCount(); r++) {
      if (v.get(r) <= v.get(r - 1)) {
        return false;
      }
    }
    return true;
  }

  /** The hash values that occur more than once. */
  private static Set<Long> sharedHashes(long[] hashes) {
    int capacity = Integer.highestOneBit(Math.max(2, hashes.length) * 2 - 1) << 1;
    long[] slots = new long[capacity];
    boolean[] used = new boolean[capacity];
    Set<Long> shared = new HashSet<>();
    for (long h : hashes) {
      int i = (int) ((h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L >>> 33) & (capacity - 1);
      while (used[i] && slots[i] != h) {
        i = (i + 1) & (capacity - 1);
      }
      if (used[i]) {
        shared.add(h);
      } else {
        used[i] = true;
        slots[i] = h;
      }
    }
    return shared;
  }

  private static long orderTime(FieldVector updated, FieldVector deleted, int r) {
    if (deleted == null || deleted.isNull(r)) {
      if (updated instanceof TimeStampVector u && !u.isNull(r)) {
        return u.get(r);
      }
    } else if (deleted instanceof TimeStampVector d) {
      return d.get(r);
    }
    Long d = ArrowBatches.micros(deleted, r);
    if (d != null) {
      return d;
    }
    Long u = ArrowBatches.micros(updated, r);
    return u == null ? Long.MIN_VALUE : u;
  }

  private static void checkProvenanceByField(FeatureKey key, FieldVector pbf, List<String> fields) {
    ArrowType t = pbf.getField().getType();
    if (pbf instanceof StructVector s) {
      Set<String> given = new LinkedHashSet<>();
      for (Field c : pbf.getField().getChildren()) {
        given.add(c.getName());
      }
      checkKeys(key, given, fields, -1);
      int row = firstNull(pbf);
      if (row >= 0) {
        throw fail(key, "'" + PROVENANCE_BY_FIELD + "' is null in row " + row);
      }
      for (String f : fields) {
        FieldVector child = (FieldVector) s.getChild(f);
        row = firstNull(child);
        if (row >= 0) {
          throw fail(
              key,
              "'" + PROVENANCE_BY_FIELD + "' has no value for field '" + f + "' in row " + row);
        }
      }
      return;
    }
    if (pbf instanceof MapVector) {
      for (int r = 0; r < pbf.getValueCount(); r++) {
        Map<String, @Nullable Object> m = ArrowBatches.byField(pbf, r);
        if (m == null) {
          throw fail(key, "'" + PROVENANCE_BY_FIELD + "' is null in row " + r);
        }
        checkKeys(key, m.keySet(), fields, r);
        for (Map.Entry<String, Object> e : m.entrySet()) {
          if (e.getValue() == null) {
            throw fail(
                key,
                "'" + PROVENANCE_BY_FIELD + "' has no value for field '" + e.getKey() + "' in row "
                    + r);
          }
        }
      }
      return;
    }
    throw fail(
        key, "column '" + PROVENANCE_BY_FIELD + "' must be a Struct or Map of strings, got " + t);
  }

  private static void checkKeys(FeatureKey key, Set<String> given, List<String> fields, int row) {
    String where = row < 0 ? "" : " in row " + row;
    for (String g : given) {
      if (!fields.contains(g)) {
        throw fail(
            key,
            "'" + PROVENANCE_BY_FIELD + "' has an entry for field '" + g + "'" + where
                + ", which the feature does not declare (its fields: " + fields + ")");
      }
    }
    for (String f : fields) {
      if (!given.contains(f)) {
        throw fail(
            key,
            "'" + PROVENANCE_BY_FIELD + "' has no entry for declared field '" + f + "'" + where
                + " (its fields: " + fields + ")");
      }
    }
  }

  private static int firstNull(FieldVector v) {
    if (v.getNullCount() == 0) {
      return -1;
    }
    for (int r = 0; r < v.getValueCount(); r++) {
      if (v.isNull(r)) {
        return r;
      }
    }
    return -1;
  }

  private static @Nullable Field find(Schema s, String name) {
    for (Field f : s.getFields()) {
      if (f.getName().equals(name)) {
        return f;
      }
    }
    return null;
  }

  /** Whether a value of {@code given} is stored as is in a column of {@code stored}. */
  static boolean sameType(Field stored, Field given) {
    ArrowType a = normal(stored.getType());
    ArrowType b = normal(given.getType());
    if (b instanceof ArrowType.Null) {
      return true;
    }
    if (a instanceof ArrowType.Timestamp x && b instanceof ArrowType.Timestamp y) {
      // Stores keep the table's precision (microseconds on DuckDB and PostgreSQL) whatever the unit
      // given, as the first write that created the table did; the zone only says how an instant is
      // shown, but an instant and a wall-clock time are different values.
      return (x.getTimezone() == null) == (y.getTimezone() == null);
    }
    if (!a.equals(b)) {
      return false;
    }
    if (stored.getChildren().size() != given.getChildren().size()) {
      return a instanceof ArrowType.List
          && given.getChildren().size() == 1; // a list's child name varies
    }
    for (int i = 0; i < stored.getChildren().size(); i++) {
      Field sc = stored.getChildren().get(i);
      Field gc = given.getChildren().get(i);
      boolean named = a instanceof ArrowType.Struct;
      if ((named && !sc.getName().equals(gc.getName())) || !sameType(sc, gc)) {
        return false;
      }
    }
    return true;
  }

  private static ArrowType normal(ArrowType t) {
    if (t instanceof ArrowType.LargeUtf8 || t instanceof ArrowType.Utf8View) {
      return ArrowType.Utf8.INSTANCE;
    }
    if (t instanceof ArrowType.LargeBinary || t instanceof ArrowType.BinaryView) {
      return ArrowType.Binary.INSTANCE;
    }
    if (t instanceof ArrowType.LargeList || t instanceof ArrowType.ListView) {
      return ArrowType.List.INSTANCE;
    }
    return t;
  }

  /** The user columns' JSON-schema properties of the feature's declared schema. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(FeatureDefinition def) {
    Object p = def.featureSchema().get("properties");
    return p instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /**
   * The kind of value a JSON-schema property declares ({@code integer}, {@code number},
   * {@code boolean}, {@code string}, {@code date-time}, {@code date}, {@code binary}, {@code array},
   * {@code object}), or null when it declares none this check understands.
   */
  static @Nullable String declaredKind(@Nullable Object property) {
    if (!(property instanceof Map<?, ?> p)) {
      return null;
    }
    if (p.get("anyOf") instanceof List<?> alternatives) {
      // pydantic's Optional[X]: {anyOf: [X, {type: null}]}; anything richer is not checked.
      List<Object> nonNull = new ArrayList<>();
      for (Object a : alternatives) {
        if (!(a instanceof Map<?, ?> m && "null".equals(m.get("type")))) {
          nonNull.add(a);
        }
      }
      return nonNull.size() == 1 ? declaredKind(nonNull.get(0)) : null;
    }
    if (!(p.get("type") instanceof String type)) {
      return null;
    }
    if (type.equals("string")
        && p.get("format") instanceof String format
        && (format.equals("date-time") || format.equals("date") || format.equals("binary"))) {
      return format;
    }
    return switch (type) {
      case "integer", "number", "boolean", "string", "array", "object" -> type;
      default -> null;
    };
  }

  private static boolean fitsDeclared(String kind, ArrowType t) {
    t = normal(t);
    return switch (kind) {
      case "integer" -> t instanceof ArrowType.Int;
      case "number" ->
        t instanceof ArrowType.Int
            || t instanceof ArrowType.FloatingPoint
            || t instanceof ArrowType.Decimal;
      case "boolean" -> t instanceof ArrowType.Bool;
      // A plain string property also covers values pydantic would render as strings with a format.
      case "string" -> t instanceof ArrowType.Utf8;
      case "date-time" -> t instanceof ArrowType.Timestamp || t instanceof ArrowType.Utf8;
      case "date" -> t instanceof ArrowType.Date || t instanceof ArrowType.Utf8;
      case "binary" -> t instanceof ArrowType.Binary || t instanceof ArrowType.Utf8;
      case "array" -> t instanceof ArrowType.List || t instanceof ArrowType.FixedSizeList;
      case "object" -> t instanceof ArrowType.Struct || t instanceof ArrowType.Map;
      default -> true;
    };
  }

  /** A type as a person reads it: {@code int64}, {@code string}, {@code timestamp[us, UTC]}, {@code list<string>}. */
  static String describe(Field f) {
    ArrowType t = f.getType();
    if (t instanceof ArrowType.Int i) {
      return (i.getIsSigned() ? "int" : "uint") + i.getBitWidth();
    }
    if (t instanceof ArrowType.FloatingPoint fp) {
      return fp.getPrecision() == FloatingPointPrecision.SINGLE
          ? "float32"
          : fp.getPrecision() == FloatingPointPrecision.DOUBLE ? "float64" : "float16";
    }
    if (t instanceof ArrowType.Utf8
        || t instanceof ArrowType.LargeUtf8
        || t instanceof ArrowType.Utf8View) {
      return "string";
    }
    if (t instanceof ArrowType.Bool) {
      return "boolean";
    }
    if (t instanceof ArrowType.Timestamp ts) {
      String unit = switch (ts.getUnit()) {
        case SECOND -> "s";
        case MILLISECOND -> "ms";
        case MICROSECOND -> "us";
        case NANOSECOND -> "ns";
      };
      return "timestamp[" + unit + (ts.getTimezone() == null ? "" : ", " + ts.getTimezone()) + "]";
    }
    if ((t instanceof ArrowType.List || t instanceof ArrowType.LargeList)
        && f.getChildren().size() == 1) {
      return "list<" + describe(f.getChildren().get(0)) + ">";
    }
    if (t instanceof ArrowType.Struct) {
      List<String> cs = new ArrayList<>();
      for (Field c : f.getChildren()) {
        cs.add(c.getName() + ": " + describe(c));
      }
      return "struct<" + String.join(", ", cs) + ">";
    }
    return t.toString().toLowerCase(Locale.ROOT);
  }

  private static MetadataSchemaException fail(FeatureKey key, String what) {
    return new MetadataSchemaException(
        "cannot write " + key + ": " + what + "; nothing was written");
  }
}
