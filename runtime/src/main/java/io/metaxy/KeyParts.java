package io.metaxy;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The key syntax shared by {@link FeatureKey} and {@link FieldKey}. It lives in one place because the
 * processor reports the same rule at compile time (through {@link #problem}).
 */
public final class KeyParts {
  private KeyParts() {}

  /** Splits a user-given key string on {@code /}. */
  public static List<String> split(String key) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= key.length(); i++) {
      if (i == key.length() || key.charAt(i) == '/') {
        parts.add(key.substring(start, i));
        start = i + 1;
      }
    }
    return parts;
  }

  /**
   * Returns why {@code parts} is not a valid key, or {@code null} when it is. Rules: at least one part;
   * each part matches {@code [a-z0-9_-]+} and has no {@code __} (a double underscore is the separator
   * of renamed system columns); the first part starts with {@code [a-z_]}.
   */
  public static @Nullable String problem(List<String> parts) {
    if (parts.isEmpty()) {
      return "a key needs at least one part";
    }
    for (String part : parts) {
      if (part.isEmpty()) {
        return "empty key part (keys look like \"video/raw\")";
      }
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) {
          return "part \"" + part + "\" has '" + c + "'; parts may use only a-z, 0-9, '_' and '-'";
        }
      }
      if (part.contains("__")) {
        return "part \"" + part + "\" contains \"__\", which is reserved";
      }
    }
    char first = parts.get(0).charAt(0);
    if (!((first >= 'a' && first <= 'z') || first == '_')) {
      return "the first part must start with a-z or '_'";
    }
    return null;
  }

  static List<String> validate(List<String> parts, String what) {
    String problem = problem(parts);
    if (problem != null) {
      throw new InvalidKeyException(
          "invalid " + what + " \"" + String.join("/", parts) + "\": " + problem);
    }
    return List.copyOf(parts);
  }

  static int compareParts(List<String> a, List<String> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
