package io.metaxy.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Typed reads of raw nodes. Every failure names the source and dotted key; text from the environment or
 * arguments is converted the way pydantic's lax mode converts it.
 */
final class Values {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Values() {}

  static ConfigException error(Node node, String path, String problem) {
    return new ConfigException(node.origin + ": " + path + ": " + problem);
  }

  private static ConfigException expected(Node node, String path, String what) {
    if (node instanceof Node.Scalar s && s.lenient) {
      return error(node, path, "expected " + what + ", got \"" + s.value + "\"");
    }
    return error(node, path, "expected " + what + ", got " + node.typeName());
  }

  static String string(Node node, String path) {
    if (node instanceof Node.Scalar s && s.value instanceof String str) {
      return str;
    }
    throw expected(node, path, "a string");
  }

  static long integer(Node node, String path) {
    if (node instanceof Node.Scalar s) {
      if (s.value instanceof Long l) {
        return l;
      }
      if (s.lenient && s.value instanceof String str) {
        try {
          return Long.parseLong(str.trim());
        } catch (NumberFormatException e) {
          // fall through to the error below
        }
      }
    }
    throw expected(node, path, "an integer");
  }

  static boolean bool(Node node, String path) {
    if (node instanceof Node.Scalar s) {
      if (s.value instanceof Boolean b) {
        return b;
      }
      if (s.lenient && s.value instanceof String str) {
        // The spellings pydantic accepts for booleans.
        switch (str.trim().toLowerCase(Locale.ROOT)) {
          case "true", "1", "yes", "y", "on", "t":
            return true;
          case "false", "0", "no", "n", "off", "f":
            return false;
          default:
            break;
        }
      }
    }
    throw expected(node, path, "a boolean");
  }

  /** An array of strings; lenient text is a JSON array or a comma-separated list. */
  static List<String> stringList(Node node, String path) {
    Node n = node;
    if (n instanceof Node.Scalar s && s.lenient && s.value instanceof String str) {
      String t = str.trim();
      if (t.startsWith("[")) {
        n = parseJson(s, path, t);
      } else {
        List<String> out = new ArrayList<>();
        for (String part : t.split(",")) {
          if (!part.isBlank()) {
            out.add(part.trim());
          }
        }
        return List.copyOf(out);
      }
    }
    if (!(n instanceof Node.Array a)) {
      throw expected(n, path, "an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.items.size(); i++) {
      out.add(string(a.items.get(i), path + "[" + i + "]"));
    }
    return List.copyOf(out);
  }

  static Node.Table table(Node node, String path) {
    if (node instanceof Node.Table t) {
      return t;
    }
    if (node instanceof Node.Scalar s && s.lenient && s.value instanceof String str
        && str.trim().startsWith("{")) {
      return (Node.Table) parseJson(s, path, str.trim());
    }
    throw expected(node, path, "a table");
  }

  static Node.Array array(Node node, String path) {
    if (node instanceof Node.Array a) {
      return a;
    }
    if (node instanceof Node.Scalar s && s.lenient && s.value instanceof String str
        && str.trim().startsWith("[")) {
      return (Node.Array) parseJson(s, path, str.trim());
    }
    throw expected(node, path, "an array");
  }

  private static Node parseJson(Node.Scalar s, String path, String text) {
    try {
      return Node.fromPlain(JSON.readValue(text, Object.class), s.origin, false, path);
    } catch (JsonProcessingException e) {
      throw error(s, path, "invalid JSON: " + e.getOriginalMessage());
    }
  }

  /** Rejects keys outside {@code allowed}, naming the first unknown one (in file order). */
  static void checkKeys(Node.Table table, String path, Collection<String> allowed, String hint) {
    for (Map.Entry<String, Node> e : table.entries.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw error(
            e.getValue(),
            Node.join(path, e.getKey()),
            "unknown key (known keys: " + String.join(", ", new TreeSet<>(allowed)) + ")" + hint);
      }
    }
  }
}
