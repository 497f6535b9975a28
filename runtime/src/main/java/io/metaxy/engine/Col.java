package io.metaxy.engine;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * A lazily gathered column: row {@code r} of the column is row {@code rows[r]} of {@code vec} (or row
 * {@code r} when {@code rows} is null), null where that index is negative. Joins compose row mappings
 * instead of copying values, so values are copied once, when a result batch is built.
 */
final class Col {
  final String name;
  final FieldVector vec;
  /** The struct whose null rows also make this (child) column null, or null. */
  final StructVector parent;
  final int[] rows;
  /** Where to read when this column's value is null (coalesce, e.g. id columns of a full join), or null. */
  final Col orElse;
  private final Kind kind;

  private enum Kind {
    INT,
    BYTES,
    TIMESTAMP,
    OTHER
  }

  Col(String name, FieldVector vec, StructVector parent, int[] rows, Col orElse) {
    this.name = name;
    this.vec = vec;
    this.parent = parent;
    this.rows = rows;
    this.orElse = orElse;
    if (vec instanceof BaseIntVector) {
      kind = Kind.INT;
    } else if (vec instanceof BaseVariableWidthVector) {
      kind = Kind.BYTES;
    } else if (vec instanceof TimeStampVector) {
      kind = Kind.TIMESTAMP;
    } else {
      kind = Kind.OTHER;
    }
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
    return s < 0 || (parent != null && parent.isNull(s)) || vec.isNull(s);
  }

  /** Resolves {@code r} to the column and source row that holds its value; null when the value is null. */
  Col source(int r, int[] sourceRow) {
    Col c = this;
    int rr = r;
    while (c != null) {
      int s = c.row(rr);
      if (!c.nullAtSource(s)) {
        sourceRow[0] = s;
        return c;
      }
      c = c.orElse;
    }
    return null;
  }

  boolean isNull(int r) {
    int s = row(r);
    if (!nullAtSource(s)) {
      return false;
    }
    return orElse == null || orElse.isNull(r);
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
    if (kind == Kind.BYTES) {
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
    switch (kind) {
      case INT:
        return mix(((BaseIntVector) vec).getValueAsLong(s));
      case TIMESTAMP:
        return mix(((TimeStampVector) vec).get(s));
      case BYTES:
        BaseVariableWidthVector v = (BaseVariableWidthVector) vec;
        long start = v.getStartOffset(s);
        return ByteFunctionHelpers.hash(v.getDataBuffer(), start, start + v.getValueLength(s));
      default:
        return vec.getObject(s).hashCode();
    }
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
    return Col.equalAt(a, sa[0], b, sb[0]);
  }

  private static boolean equalAt(Col a, int s, Col b, int t) {
    if (a.kind == Kind.INT && b.kind == Kind.INT) {
      return ((BaseIntVector) a.vec).getValueAsLong(s) == ((BaseIntVector) b.vec).getValueAsLong(t);
    }
    if (a.kind == Kind.BYTES && b.kind == Kind.BYTES) {
      BaseVariableWidthVector x = (BaseVariableWidthVector) a.vec;
      BaseVariableWidthVector y = (BaseVariableWidthVector) b.vec;
      long xs = x.getStartOffset(s);
      long ys = y.getStartOffset(t);
      ArrowBuf xb = x.getDataBuffer();
      return ByteFunctionHelpers.equal(xb, xs, xs + x.getValueLength(s), y.getDataBuffer(), ys, ys + y.getValueLength(t)) == 1;
    }
    if (a.kind == Kind.TIMESTAMP && b.kind == Kind.TIMESTAMP) {
      return ((TimeStampVector) a.vec).get(s) == ((TimeStampVector) b.vec).get(t);
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
    if (a.kind == Kind.INT && b.kind == Kind.INT) {
      return Long.compare(((BaseIntVector) a.vec).getValueAsLong(s), ((BaseIntVector) b.vec).getValueAsLong(t));
    }
    if (a.kind == Kind.BYTES && b.kind == Kind.BYTES) {
      BaseVariableWidthVector x = (BaseVariableWidthVector) a.vec;
      BaseVariableWidthVector y = (BaseVariableWidthVector) b.vec;
      long xs = x.getStartOffset(s);
      long ys = y.getStartOffset(t);
      return ByteFunctionHelpers.compare(
          x.getDataBuffer(), xs, xs + x.getValueLength(s), y.getDataBuffer(), ys, ys + y.getValueLength(t));
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
}
