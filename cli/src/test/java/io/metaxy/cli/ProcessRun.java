package io.metaxy.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What one process printed and returned; {@link #of} runs it with its streams captured in files. */
record ProcessRun(int rc, String out, String err) {
  /**
   * Starts {@code pb} with stdout and stderr redirected to files in {@code dir} and waits for it.
   *
   * @throws AssertionError when it has not finished after {@code timeoutSeconds}
   */
  static ProcessRun of(ProcessBuilder pb, Path dir, int timeoutSeconds) throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          String.join(" ", pb.command()) + " did not finish in " + timeoutSeconds + " s");
    }
    return new ProcessRun(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
