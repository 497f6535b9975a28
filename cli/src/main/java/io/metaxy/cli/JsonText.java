package io.metaxy.cli;

import io.metaxy.json.CanonicalJson;
import java.util.Collection;
import java.util.Map;

/**
 * JSON text in insertion order, shaped like Python's {@code json.dumps}: either indented by two spaces
 * (what {@code --format json} prints) or compact without spaces (structured errors). Non-ASCII is escaped
 * so the output is safe on any terminal encoding.
 */
final class JsonText {
  private JsonText() {}

  /** Indented by two spaces, {@code ": "} after keys, no trailing newline. */
  static String pretty(Object tree) {
    StringBuilder out = new StringBuilder();
    write(tree, out, true, 0);
    return out.toString();
  }

  /** One line with {@code ","} and {@code ":"} separators. */
  static String compact(Object tree) {
    StringBuilder out = new StringBuilder();
    write(tree, out, false, 0);
    return out.toString();
  }

  private static void write(Object v, StringBuilder out, boolean indent, int depth) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      string(s, out);
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      out.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      out.append(CanonicalJson.pythonFloatRepr(((Number) v).doubleValue()));
    } else if (v instanceof Number n) {
      out.append(n.toString());
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        newline(out, indent, depth + 1);
        string(String.valueOf(e.getKey()), out);
        out.append(indent ? ": " : ":");
        write(e.getValue(), out, indent, depth + 1);
      }
      newline(out, indent, depth);
      out.append('}');
    } else if (v instanceof Collection<?> c) {
      if (c.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          out.append(',');
        }
        first = false;
        newline(out, indent, depth + 1);
        write(o, out, indent, depth + 1);
      }
      newline(out, indent, depth);
      out.append(']');
    } else {
      string(v.toString(), out);
    }
  }

  private static void newline(StringBuilder out, boolean indent, int depth) {
    if (indent) {
      out.append('\n').append("  ".repeat(depth));
    }
  }

  static void string(String s, StringBuilder out) {
    CanonicalJson.writeString(s, out);
  }
}
