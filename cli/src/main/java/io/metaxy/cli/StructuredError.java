package io.metaxy.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The structured errors of feature-selecting commands (CLI spec §0.2). Plain mode prints {@code Error:
 * <message>} and an optional {@code Hint:} line; JSON mode prints {@code {"error": CODE, "message": ...,
 * details...}}. Both go to stdout, because scripts read them as the command's result; exit code 1.
 */
final class StructuredError {
  /** The error codes of the reference CLI. */
  enum Code {
    MISSING_REQUIRED_FLAG,
    CONFLICTING_FLAGS,
    INVALID_FEATURE_KEY,
    FEATURES_NOT_FOUND,
    NO_FEATURES,
    MISSING_CONFIRMATION,
    SNAPSHOT_ERROR,
    SNAPSHOT_LOAD_FAILED,
    GENERIC_ERROR
  }

  private final Code code;
  private final String message;
  private final @Nullable String hint;
  private final Map<String, Object> details = new LinkedHashMap<>();

  StructuredError(Code code, String message, @Nullable String hint) {
    this.code = code;
    this.message = message;
    this.hint = hint;
  }

  StructuredError detail(String key, Object value) {
    details.put(key, value);
    return this;
  }

  /** The failure to throw, rendered for the chosen output format. */
  CliFailure failure(boolean json) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("error", code.name());
      m.put("message", message);
      m.putAll(details);
      if (hint != null) {
        m.put("hint", hint);
      }
      return CliFailure.stdout(JsonText.compact(m));
    }
    return CliFailure.stdout("Error: " + message + (hint == null ? "" : "\nHint: " + hint));
  }

  static StructuredError missingSelection() {
    return new StructuredError(
            Code.MISSING_REQUIRED_FLAG,
            "Must specify either --all-features or feature arguments",
            "Pass one or more feature keys (e.g. video/files) or --all-features.")
        .detail("required_flags", List.of("--all-features", "<features>"));
  }

  static StructuredError conflictingSelection() {
    return new StructuredError(
            Code.CONFLICTING_FLAGS,
            "Cannot specify both --all-features and feature arguments",
            null)
        .detail("conflicting_flags", List.of("--all-features", "<features>"));
  }
}
