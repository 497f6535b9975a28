package io.metaxy.cli;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Block-style YAML in insertion order, for {@code graph-diff render --format yaml}. Strings that a YAML
 * 1.1 reader would take for something else (numbers, booleans, null, hex-looking hashes that start with a
 * digit) are double-quoted, JSON style, which is valid YAML.
 */
final class YamlText {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./-]*");
  private static final Set<String> RESERVED =
      Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null", "~");

  private YamlText() {}

  /** The YAML document of a tree of maps, lists and scalars, ending with a newline. */
  static String write(Object tree) {
    StringBuilder out = new StringBuilder();
    if (tree instanceof Map<?, ?> m && !m.isEmpty()) {
      map(m, out, 0);
    } else if (tree instanceof Collection<?> c && !c.isEmpty()) {
      list(c, out, 0);
    } else {
      out.append(scalar(tree)).append('\n');
    }
    return out.toString();
  }

  private static void map(Map<?, ?> m, StringBuilder out, int depth) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      out.append("  ".repeat(depth)).append(scalar(String.valueOf(e.getKey()))).append(':');
      value(e.getValue(), out, depth);
    }
  }

  private static void list(Collection<?> c, StringBuilder out, int depth) {
    for (Object o : c) {
      out.append("  ".repeat(depth)).append('-');
      if (o instanceof Map<?, ?> m && !m.isEmpty()) {
        // The first key goes on the dash line; the rest line up under it.
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          out.append(first ? " " : "  ".repeat(depth + 1))
              .append(scalar(String.valueOf(e.getKey())))
              .append(':');
          value(e.getValue(), out, depth + 1);
          first = false;
        }
      } else {
        value(o, out, depth);
      }
    }
  }

  private static void value(Object v, StringBuilder out, int depth) {
    if (v instanceof Map<?, ?> m && !m.isEmpty()) {
      out.append('\n');
      map(m, out, depth + 1);
    } else if (v instanceof Collection<?> c && !c.isEmpty()) {
      out.append('\n');
      list(c, out, depth + 1);
    } else {
      out.append(' ').append(scalar(v)).append('\n');
    }
  }

  private static String scalar(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Boolean || v instanceof Number) {
      return v.toString();
    }
    if (v instanceof Map<?, ?>) {
      return "{}";
    }
    if (v instanceof Collection<?>) {
      return "[]";
    }
    String s = v.toString();
    if (PLAIN.matcher(s).matches() && !RESERVED.contains(s.toLowerCase(Locale.ROOT))) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    JsonText.string(s, out);
    return out.toString();
  }
}
