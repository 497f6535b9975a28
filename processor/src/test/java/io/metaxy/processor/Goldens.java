package io.metaxy.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;

/**
 * Golden files under {@code src/test/resources/goldens/<TestClass>/<method>/<fqcn>.java}. Set the
 * environment variable {@code METAXY_GOLDEN_ROOT} to the {@code src/test/resources} directory to
 * (re)write them from the current output.
 */
final class Goldens {
  private Goldens() {}

  static void assertGolden(Compilation c, String testClass, String method, String fqcn) {
    JavaFileObject file = c.generatedSourceFile(fqcn)
        .orElseThrow(() -> new AssertionError("no generated source " + fqcn));
    String actual;
    try {
      actual = file.getCharContent(false).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String relative = "goldens/" + testClass + "/" + method + "/" + fqcn + ".java";
    String root = System.getenv("METAXY_GOLDEN_ROOT");
    try {
      if (root != null) {
        Path target = Path.of(root).resolve(relative);
        Files.createDirectories(target.getParent());
        Files.writeString(target, actual, StandardCharsets.UTF_8);
        return;
      }
      var in = Goldens.class.getClassLoader().getResourceAsStream(relative);
      if (in == null) {
        throw new AssertionError("Missing golden file " + relative
            + "; run with METAXY_GOLDEN_ROOT=processor/src/test/resources");
      }
      String expected;
      try (in) {
        expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertWithMessage("generated %s differs from %s", fqcn, relative)
          .that(actual)
          .isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
