package io.metaxy.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.StructVector;
import org.jspecify.annotations.Nullable;

/**
 * A lazily gathered column: row {@code r} of the column is row {@code rows[r]} of {@code vec} (or row
 * {@code r} when {@code rows} is null), null where that index is negative. Joins compose row mappings
 * instead of copying values, so values are copied once, when a result batch is built.
 */
final class Col {
  final String name;
  final FieldVector vec;
  /** The struct whose null rows also make this (child) column null, or null. */
  final @Nullable StructVector parent;

  final int @Nullable [] rows;
  /** Where to read when this column's value is null (coalesce, e.g. id columns of a full join), or null. */
  final @Nullable Col orElse;

  private final Kind kind;
  // Raw buffer addresses: the per-row paths read Arrow memory directly, skipping ArrowBuf's bounds
  // and reference-count checks, which otherwise dominate profiles. Inputs are not modified while in
  // use.
  private final long validity;
  private final long parentValidity;
  private final long offsets;
  private final long data;

  private static final VarHandle NATIVE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private enum Kind {
    LONG,
    INT,
    OTHER_INT,
    UTF8,
    BYTES,
    OTHER
  }

  Col(
      String name,
      FieldVector vec,
      @Nullable StructVector parent,
      int @Nullable [] rows,
      @Nullable Col orElse) {
    this.name = name;
    this.vec = vec;
    this.parent = parent;
    this.rows = rows;
    this.orElse = orElse;
    if (vec instanceof BigIntVector || vec instanceof TimeStampVector) {
      kind = Kind.LONG;
    } else if (vec instanceof IntVector) {
      kind = Kind.INT;
    } else if (vec instanceof BaseIntVector) {
      kind = Kind.OTHER_INT;
    } else if (vec instanceof VarCharVector) {
      kind = Kind.UTF8;
    } else if (vec instanceof BaseVariableWidthVector) {
      kind = Kind.BYTES;
    } else {
      kind = Kind.OTHER;
    }
    // Without nulls there is no bitmap to consult (address 0 reads as "valid"): the common case of
    // fully populated id and version columns then skips two memory reads per value.
    this.validity = vec.getNullCount() == 0 ? 0 : address(vec.getValidityBuffer());
    this.parentValidity =
        parent == null || parent.getNullCount() == 0 ? 0 : address(parent.getValidityBuffer());
    if (kind == Kind.UTF8) {
      offsets = address(vec.getOffsetBuffer());
      data = address(vec.getDataBuffer());
    } else if (kind == Kind.LONG || kind == Kind.INT) {
      offsets = 0;
      data = address(((BaseFixedWidthVector) vec).getDataBuffer());
    } else {
      offsets = 0;
      data = 0;
    }
  }

  private static long address(@Nullable ArrowBuf b) {
    return b == null || b.capacity() == 0 ? 0 : b.memoryAddress();
  }

  /** Whether bit {@code i} of the validity bitmap at {@code addr} is set; no bitmap means all valid. */
  private static boolean valid(long addr, int i) {
    return addr == 0 || ((MemoryUtil.getByte(addr + (i >> 3)) >> (i & 7)) & 1) != 0;
  }

  static Col of(String name, FieldVector vec) {
    return new Col(name, vec, null, null, null);
  }

  Col renamed(String newName) {
    return new Col(newName, vec, parent, rows, orElse);
  }

  /** This column seen through a row mapping (negative entries are null rows). */
  Col remap(int[] map) {
    int[] composed;
    if (rows == null) {
      composed = map;
    } else {
      composed = new int[map.length];
      for (int i = 0; i < map.length; i++) {
        int m = map[i];
        composed[i] = m < 0 ? -1 : rows[m];
      }
    }
    return new Col(name, vec, parent, composed, orElse == null ? null : orElse.remap(map));
  }

  Col withFallback(Col fallback) {
    return new Col(name, vec, parent, rows, fallback);
  }

  /** The source row of {@code r} in {@link #vec}, or -1. */
  int row(int r) {
    return rows == null ? r : rows[r];
  }

