package io.metaxy.store.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Writes JSON values (as {@link PgText#json} encodes them) into Arrow vectors of a known nested type:
 * the read side of {@code auto_cast_struct_for_jsonb}.
 */
final class JsonCells {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonCells() {}

  /** Parses {@code json} into {@code v} at {@code row}; a null string is a null cell. */
  static void set(FieldVector v, int row, String json) {
    if (json == null) {
      v.setNull(row);
      return;
    }
    try {
      set(v, row, JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "column '" + v.getName() + "' holds invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static void set(FieldVector v, int row, JsonNode n) {
    if (n == null || n.isNull()) {
      v.setNull(row);
      return;
    }
    if (v instanceof MapVector m) {
      int start = m.startNewValue(row);
      StructVector entries = (StructVector) m.getDataVector();
      int i = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
          it.hasNext();
          i++) {
        Map.Entry<String, JsonNode> e = it.next();
        entries.setIndexDefined(start + i);
        set(
            (FieldVector) entries.getChildByOrdinal(0),
            start + i,
            JSON.getNodeFactory().textNode(e.getKey()));
        set((FieldVector) entries.getChildByOrdinal(1), start + i, e.getValue());
      }
      m.endValue(row, i);
      return;
    }
    if (v instanceof ListVector l) {
      int start = l.startNewValue(row);
      for (int i = 0; i < n.size(); i++) {
        set(l.getDataVector(), start + i, n.get(i));
      }
      l.endValue(row, n.size());
      return;
    }
    if (v instanceof StructVector s) {
      s.setIndexDefined(row);
      for (String child : s.getChildFieldNames()) {
        set(s.getChild(child), row, n.get(child));
      }
      return;
    }
    ArrowType t = v.getField().getType();
    if (v instanceof BaseVariableWidthVector x
        && (t instanceof ArrowType.Utf8 || t instanceof ArrowType.Binary)) {
      // Jackson writes byte arrays as base64 strings.
      byte[] bytes = t instanceof ArrowType.Binary
          ? Base64.getDecoder().decode(n.textValue())
          : (n.isTextual() ? n.textValue() : n.toString()).getBytes(StandardCharsets.UTF_8);
      x.setSafe(row, bytes);
    } else if (v instanceof BaseLargeVariableWidthVector x
        && (t instanceof ArrowType.LargeUtf8 || t instanceof ArrowType.LargeBinary)) {
      byte[] bytes = t instanceof ArrowType.LargeBinary
          ? Base64.getDecoder().decode(n.textValue())
          : (n.isTextual() ? n.textValue() : n.toString()).getBytes(StandardCharsets.UTF_8);
      x.setSafe(row, bytes);
    } else if (v instanceof BigIntVector x) {
      x.setSafe(row, n.longValue());
    } else if (v instanceof IntVector x) {
      x.setSafe(row, n.intValue());
    } else if (v instanceof SmallIntVector x) {
      x.setSafe(row, (short) n.intValue());
    } else if (v instanceof TinyIntVector x) {
      x.setSafe(row, (byte) n.intValue());
    } else if (v instanceof BaseIntVector x) {
      x.setUnsafeWithPossibleTruncate(row, n.longValue());
    } else if (v instanceof Float8Vector x) {
      x.setSafe(row, n.isTextual() ? Double.parseDouble(n.textValue()) : n.doubleValue());
    } else if (v instanceof Float4Vector x) {
      x.setSafe(row, n.isTextual() ? Float.parseFloat(n.textValue()) : n.floatValue());
    } else if (v instanceof BitVector x) {
      x.setSafe(row, n.booleanValue() ? 1 : 0);
    } else if (v instanceof DateDayVector x) {
      x.setSafe(row, (int) LocalDate.parse(n.textValue()).toEpochDay());
    } else if (v instanceof DecimalVector x) {
      x.setSafe(row, new BigDecimal(n.asText()).setScale(x.getScale()));
    } else if (v instanceof TimeStampVector x) {
      String s = n.textValue();
      Instant i =
          s.endsWith("Z") ? Instant.parse(s) : LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
      long micros =
          Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000L);
      ArrowType.Timestamp ts = (ArrowType.Timestamp) t;
      long raw = switch (ts.getUnit()) {
        case SECOND -> Math.floorDiv(micros, 1_000_000L);
        case MILLISECOND -> Math.floorDiv(micros, 1_000L);
        case MICROSECOND -> micros;
        case NANOSECOND -> Math.multiplyExact(micros, 1_000L);
      };
      x.setSafe(row, raw);
    } else {
      throw new IllegalArgumentException(
          "column '" + v.getName() + "': cannot read JSON into Arrow type " + t);
    }
  }
}
