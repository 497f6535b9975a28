package io.metaxy.cli;

import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Python {@code repr} of strings, for the few messages the reference prints as Python dicts. */
final class PyRepr {
  private PyRepr() {}

  /** A dict, list, string, number or boolean as Python prints it ({@code {'a': 1, 'b': None}}). */
  static String of(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof String s) {
      return str(s);
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      m.forEach((k, x) ->
          b.append(b.length() > 1 ? ", " : "").append(of(k)).append(": ").append(of(x)));
      return b.append('}').toString();
    }
    if (v instanceof Collection<?> c) {
      StringBuilder b = new StringBuilder("[");
      c.forEach(x -> b.append(b.length() > 1 ? ", " : "").append(of(x)));
      return b.append(']').toString();
    }
    return v.toString();
  }

  /** {@code 'text'} with backslashes and single quotes escaped; {@code None} for null. */
  static String str(@Nullable String s) {
    if (s == null) {
      return "None";
    }
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