  /** Whether the value of this column (not its fallback) is null at source row {@code s}. */
  boolean nullAtSource(int s) {
    if (s < 0) {
      return true;
    }
    if (kind == Kind.OTHER || kind == Kind.BYTES || kind == Kind.OTHER_INT) {
      return (parent != null && parent.isNull(s)) || vec.isNull(s);
    }
    return !valid(validity, s) || (parent != null && !valid(parentValidity, s));
  }

  /** Resolves {@code r} to the column and source row that holds its value; null when the value is null. */
  @Nullable
  Col source(int r, int[] sourceRow) {
    Col c = this;
    while (c != null) {
      int s = c.row(r);
      if (!c.nullAtSource(s)) {
        sourceRow[0] = s;
        return c;
      }
      c = c.orElse;
    }
    return null;
  }

  boolean isNull(int r) {
    if (!nullAtSource(row(r))) {
      return false;
    }
    return orElse == null || orElse.isNull(r);
  }

  /**
   * Loads part of the memory that row {@code r}'s value lives in, without using it. Callers touch a
   * block of rows ahead of the real reads, in a pipeline: stage 1 (validity, string offsets, fixed-width
   * values) for a block two ahead, stage 2 (the first string bytes, whose address stage 1 loaded) for the
   * next block. The loads of a stage do not depend on each other, so the CPU overlaps their cache misses,
   * which matters when a row mapping or a hash table scatters reads over a large vector.
   *
   * @return a value derived from the loads, for the caller to keep them from being optimised away
   */
  long touch(int r, int stage) {
    int s = row(r);
    if (s < 0 || data == 0) {
      return 0;
    }
    if (stage == 1) {
      long x = 0;
      if (validity != 0) {
        x += MemoryUtil.getByte(validity + (s >> 3));
      }
      if (parentValidity != 0) {
        x += MemoryUtil.getByte(parentValidity + (s >> 3));
      }
      return x
          + switch (kind) {
            case UTF8 -> MemoryUtil.getInt(offsets + 4L * s);
            case LONG -> MemoryUtil.getLong(data + 8L * s);
            case INT -> MemoryUtil.getInt(data + 4L * s);
            default -> 0;
          };
    }
    if (kind != Kind.UTF8) {
      return 0;
    }
    int start = MemoryUtil.getInt(offsets + 4L * s);
    int end = MemoryUtil.getInt(offsets + 4L * s + 4);
    // Reads a data byte only when there is one (never past the buffer); the last byte's line too
    // when the value straddles two cache lines.
    return end > start ? MemoryUtil.getByte(data + start) + MemoryUtil.getByte(data + end - 1) : 0;
  }

  /** Whether reads of this column go through a row mapping (so may be scattered). */
  boolean mapped() {
    return rows != null;
  }

  private long longAt(int s) {
    return switch (kind) {
      case LONG -> MemoryUtil.getLong(data + 8L * s);
      case INT -> MemoryUtil.getInt(data + 4L * s);
      default -> ((BaseIntVector) vec).getValueAsLong(s);
    };
  }

  private boolean integral() {
    return kind == Kind.LONG || kind == Kind.INT || kind == Kind.OTHER_INT;
  }

