package io.metaxy.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of raw nodes. Every failure names the source and dotted key; text from the environment or
 * arguments is converted the way pydantic's lax mode converts it.
 */
final class Values {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Values() {}

  /** {@code problem} may be a caught exception's message, which may be null. */
  static ConfigException error(Node node, String path, @Nullable String problem) {
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
    if (node instanceof Node.Scalar s
        && s.lenient
        && s.value instanceof String str
        && str.trim().startsWith("{")) {
      return (Node.Table) parseJson(s, path, str.trim());
    }
    throw expected(node, path, "a table");
  }

  static Node.Array array(Node node, String path) {
    if (node instanceof Node.Array a) {
      return a;
    }
    if (node instanceof Node.Scalar s
        && s.lenient
        && s.value instanceof String str
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
    checkKeys(table, path, allowed, "", hint);
  }

  /**
   * Rejects keys outside {@code allowed}, naming the first unknown one (in file order), whose key it is
   * ({@code owner}, e.g. {@code " for a duckdb store"}), the known keys, and the closest known key when
   * one is close enough to be a typo.
   */
  static void checkKeys(
      Node.Table table, String path, Collection<String> allowed, String owner, String hint) {
    for (Map.Entry<String, Node> e : table.entries.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        String suggestion = closest(e.getKey(), allowed);
        throw error(
            e.getValue(),
            Node.join(path, e.getKey()),
            "unknown key" + owner + " (known keys: " + String.join(", ", new TreeSet<>(allowed))
                + ")" + hint
                + (suggestion == null ? "" : "; did you mean \"" + suggestion + "\"?"));
      }
    }
  }

  /**
   * The known key nearest to {@code key} (case-insensitive edit distance, a swap of neighbours counting
   * once), if it is within a third of the key's length (at least 1). On a tie the candidate of the
   * closer length wins ({@code storez} is {@code stores}, not {@code store}), then name order.
   */
  static @Nullable String closest(String key, Collection<String> known) {
    String k = key.toLowerCase(Locale.ROOT);
    int limit = Math.max(1, k.length() / 3);
    String best = null;
    int bestDistance = limit + 1;
    int bestLength = Integer.MAX_VALUE;
    for (String candidate : new TreeSet<>(known)) {
      int d = distance(k, candidate.toLowerCase(Locale.ROOT));
      int length = Math.abs(candidate.length() - k.length());
      if (d < bestDistance || (d == bestDistance && length < bestLength)) {
        best = candidate;
        bestDistance = d;
        bestLength = length;
      }
    }
    return best;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
