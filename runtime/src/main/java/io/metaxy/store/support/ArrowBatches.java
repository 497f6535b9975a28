package io.metaxy.store.support;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.Types.MinorType;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;
import org.apache.arrow.vector.util.TransferPair;
import org.jspecify.annotations.Nullable;

/**
 * Arrow helpers shared by the store and its adapters: row selection, concatenation of batches whose
 * schemas differ, typed cell access and builders for the system-column types. Every method returning
 * a batch or vector allocates a new one the caller owns; inputs are never modified.
 */
public final class ArrowBatches {
  /** The Arrow type of the system timestamp columns: microseconds, UTC. */
  public static final ArrowType TIMESTAMP_UTC =
      new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

  private ArrowBatches() {}

  /** An empty batch of a schema. */
  public static VectorSchemaRoot empty(Schema schema, BufferAllocator allocator) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    root.allocateNew();
    root.setRowCount(0);
    return root;
  }

  /** A batch of these vectors (ownership passes to the batch). */
  public static VectorSchemaRoot of(List<FieldVector> vectors, int rowCount) {
    for (FieldVector v : vectors) {
      v.setValueCount(rowCount);
    }
    VectorSchemaRoot root = new VectorSchemaRoot(vectors);
    root.setRowCount(rowCount);
    return root;
  }

  /**
   * The rows of {@code source} at {@code rows}, in that order; an index of -1 yields a row of nulls.
   */
  public static VectorSchemaRoot take(
      VectorSchemaRoot source, int[] rows, BufferAllocator allocator) {
    List<FieldVector> out = new ArrayList<>();
    for (FieldVector v : source.getFieldVectors()) {
      out.add(takeColumn(v, rows, allocator));
    }
    return of(out, rows.length);
  }

  /** One column's values at {@code rows} (-1 = null), as a new vector. */
  public static FieldVector takeColumn(FieldVector source, int[] rows, BufferAllocator allocator) {
    FieldVector target = source.getField().createVector(allocator);
    target.allocateNew();
    for (int j = 0; j < rows.length; j++) {
      if (rows[j] >= 0) {
        target.copyFromSafe(rows[j], j, source);
      }
    }
    target.setValueCount(rows.length);
    return target;
  }

  /** A copy of a whole column under a new name. */
  public static FieldVector copyColumn(FieldVector source, String name, BufferAllocator allocator) {
    Field f = source.getField();
    FieldVector target = new Field(name, f.getFieldType(), f.getChildren()).createVector(allocator);
    target.allocateNew();
    for (int j = 0; j < source.getValueCount(); j++) {
      target.copyFromSafe(j, j, source);
    }
    target.setValueCount(source.getValueCount());
    return target;
  }

  /**
   * A vector with the same name and values sharing {@code source}'s buffers (reference counted, no
   * copy); both stay usable and must be closed separately.
   */
  public static FieldVector share(FieldVector source, BufferAllocator allocator) {
    int n = source.getValueCount();
    // Buffers can only be shared within one allocator tree (e.g. not with a batch of another
    // store).
    if (n == 0 || source.getAllocator().getRoot() != allocator.getRoot()) {
      return copyColumn(source, source.getName(), allocator);
    }
    TransferPair tp = source.getTransferPair(allocator);
    tp.splitAndTransfer(0, n);
    return (FieldVector) tp.getTo();
  }

  /** {@code source} without these columns, sharing buffers; closes {@code source}. */
  public static VectorSchemaRoot without(
      VectorSchemaRoot source, List<String> columns, BufferAllocator allocator) {
    try (source) {
      List<FieldVector> out = new ArrayList<>();
      for (FieldVector v : source.getFieldVectors()) {
        if (!columns.contains(v.getName())) {
          out.add(share(v, allocator));
        }
      }
      return of(out, source.getRowCount());
    }
  }

  /** The rows whose bit is set, in order. */
  public static VectorSchemaRoot filter(
      VectorSchemaRoot source, BitSet keep, BufferAllocator allocator) {
    return take(source, keep.stream().toArray(), allocator);
  }

  /** These columns of {@code source}, in this order, copied. */
  public static VectorSchemaRoot select(
      VectorSchemaRoot source, List<String> columns, BufferAllocator allocator) {
    List<FieldVector> in = new ArrayList<>();
    for (String c : columns) {
      in.add(column(source, c, "batch")); // every name checked before anything is allocated
    }
    List<FieldVector> out = new ArrayList<>();
    try {
      for (FieldVector v : in) {
        out.add(copyColumn(v, v.getName(), allocator));
      }
    } catch (RuntimeException | Error e) {
      out.forEach(FieldVector::close);
      throw e;
    }
    return of(out, source.getRowCount());
  }

  /** A copy of {@code source} without these columns (absent names are ignored). */
  public static VectorSchemaRoot drop(
      VectorSchemaRoot source, List<String> columns, BufferAllocator allocator) {
    List<String> keep = new ArrayList<>();
    for (Field f : source.getSchema().getFields()) {
      if (!columns.contains(f.getName())) {
        keep.add(f.getName());
      }
    }
    return select(source, keep, allocator);
  }

  /**
   * The column named {@code name}.
   *
   * @throws IllegalArgumentException naming the column and what it was looked up in
   */
  public static FieldVector column(VectorSchemaRoot root, String name, String where) {
    FieldVector v = root.getVector(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "column \"" + name + "\" not found in " + where + " (columns: " + names(root) + ")");
    }
    return v;
  }

  /** The column names of a batch, in order. */
  public static List<String> names(VectorSchemaRoot root) {
    return root.getSchema().getFields().stream().map(Field::getName).toList();
  }

  /**
   * Concatenates batches whose schemas may differ: the result has every column of any input (first
   * appearance order; a struct column gets the union of its children) and nulls where an input lacks
   * one. Columns with the same name must have the same type (structs may differ in children). A column
   * whose parts all share an earlier column's buffers comes out sharing that column's result again.
   *
   * @throws IllegalArgumentException naming the column whose types clash
   */
  public static VectorSchemaRoot concat(List<VectorSchemaRoot> batches, BufferAllocator allocator) {
    Map<String, Field> fields = new LinkedHashMap<>();
    int total = 0;
    for (VectorSchemaRoot b : batches) {
      total += b.getRowCount();
      for (Field f : b.getSchema().getFields()) {
        Field existing = fields.get(f.getName());
        fields.put(f.getName(), existing == null ? f : merge(existing, f));
      }
    }
    List<FieldVector> out = new ArrayList<>();
    // Columns whose parts all share one earlier column's buffers (data versions equal to the
    // provenance, see the engine) are concatenated once and shared again, not copied twice.
    Map<List<Object>, FieldVector> byBuffers = new HashMap<>();
    try {
      for (Field f : fields.values()) {
        List<FieldVector> parts = new ArrayList<>();
        boolean same = true;
        for (VectorSchemaRoot b : batches) {
          FieldVector source = b.getVector(f.getName());
          parts.add(source);
          same &= source != null && source.getField().equals(f);
        }
        List<Object> key = same ? bufferIdentity(f, parts) : null;
        FieldVector twin = key == null ? null : byBuffers.get(key);
        if (twin != null) {
          TransferPair tp = twin.getTransferPair(f.getName(), allocator);
          tp.splitAndTransfer(0, total);
          out.add((FieldVector) tp.getTo());
        } else if (same) {
          // The common case (every batch has the column, same type): buffer copies.
          out.add(ArrowConcat.column(parts, total, allocator));
          if (key != null && total > 0) {
            byBuffers.put(key, out.get(out.size() - 1));
          }
        } else {
          FieldVector target = f.createVector(allocator);
          out.add(target);
          target.allocateNew();
          int offset = 0;
          for (VectorSchemaRoot b : batches) {
            FieldVector source = b.getVector(f.getName());
            if (source != null) {
              copyInto(source, target, offset, b.getRowCount());
            }
            offset += b.getRowCount();
          }
          target.setValueCount(total);
        }
      }
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      throw e;
    }
    return of(out, total);
  }

  /**
   * What makes two columns' parts the same data: the type (children included, names aside) and the
   * address of every buffer of every part; null when a buffer is unallocated (address 0 says nothing).
   * Live buffers never share an address unless they are the same memory, and every part is live here.
   */
  private static @Nullable List<Object> bufferIdentity(Field f, List<FieldVector> parts) {
    List<Object> key = new ArrayList<>();
    key.add(f.getFieldType());
    key.add(f.getChildren());
    for (FieldVector v : parts) {
      key.add(v.getValueCount());
      if (!addBuffers(v, key)) {
        return null;
      }
    }
    return key;
  }

  private static boolean addBuffers(FieldVector v, List<Object> key) {
    for (ArrowBuf b : v.getFieldBuffers()) {
      if (b.memoryAddress() == 0) {
        return false;
      }
      key.add(b.memoryAddress());
    }
    for (FieldVector child : v.getChildrenFromFields()) {
      if (!addBuffers(child, key)) {
        return false;
      }
    }
    return true;
  }

  private static Field merge(Field a, Field b) {
    if (a.getType().equals(b.getType()) && a.getChildren().equals(b.getChildren())) {
      return a;
    }
    if (a.getType() instanceof ArrowType.Null) {
      return b;
    }
    if (b.getType() instanceof ArrowType.Null) {
      return a;
    }
    if (a.getType() instanceof ArrowType.Struct && b.getType() instanceof ArrowType.Struct) {
      Map<String, Field> children = new LinkedHashMap<>();
      for (Field c : a.getChildren()) {
        children.put(c.getName(), c);
      }
      for (Field c : b.getChildren()) {
        children.merge(c.getName(), c, ArrowBatches::merge);
      }
      return new Field(
          a.getName(),
          FieldType.nullable(ArrowType.Struct.INSTANCE),
          List.copyOf(children.values()));
    }
    throw new IllegalArgumentException("column \"" + a.getName() + "\" has type " + a.getType()
        + " in one batch and " + b.getType() + " in another");
  }

  private static void copyInto(FieldVector source, FieldVector target, int offset, int count) {
    if (source.getField().getType() instanceof ArrowType.Null) {
      return;
    }
    if (source.getField().getType().equals(target.getField().getType())
        && source.getField().getChildren().equals(target.getField().getChildren())) {
      for (int i = 0; i < count; i++) {
        target.copyFromSafe(i, offset + i, source);
      }
      return;
    }
    // Structs with different children: copy child by child, by name.
    StructVector s = (StructVector) source;
    StructVector t = (StructVector) target;
    for (int i = 0; i < count; i++) {
      if (!s.isNull(i)) {
        t.setIndexDefined(offset + i);
      }
    }
    for (Field child : t.getField().getChildren()) {
      FieldVector sc = s.getChild(child.getName());
      if (sc != null) {
        copyInto(sc, t.getChild(child.getName()), offset, count);
      }
    }
  }

  /**
   * A cell as a plain Java value: strings as {@link String}, integers as {@link Long}, floating point as
   * {@link Double}, booleans, timestamps as {@link Instant}, dates as {@link LocalDate}, decimals as
   * {@link BigDecimal}, structs and maps as {@code Map<String, Object>}; null for a null cell.
   */
  public static @Nullable Object value(FieldVector v, int row) {
    if (v.isNull(row)) {
      return null;
    }
    if (v instanceof VarCharVector s) {
      return new String(s.get(row), StandardCharsets.UTF_8);
    }
    if (v instanceof LargeVarCharVector s) {
      return new String(s.get(row), StandardCharsets.UTF_8);
    }
    if (v instanceof BaseIntVector i) {
      return i.getValueAsLong(row);
    }
    if (v instanceof FloatingPointVector f) {
      return f.getValueAsDouble(row);
    }
    if (v instanceof BitVector b) {
      return b.get(row) != 0;
    }
    if (v instanceof TimeStampVector t) {
      return toInstant(t.get(row), ((ArrowType.Timestamp) t.getField().getType()).getUnit());
    }
    if (v instanceof DateDayVector d) {
      return LocalDate.ofEpochDay(d.get(row));
    }
    if (v instanceof DecimalVector d) {
      return d.getObject(row);
    }
    if (v instanceof StructVector || v instanceof MapVector) {
      return byField(v, row);
    }
    Object o = v.getObject(row);
    return o instanceof Text t ? t.toString() : o;
  }

  /** Microseconds since the epoch of a timestamp cell, or {@code null}. */
  public static @Nullable Long micros(@Nullable FieldVector v, int row) {
    if (v == null || v.isNull(row)) {
      return null;
    }
    if (!(v instanceof TimeStampVector t)) {
      throw new IllegalArgumentException("column \"" + v.getName() + "\" must be a timestamp, got "
          + v.getField().getType());
    }
    long raw = t.get(row);
    return switch (((ArrowType.Timestamp) t.getField().getType()).getUnit()) {
      case SECOND -> raw * 1_000_000L;
      case MILLISECOND -> raw * 1_000L;
      case MICROSECOND -> raw;
      case NANOSECOND -> Math.floorDiv(raw, 1_000L);
    };
  }

  private static Instant toInstant(long raw, TimeUnit unit) {
    return switch (unit) {
      case SECOND -> Instant.ofEpochSecond(raw);
      case MILLISECOND -> Instant.ofEpochMilli(raw);
      case MICROSECOND ->
        Instant.ofEpochSecond(
            Math.floorDiv(raw, 1_000_000L), Math.floorMod(raw, 1_000_000L) * 1_000L);
      case NANOSECOND ->
        Instant.ofEpochSecond(
            Math.floorDiv(raw, 1_000_000_000L), Math.floorMod(raw, 1_000_000_000L));
    };
  }

  /**
   * A by-field cell (struct or map of strings) as an ordered map, or {@code null} for a null cell.
   * Null entries are kept as null values.
   */
  public static @Nullable Map<String, @Nullable Object> byField(FieldVector v, int row) {
    if (v.isNull(row)) {
      return null;
    }
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    if (v instanceof StructVector s) {
      for (String name : s.getChildFieldNames()) {
        out.put(name, value(s.getChild(name), row));
      }
      return out;
    }
    if (v instanceof MapVector m) {
      StructVector entries = (StructVector) m.getDataVector();
      FieldVector keys = (FieldVector) entries.getChildByOrdinal(0);
      FieldVector values = (FieldVector) entries.getChildByOrdinal(1);
      int start = m.getOffsetBuffer().getInt((long) row * MapVector.OFFSET_WIDTH);
      int end = m.getOffsetBuffer().getInt((long) (row + 1) * MapVector.OFFSET_WIDTH);
      for (int i = start; i < end; i++) {
        out.put(String.valueOf(value(keys, i)), value(values, i));
      }
      return out;
    }
    throw new IllegalArgumentException("column \"" + v.getName()
        + "\" must be a struct or map, got " + v.getField().getType());
  }

  /** A UTF-8 column. */
  public static VarCharVector strings(String name, List<String> values, BufferAllocator allocator) {
    VarCharVector v = new VarCharVector(name, allocator);
    v.allocateNew(values.size());
    for (int i = 0; i < values.size(); i++) {
      String s = values.get(i);
      if (s != null) {
        v.setSafe(i, s.getBytes(StandardCharsets.UTF_8));
      }
    }
    v.setValueCount(values.size());
    return v;
  }

  /**
   * A UTF-8 column holding {@code value} in each of {@code n} rows (all null when {@code value} is
   * null), built in bulk: the same cells as {@link #strings} of {@code n} copies.
   *
   * @throws IllegalArgumentException when the column would exceed 2 GiB of string data
   */
  public static VarCharVector constantStrings(
      String name, @Nullable String value, int n, BufferAllocator allocator) {
    byte[] bytes = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    long total = (long) bytes.length * n;
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "column \"" + name + "\" would hold " + total + " bytes of string data, more than 2 GiB");
    }
    VarCharVector v = new VarCharVector(name, allocator);
    try {
      v.allocateNew(Math.max(1, total), Math.max(1, n));
      ArrowBuf validity = v.getValidityBuffer();
      validity.setZero(0, validity.capacity());
      long offsets = v.getOffsetBuffer().memoryAddress();
      for (int i = 0; i <= n; i++) {
        MemoryUtil.putInt(offsets + 4L * i, value == null ? 0 : i * bytes.length);
      }
      if (value != null && n > 0) {
        ArrowBuf data = v.getDataBuffer();
        data.setBytes(0, bytes);
        // Doubling copies: log2(n) bulk copies instead of n small ones.
        for (long filled = bytes.length; filled < total; filled *= 2) {
          long chunk = Math.min(filled, total - filled);
          MemoryUtil.copyMemory(data.memoryAddress(), data.memoryAddress() + filled, chunk);
        }
        setLeadingBits(validity, n);
      }
      v.setLastSet(n - 1);
      v.setValueCount(n);
      return v;
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }

  /** Sets the first {@code n} bits of a zeroed validity buffer. */
  private static void setLeadingBits(ArrowBuf validity, int n) {
    int full = n >>> 3;
    validity.setOne(0, full);
    for (int i = full << 3; i < n; i++) {
      BitVectorHelper.setBit(validity, i);
    }
  }

  /**
   * A timestamp column (microseconds, UTC) of {@code n} rows: each row's value of {@code given} (any
   * timestamp unit, converted as {@link #micros} does) where that is non-null, else {@code fallback}
   * (null cells when {@code fallback} is null). The same cells as {@link #timestamps} of those values,
   * without a boxed value per row.
   */
  public static TimeStampMicroTZVector timestampsOr(
      String name,
      @Nullable FieldVector given,
      @Nullable Long fallback,
      int n,
      BufferAllocator allocator) {
    TimeStampMicroTZVector v = new TimeStampMicroTZVector(name, allocator, "UTC");
    try {
      v.allocateNew(Math.max(1, n));
      ArrowBuf validity = v.getValidityBuffer();
      validity.setZero(0, validity.capacity());
      long data = v.getDataBuffer().memoryAddress();
      if (given == null || given.getNullCount() == given.getValueCount()) {
        if (fallback != null) {
          for (int i = 0; i < n; i++) {
            MemoryUtil.putLong(data + 8L * i, fallback);
          }
          setLeadingBits(validity, n);
        }
      } else {
        for (int i = 0; i < n; i++) {
          Long m = micros(given, i);
          if (m == null) {
            m = fallback;
          }
          if (m != null) {
            MemoryUtil.putLong(data + 8L * i, m);
            BitVectorHelper.setBit(validity, i);
          }
        }
      }
      v.setValueCount(n);
      return v;
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }

  /** A timestamp column (microseconds, UTC); null entries are null cells. */
  public static TimeStampMicroTZVector timestamps(
      String name, List<@Nullable Long> micros, BufferAllocator allocator) {
    return fill(new TimeStampMicroTZVector(name, allocator, "UTC"), micros);
  }

  /**
   * A timestamp column without a zone holding UTC wall-clock microseconds (for tables whose reference
   * schema has naive timestamps); null entries are null cells.
   */
  public static TimeStampMicroVector utcWallClockTimestamps(
      String name, List<@Nullable Long> micros, BufferAllocator allocator) {
    return fill(new TimeStampMicroVector(name, allocator), micros);
  }

  private static <V extends TimeStampVector> V fill(V v, List<@Nullable Long> micros) {
    v.allocateNew(micros.size());
    for (int i = 0; i < micros.size(); i++) {
      Long m = micros.get(i);
      if (m != null) {
        v.setSafe(i, m);
      }
    }
    v.setValueCount(micros.size());
    return v;
  }

  /** A struct-of-strings column with these children, in order; a null map is a null cell. */
  public static StructVector byFieldStruct(
      String name,
      List<String> keys,
      List<? extends @Nullable Map<String, ?>> rows,
      BufferAllocator allocator) {
    List<Field> children = new ArrayList<>();
    for (String k : keys) {
      children.add(Field.nullable(k, MinorType.VARCHAR.getType()));
    }
    StructVector v =
        (StructVector) new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children)
            .createVector(allocator);
    v.allocateNew();
    for (int i = 0; i < rows.size(); i++) {
      Map<String, ?> m = rows.get(i);
      if (m == null) {
        continue;
      }
      v.setIndexDefined(i);
      for (String k : keys) {
        Object value = m.get(k);
        if (value != null) {
          ((VarCharVector) v.getChild(k))
              .setSafe(i, value.toString().getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    v.setValueCount(rows.size());
    return v;
  }

  /** The tuple of these columns at a row, normalised by {@link #value} so equal ids compare equal. */
  public static List<Object> key(List<FieldVector> columns, int row) {
    List<Object> key = new ArrayList<>(columns.size());
    for (FieldVector c : columns) {
      key.add(value(c, row));
    }
    return key;
  }

  /** The columns of a batch with these names, in order (each must exist). */
  public static List<FieldVector> columns(VectorSchemaRoot root, List<String> names, String where) {
    List<FieldVector> out = new ArrayList<>();
    for (String n : names) {
      out.add(column(root, n, where));
    }
    return out;
  }

  /**
   * The positions of the latest row per id tuple, in first-appearance order of the ids. Rows rank by
   * {@code coalesce(metaxy_deleted_at, metaxy_updated_at)}; a null key loses, and among equal keys the
   * later row wins (later appends come later in a scan).
   */
  public static int[] latestPerId(VectorSchemaRoot root, List<String> idColumns) {
    List<FieldVector> ids = columns(root, idColumns, "feature table");
    FieldVector deleted = root.getVector("metaxy_deleted_at");
    FieldVector updated = root.getVector("metaxy_updated_at");
    Map<List<Object>, Integer> best = new LinkedHashMap<>();
    Map<List<Object>, Long> bestKey = new HashMap<>();
    for (int r = 0; r < root.getRowCount(); r++) {
      List<Object> id = key(ids, r);
      Long k = micros(deleted, r);
      if (k == null) {
        k = micros(updated, r);
      }
      Integer current = best.get(id);
      if (current == null) {
        best.put(id, r);
        bestKey.put(id, k);
        continue;
      }
      Long ck = bestKey.get(id);
      boolean wins = k != null && (ck == null || k >= ck);
      if (wins || (k == null && ck == null)) {
        best.put(id, r);
        bestKey.put(id, k);
      }
    }
    return best.values().stream().mapToInt(Integer::intValue).toArray();
  }

  /** Whether two normalised values are equal (numbers by value). */
  public static boolean same(@Nullable Object a, @Nullable Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return compareNumbers(x, y) == 0;
    }
    return Objects.equals(a, b);
  }

  static int compareNumbers(Number x, Number y) {
    if ((x instanceof Long || x instanceof Integer)
        && (y instanceof Long || y instanceof Integer)) {
      return Long.compare(x.longValue(), y.longValue());
    }
    return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
  }
}