  /**
   * Appends the UTF-8 text of row {@code r} (strings as is, other values via their string form) to
   * {@code out}.
   *
   * @return false when the value is null (nothing appended)
   */
  boolean appendText(int r, ByteBuf out) {
    int s = row(r);
    if (nullAtSource(s)) {
      return orElse != null && orElse.appendText(r, out);
    }
    if (kind == Kind.UTF8) {
      int start = MemoryUtil.getInt(offsets + 4L * s);
      int len = MemoryUtil.getInt(offsets + 4L * s + 4) - start;
      out.ensure(len);
      long src = data + start;
      if (len <= 32) {
        // Short values (hashes, ids) are copied a word at a time: cheaper than a bulk-copy call.
        byte[] a = out.a;
        int p = out.len;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
          NATIVE_LONG.set(a, p + i, MemoryUtil.getLong(src + i));
        }
        for (; i < len; i++) {
          a[p + i] = MemoryUtil.getByte(src + i);
        }
      } else {
        MemoryUtil.copyFromMemory(src, out.a, out.len, len);
      }
      out.len += len;
    } else if (kind == Kind.BYTES) {
      BaseVariableWidthVector v = (BaseVariableWidthVector) vec;
      long start = v.getStartOffset(s);
      int len = v.getValueLength(s);
      out.ensure(len);
      v.getDataBuffer().getBytes(start, out.a, out.len, len);
      out.len += len;
    } else {
      out.append(String.valueOf(vec.getObject(s)).getBytes(StandardCharsets.UTF_8));
    }
    return true;
  }

  /** A hash of the value at row {@code r}, consistent with {@link #sameValue}; 0 for null. */
  int hashValue(int r) {
    int s = row(r);
    if (nullAtSource(s)) {
      return orElse != null ? orElse.hashValue(r) : 0;
    }
    if (integral()) {
      return mix(longAt(s));
    }
    if (kind == Kind.UTF8) {
      int start = MemoryUtil.getInt(offsets + 4L * s);
      int end = MemoryUtil.getInt(offsets + 4L * s + 4);
      return hashBytes(data + start, end - start);
    }
    if (kind == Kind.BYTES) {
      BaseVariableWidthVector v = (BaseVariableWidthVector) vec;
      return hashBytes(
          v.getDataBuffer().memoryAddress() + v.getStartOffset(s), v.getValueLength(s));
    }
    return vec.getObject(s).hashCode();
  }

  /** A fast multiply-rotate hash of raw bytes (Arrow's SimpleHasher collides on digit-only ids). */
  private static int hashBytes(long addr, int len) {
    long h = 0x9E3779B97F4A7C15L ^ len;
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      h = Long.rotateLeft(h ^ (MemoryUtil.getLong(addr + i) * 0xC2B2AE3D27D4EB4FL), 31)
          * 0x9E3779B185EBCA87L;
    }
    long tail = 0;
    for (int k = 0; i < len; i++, k += 8) {
      tail |= (MemoryUtil.getByte(addr + i) & 0xFFL) << k;
    }
    h = Long.rotateLeft(h ^ (tail * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B185EBCA87L;
    return mix(h);
  }

  static int mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return (int) x;
  }

  /** Whether row {@code r} of this column equals row {@code o} of {@code other}; nulls equal each other. */
  boolean sameValue(int r, Col other, int o) {
    if (orElse == null && other.orElse == null) {
      int s = row(r);
      int t = other.row(o);
      boolean an = nullAtSource(s);
      boolean bn = other.nullAtSource(t);
      return an || bn ? an == bn : equalAt(this, s, other, t);
    }
    int[] sa = new int[1];
    int[] sb = new int[1];
    Col a = source(r, sa);
    Col b = other.source(o, sb);
    if (a == null || b == null) {
      return a == b;
    }
    return equalAt(a, sa[0], b, sb[0]);
  }

  private static boolean equalAt(Col a, int s, Col b, int t) {
    if (a.integral() && b.integral()) {
      return a.longAt(s) == b.longAt(t);
    }
    if (a.kind == Kind.UTF8 && b.kind == Kind.UTF8) {
      int as = MemoryUtil.getInt(a.offsets + 4L * s);
      int alen = MemoryUtil.getInt(a.offsets + 4L * s + 4) - as;
      int bs = MemoryUtil.getInt(b.offsets + 4L * t);
      int blen = MemoryUtil.getInt(b.offsets + 4L * t + 4) - bs;
      if (alen != blen) {
        return false;
      }
      long x = a.data + as;
      long y = b.data + bs;
      int i = 0;
      for (; i + 8 <= alen; i += 8) {
        if (MemoryUtil.getLong(x + i) != MemoryUtil.getLong(y + i)) {
          return false;
        }
      }
      for (; i < alen; i++) {
        if (MemoryUtil.getByte(x + i) != MemoryUtil.getByte(y + i)) {
          return false;
        }
      }
      return true;
    }
    if ((a.kind == Kind.UTF8 || a.kind == Kind.BYTES)
        && (b.kind == Kind.UTF8 || b.kind == Kind.BYTES)) {
      BaseVariableWidthVector x = (BaseVariableWidthVector) a.vec;
      BaseVariableWidthVector y = (BaseVariableWidthVector) b.vec;
      long xs = x.getStartOffset(s);
      long ys = y.getStartOffset(t);
      return ByteFunctionHelpers.equal(
              x.getDataBuffer(),
              xs,
              xs + x.getValueLength(s),
              y.getDataBuffer(),
              ys,
              ys + y.getValueLength(t))
          == 1;
    }
    return a.vec.getObject(s).equals(b.vec.getObject(t));
  }

  /**
   * Sort order for aggregation groups: nulls first, numbers numerically, strings by UTF-8 bytes (code
   * point order), anything else by its natural order.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  int compare(int r, int o) {
    int[] sa = new int[1];
    int[] sb = new int[1];
    Col a = source(r, sa);
    Col b = source(o, sb);
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    int s = sa[0];
    int t = sb[0];
    if (a.integral() && b.integral()) {
      return Long.compare(a.longAt(s), b.longAt(t));
    }
    if ((a.kind == Kind.UTF8 || a.kind == Kind.BYTES)
        && (b.kind == Kind.UTF8 || b.kind == Kind.BYTES)) {
      BaseVariableWidthVector x = (BaseVariableWidthVector) a.vec;
      BaseVariableWidthVector y = (BaseVariableWidthVector) b.vec;
      long xs = x.getStartOffset(s);
      long ys = y.getStartOffset(t);
      return ByteFunctionHelpers.compare(
          x.getDataBuffer(),
          xs,
          xs + x.getValueLength(s),
          y.getDataBuffer(),
          ys,
          ys + y.getValueLength(t));
    }
    Object va = a.vec.getObject(s);
    Object vb = b.vec.getObject(t);
    if (va instanceof Number na && vb instanceof Number nb) {
      return Double.compare(na.doubleValue(), nb.doubleValue());
    }
    if (va instanceof Comparable ca && va.getClass() == vb.getClass()) {
      return ca.compareTo(vb);
    }
    return String.valueOf(va).compareTo(String.valueOf(vb));
  }

  /**
   * Whether this column can take part in a merge (sorted) join: a plain, null-free view of its vector
   * holding integers or UTF-8, the same family as {@code other}.
   */
  boolean mergeable(Col other) {
    return plain()
        && other.plain()
        && ((integral() && other.integral()) || (kind == Kind.UTF8 && other.kind == Kind.UTF8));
  }

  private boolean plain() {
    return rows == null && orElse == null && parent == null && vec.getNullCount() == 0;
  }

  /**
   * Order of row {@code r} of {@code a} and row {@code o} of {@code b}, two {@link #mergeable} columns:
   * integers numerically, UTF-8 by unsigned bytes. Agrees with {@link #sameValue} on equality.
   */
  static int compareMergeable(Col a, int r, Col b, int o) {
    if (a.kind != Kind.UTF8) {
      return Long.compare(a.longAt(r), b.longAt(o));
    }
    int as = MemoryUtil.getInt(a.offsets + 4L * r);
    int alen = MemoryUtil.getInt(a.offsets + 4L * r + 4) - as;
    int bs = MemoryUtil.getInt(b.offsets + 4L * o);
    int blen = MemoryUtil.getInt(b.offsets + 4L * o + 4) - bs;
    long x = a.data + as;
    long y = b.data + bs;
    int n = Math.min(alen, blen);
    int i = 0;
    if (MemoryUtil.LITTLE_ENDIAN) {
      for (; i + 8 <= n; i += 8) {
        long p = MemoryUtil.getLong(x + i);
        long q = MemoryUtil.getLong(y + i);
        if (p != q) {
          // Byte-reversed little-endian words compare like the bytes in memory order.
          return Long.compareUnsigned(Long.reverseBytes(p), Long.reverseBytes(q));
        }
      }
    }
    for (; i < n; i++) {
      int c = (MemoryUtil.getByte(x + i) & 0xFF) - (MemoryUtil.getByte(y + i) & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(alen, blen);
  }
}
