package io.metaxy.cli;

import org.jspecify.annotations.Nullable;

/**
 * A handled command failure: the text to print and the exit code. Thrown from anywhere inside a
 * command; {@link Mx} prints it (stderr, or stdout for structured errors) with no stack trace.
 */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final boolean toStdout;

  private CliFailure(String text, int exitCode, boolean toStdout) {
    super(text, null, false, false);
    this.exitCode = exitCode;
    this.toStdout = toStdout;
  }

  /** A failure whose text goes to stderr as is; exit code 1. */
  static CliFailure stderr(String text) {
    return new CliFailure(text, 1, false);
  }

  /** {@code Error: <message>} on stderr; exit code 1. */
  static CliFailure error(@Nullable String message) {
    return stderr("Error: " + message);
  }

  /** Data-stream failure text (structured errors); exit code 1. */
  static CliFailure stdout(String text) {
    return new CliFailure(text, 1, true);
  }

  int exitCode() {
    return exitCode;
  }

  boolean toStdout() {
    return toStdout;
  }
}
