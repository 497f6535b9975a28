package io.metaxy.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes JSON trees exactly as Python's {@code json.dumps(obj, sort_keys=True)} does, because spec and
 * definition versions hash that text and must equal the reference implementation's bit for bit.
 *
 * <p>Trees are made of {@link Map} (string keys), {@link Collection}, {@link String}, {@link Boolean},
 * integral {@link Number}s, {@link Double}/{@link Float}/{@link BigDecimal}, and {@code null}.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /** One line, {@code ", "} and {@code ": "} separators, keys sorted at every depth, ASCII only. */
  public static String write(@Nullable Object tree) {
    StringBuilder out = new StringBuilder();
    write(tree, out, -1, 0);
    return out.toString();
  }

  /** Like {@link #write} but indented by two spaces, for files people read (same key order). */
  public static String writePretty(@Nullable Object tree) {
    StringBuilder out = new StringBuilder();
    write(tree, out, 2, 0);
    return out.append('\n').toString();
  }

  private static void write(@Nullable Object v, StringBuilder out, int indent, int depth) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      writeString(s, out);
    } else if (v instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte
        || v instanceof BigInteger) {
      out.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      out.append(pythonFloatRepr(((Number) v).doubleValue()));
    } else if (v instanceof BigDecimal d) {
      out.append(pythonFloatRepr(d.doubleValue()));
    } else if (v instanceof Map<?, ?> m) {
      writeMap(m, out, indent, depth);
    } else if (v instanceof Collection<?> c) {
      writeList(c, out, indent, depth);
    } else if (v instanceof Object[] a) {
      writeList(List.of(a), out, indent, depth);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  private static void writeMap(Map<?, ?> m, StringBuilder out, int indent, int depth) {
    if (m.isEmpty()) {
      out.append("{}");
      return;
    }
    List<String> keys = new ArrayList<>();
    for (Object k : m.keySet()) {
      if (!(k instanceof String s)) {
        throw new IllegalArgumentException("JSON object keys must be strings, got " + k);
      }
      keys.add(s);
    }
    keys.sort(CanonicalJson::compareCodePoints);
    out.append('{');
    for (int i = 0; i < keys.size(); i++) {
      separator(out, i, indent, depth + 1);
      writeString(keys.get(i), out);
      out.append(": ");
      write(m.get(keys.get(i)), out, indent, depth + 1);
    }
    close(out, indent, depth, '}');
  }

  private static void writeList(Collection<?> c, StringBuilder out, int indent, int depth) {
    if (c.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append('[');
    int i = 0;
    for (Object item : c) {
      separator(out, i++, indent, depth + 1);
      write(item, out, indent, depth + 1);
    }
    close(out, indent, depth, ']');
  }

  private static void separator(StringBuilder out, int index, int indent, int depth) {
    if (indent < 0) {
      if (index > 0) {
        out.append(", ");
      }
    } else {
      if (index > 0) {
        out.append(',');
      }
      out.append('\n').append(" ".repeat(indent * depth));
    }
  }

  private static void close(StringBuilder out, int indent, int depth, char bracket) {
    if (indent >= 0) {
      out.append('\n').append(" ".repeat(indent * depth));
    }
    out.append(bracket);
  }

  /** Python sorts str keys by code point; Java's compareTo compares UTF-16 units, which differs above U+FFFF. */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * Appends a JSON string literal with Python's {@code ensure_ascii} escaping: UTF-16 units outside
   * 0x20–0x7e become backslash-u escapes (characters above the BMP stay surrogate pairs).
   */
  public static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * Python's {@code repr(float)}: the shortest digits that round-trip, in fixed notation when the
   * decimal exponent is in [-4, 16), otherwise {@code d.ddde+XX}. JDK 17's {@code Double.toString} is
   * not always shortest (JDK-4511638), so the digits are searched for explicitly.
   */
  public static String pythonFloatRepr(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    String digits = null;
    int exp = 0;
    for (int precision = 1; precision <= 17; precision++) {
      String sci = String.format(Locale.ROOT, "%." + (precision - 1) + "e", Math.abs(d));
      if (Double.parseDouble(sci) == Math.abs(d)) {
        int e = sci.indexOf('e');
        digits = sci.substring(0, e).replace(".", "");
        exp = Integer.parseInt(sci.substring(e + 1));
        break;
      }
    }
    Objects.requireNonNull(digits, "17 significant digits round-trip every finite double");
    // Strip trailing zeros of the mantissa digits (e.g. "1.50e+00" at precision 3 cannot happen,
    // but be safe).
    digits = digits.replaceAll("0+$", "");
    if (digits.isEmpty()) {
      digits = "0";
    }
    StringBuilder out = new StringBuilder();
    if (d < 0) {
      out.append('-');
    }
    if (exp >= -4 && exp < 16) {
      if (exp >= 0) {
        if (digits.length() <= exp + 1) {
          out.append(digits).append("0".repeat(exp + 1 - digits.length())).append(".0");
        } else {
          out.append(digits, 0, exp + 1).append('.').append(digits.substring(exp + 1));
        }
      } else {
        out.append("0.").append("0".repeat(-exp - 1)).append(digits);
      }
    } else {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits.substring(1));
      }
      out.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        out.append('0');
      }
      out.append(a);
    }
    return out.toString();
  }
}
