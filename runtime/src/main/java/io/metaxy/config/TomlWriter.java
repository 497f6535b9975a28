package io.metaxy.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes plain configuration trees for {@code mx config print}. TOML comes out with {@code [table]}
 * headers rather than Jackson's dotted keys, so it reads like a hand-written {@code metaxy.toml}.
 */
final class TomlWriter {
  private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private TomlWriter() {}

  /** A copy without null values, at any depth (TOML has no null). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withoutNulls(Map<String, Object> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (v != null) {
        out.put(k, clean(v));
      }
    });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object clean(Object v) {
    if (v instanceof Map<?, ?> m) {
      return withoutNulls((Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        if (o != null) {
          out.add(clean(o));
        }
      }
      return out;
    }
    return v;
  }

  /** A TOML document: each table's plain keys, then its sub-tables, then its arrays of tables. */
  static String write(Map<String, Object> root) {
    StringBuilder out = new StringBuilder();
    writeTable(out, "", root);
    return out.toString();
  }

  private static void writeTable(StringBuilder out, String prefix, Map<String, Object> table) {
    for (Map.Entry<String, Object> e : table.entrySet()) {
      if (!isTable(e.getValue()) && !isTableArray(e.getValue())) {
        out.append(key(e.getKey())).append(" = ");
        inline(out, e.getValue());
        out.append('\n');
      }
    }
    for (Map.Entry<String, Object> e : table.entrySet()) {
      if (isTable(e.getValue())) {
        String name = prefix + key(e.getKey());
        Map<String, Object> sub = asMap(e.getValue());
        // A table holding only sub-tables needs no header of its own; an empty one does, to exist.
        boolean onlyTables =
            !sub.isEmpty() && sub.values().stream().allMatch(v -> isTable(v) || isTableArray(v));
        if (!onlyTables) {
          out.append(out.length() == 0 ? "" : "\n").append('[').append(name).append("]\n");
        }
        writeTable(out, name + ".", sub);
      }
    }
    for (Map.Entry<String, Object> e : table.entrySet()) {
      if (isTableArray(e.getValue())) {
        String name = prefix + key(e.getKey());
        for (Object item : (List<?>) e.getValue()) {
          out.append(out.length() == 0 ? "" : "\n").append("[[").append(name).append("]]\n");
          writeTable(out, name + ".", asMap(item));
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }

  private static boolean isTable(Object v) {
    return v instanceof Map;
  }

  private static boolean isTableArray(Object v) {
    return v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(i -> i instanceof Map);
  }

  private static String key(String k) {
    return BARE_KEY.matcher(k).matches() ? k : quote(k);
  }

  private static void inline(StringBuilder out, Object v) {
    if (v instanceof String s) {
      out.append(quote(s));
    } else if (v instanceof Double d) {
      out.append(d.isNaN() ? "nan" : d.isInfinite() ? (d > 0 ? "inf" : "-inf") : d.toString());
    } else if (v instanceof Number || v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof List<?> l) {
      out.append('[');
      for (int i = 0; i < l.size(); i++) {
        out.append(i == 0 ? "" : ", ");
        inline(out, l.get(i));
      }
      out.append(']');
    } else if (v instanceof Map<?, ?> m) {
      out.append('{');
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.append(i++ == 0 ? " " : ", ")
            .append(key(String.valueOf(e.getKey())))
            .append(" = ");
        inline(out, e.getValue());
      }
      out.append(m.isEmpty() ? "}" : " }");
    } else {
      out.append(quote(String.valueOf(v)));
    }
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\f' -> b.append("\\f");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** JSON indented by 2 with {@code "key": value} spacing, as Python's {@code json.dumps(indent=2)}. */
  static String json(Map<String, Object> root) {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
        .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
        .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
    try {
      return JsonMapper.builder().build().writer(printer).writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write configuration JSON", e);
    }
  }
}
