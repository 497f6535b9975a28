package io.metaxy.store.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaxy.store.support.ArrowBatches;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.jspecify.annotations.Nullable;

/**
 * Arrow cells as PostgreSQL text input, the form both COPY and text-typed binds accept; the server
 * parses it by the target column's type. By-field and other nested values become JSON objects.
 */
final class PgText {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private PgText() {}

  /** A cell as PostgreSQL input text, or {@code null} for a null cell. */
  static @Nullable String of(FieldVector v, int row) {
    if (v.isNull(row)) {
      return null;
    }
    ArrowType t = v.getField().getType();
    if (t instanceof ArrowType.Utf8) {
      return new String(((BaseVariableWidthVector) v).get(row), StandardCharsets.UTF_8);
    }
    if (t instanceof ArrowType.LargeUtf8) {
      return (String) ArrowBatches.value(v, row);
    }
    if (t instanceof ArrowType.Timestamp ts) {
      long micros =
          Objects.requireNonNull(ArrowBatches.micros(v, row), "null cells returned above");
      Instant i = Instant.ofEpochSecond(
          Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
      // A zone-less timestamp is a wall-clock reading: written without offset so the server keeps
      // it.
      return ts.getTimezone() != null
          ? i.toString()
          : LocalDateTime.ofInstant(i, ZoneOffset.UTC).toString();
    }
    if (t instanceof ArrowType.Binary
        || t instanceof ArrowType.LargeBinary
        || t instanceof ArrowType.FixedSizeBinary) {
      return hex((byte[]) v.getObject(row));
    }
    if (t instanceof ArrowType.Struct
        || t instanceof ArrowType.Map
        || t instanceof ArrowType.List
        || t instanceof ArrowType.LargeList) {
      return json(v, row);
    }
    Object o = ArrowBatches.value(v, row);
    if (o instanceof Boolean b) {
      return b ? "t" : "f";
    }
    if (o instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return String.valueOf(o);
  }

  private static String hex(byte[] bytes) {
    char[] out = new char[2 + bytes.length * 2];
    out[0] = '\\';
    out[1] = 'x';
    for (int i = 0; i < bytes.length; i++) {
      out[2 + 2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      out[3 + 2 * i] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }

  /**
   * A nested cell as JSON. Null struct children are left out, so a by-field value read back with a
   * wider key set (absent keys as null) is written back unchanged.
   */
  static String json(FieldVector v, int row) {
    if (v instanceof StructVector s && allUtf8(s)) {
      // The by-field hot path: a struct of strings, encoded without building a tree.
      StringBuilder sb = new StringBuilder(64).append('{');
      boolean first = true;
      for (String name : s.getChildFieldNames()) {
        FieldVector c = s.getChild(name);
        if (c.isNull(row)) {
          continue;
        }
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, name);
        sb.append(':');
        quote(sb, new String(((BaseVariableWidthVector) c).get(row), StandardCharsets.UTF_8));
      }
      return sb.append('}').toString();
    }
    try {
      return JSON.writeValueAsString(plain(v, row));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "column '" + v.getName() + "' row " + row + " cannot be encoded as JSON: "
              + e.getMessage(),
          e);
    }
  }

  private static boolean allUtf8(StructVector s) {
    return s.getField().getChildren().stream().allMatch(c -> c.getType() instanceof ArrowType.Utf8);
  }

  /** A cell as a Jackson-serialisable tree; null struct children are omitted. */
  private static @Nullable Object plain(FieldVector v, int row) {
    if (v.isNull(row)) {
      return null;
    }
    if (v instanceof StructVector s) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (String name : s.getChildFieldNames()) {
        Object c = plain(s.getChild(name), row);
        if (c != null) {
          m.put(name, c);
        }
      }
      return m;
    }
    if (v instanceof MapVector m) {
      Map<String, Object> out = new LinkedHashMap<>();
      StructVector entries = (StructVector) m.getDataVector();
      FieldVector keys = (FieldVector) entries.getChildByOrdinal(0);
      FieldVector values = (FieldVector) entries.getChildByOrdinal(1);
      for (int i = m.getElementStartIndex(row); i < m.getElementEndIndex(row); i++) {
        out.put(String.valueOf(ArrowBatches.value(keys, i)), plain(values, i));
      }
      return out;
    }
    if (v instanceof ListVector l) {
      List<Object> out = new ArrayList<>();
      for (int i = l.getElementStartIndex(row); i < l.getElementEndIndex(row); i++) {
        out.add(plain(l.getDataVector(), i));
      }
      return out;
    }
    if (v instanceof TimeStampVector) {
      return of(v, row);
    }
    Object o = ArrowBatches.value(v, row);
    return o instanceof Instant || o instanceof LocalDate ? o.toString() : o;
  }

  /** Appends a JSON string literal. */
  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** Appends a value escaped for COPY's text format ({@code \N} for null). */
  static void copyEscape(StringBuilder sb, @Nullable String s) {
    if (s == null) {
      sb.append("\\N");
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
  }
}
