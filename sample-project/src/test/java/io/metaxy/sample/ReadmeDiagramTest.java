package io.metaxy.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.cli.Mx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's Mermaid diagram is exactly what `mx graph render --format mermaid` prints for this project. */
class ReadmeDiagramTest {
  @Test
  void readmeDiagramIsWhatMxRenders() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```mermaid\n");
    int end = readme.indexOf("```", start + 3);
    String inReadme = readme.substring(start + "```mermaid\n".length(), end).strip();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // From this module's directory, as the README runs it (its metaxy.toml reads target/classes).
    int rc = Mx.run(
        new String[] {"graph", "render", "--format", "mermaid"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of(),
        Path.of("").toAbsolutePath());
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    assertEquals(
        out.toString(StandardCharsets.UTF_8).strip(),
        inReadme,
        "README.md's mermaid block differs from `mx graph render --format mermaid` on the sample project");
  }
}
