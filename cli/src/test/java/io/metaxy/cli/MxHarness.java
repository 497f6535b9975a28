package io.metaxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs {@code mx} in-process with captured streams, a chosen environment and a working directory, and
 * compares renders with golden files. Set {@code METAXY_UPDATE_GOLDENS=1} to rewrite the goldens under
 * {@code src/test/resources/goldens/} instead of comparing.
 */
final class MxHarness {
  static final Path GOLDENS = Path.of("src/test/resources/goldens");

  /** What one run printed and returned. */
  record Result(int rc, String out, String err) {
    @Override
    public String toString() {
      return "rc=" + rc + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private final Path dir;
  private final Map<String, String> env = new LinkedHashMap<>();

  MxHarness(Path dir) {
    this.dir = dir;
  }

  /** Sets an environment variable for later runs. */
  MxHarness env(String key, String value) {
    env.put(key, value);
    return this;
  }

  Path dir() {
    return dir;
  }

  /** Copies a test resource under {@code fixtures/} into the working directory, keeping its name. */
  Path fixture(String name) {
    Path target = dir.resolve(Path.of(name).getFileName().toString());
    try (InputStream in = MxHarness.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      Files.write(target, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /** Runs {@code mx args...}. */
  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = Mx.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        env,
        dir);
    Result r =
        new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    // Every run releases its Arrow allocator; a leak is a bug whatever the command printed.
    if (r.err().contains("mx leaked Arrow memory")) {
      throw new AssertionError("mx " + String.join(" ", args) + " leaked Arrow memory\n" + r);
    }
    return r;
  }

  /** Runs and asserts the exit code. */
  Result ok(String... args) {
    Result r = run(args);
    assertEquals(0, r.rc(), () -> "mx " + String.join(" ", args) + "\n" + r);
    return r;
  }

  /** Compares {@code actual} with {@code goldens/<name>} (or rewrites it, see the class doc). */
  static void assertGolden(String name, String actual) {
    Path file = GOLDENS.resolve(name);
    try {
      if (System.getenv("METAXY_UPDATE_GOLDENS") != null) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual);
        return;
      }
      if (!Files.exists(file)) {
        throw new AssertionError("missing golden " + file.toAbsolutePath()
            + " (run with METAXY_UPDATE_GOLDENS=1)\n" + actual);
      }
      assertEquals(Files.readString(file), actual, "golden " + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
