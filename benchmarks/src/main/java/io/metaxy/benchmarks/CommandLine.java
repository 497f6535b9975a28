package io.metaxy.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark mains' {@code --key value} / {@code --key=value} / {@code --flag} arguments. */
final class CommandLine {
  private CommandLine() {}

  /**
   * The options, in order; a flag without a value is {@code "true"}. {@code aliases} maps other
   * spellings to a known key.
   *
   * @throws IllegalArgumentException for a bare argument or a key not in {@code known}
   */
  static Map<String, String> parse(String[] args, List<String> known, Map<String, String> aliases) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException(
            "unexpected argument \"" + a + "\" (options start with --; see --help)");
      }
      String key = a.substring(2);
      String value = "true";
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      }
      key = aliases.getOrDefault(key, key);
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown option --" + key + " (see --help)");
      }
      o.put(key, value);
    }
    return o;
  }
}
