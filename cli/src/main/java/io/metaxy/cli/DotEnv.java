package io.metaxy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code KEY=VALUE} lines from {@code .env} in the working directory (only there, like the
 * reference). Real environment variables win, so the caller merges this map under the environment.
 */
final class DotEnv {
  private DotEnv() {}

  /** The variables of {@code dir/.env}, or an empty map when there is no such file. */
  static Map<String, String> read(Path dir) {
    Path file = dir.resolve(".env");
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (String raw : Files.readAllLines(file)) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("export ")) {
          line = line.substring("export ".length()).strip();
        }
        int eq = line.indexOf('=');
        if (eq <= 0) {
          continue;
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        if (value.length() >= 2
            && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
          value = value.substring(1, value.length() - 1);
        } else {
          int comment = value.indexOf(" #");
          if (comment >= 0) {
            value = value.substring(0, comment).strip();
          }
        }
        out.put(key, value);
      }
    } catch (IOException e) {
      throw CliFailure.error("cannot read " + file + ": " + e.getMessage());
    }
    return out;
  }
}
