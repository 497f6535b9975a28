package io.metaxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parses every Mermaid render with the real Mermaid parser. Runs only when {@code METAXY_MERMAID_CHECK_DIR}
 * names a directory whose {@code node_modules} holds {@code mermaid} and {@code jsdom} (e.g. after
 * {@code npm install mermaid jsdom} there) and {@code node} is on the PATH.
 */
class MermaidSyntaxTest {
  @TempDir
  Path dir;

  @Test
  void everyMermaidRenderParses() throws Exception {
    String checkDir = System.getenv("METAXY_MERMAID_CHECK_DIR");
    assumeTrue(
        checkDir != null && Files.isDirectory(Path.of(checkDir, "node_modules", "mermaid")),
        "METAXY_MERMAID_CHECK_DIR with node_modules/mermaid is not set up");
    MxHarness mx = new MxHarness(dir).env("METAXY_PROJECT", "example_overview");
    for (String f : List.of("diff/overview1.json", "diff/overview2.json", "f2.json")) {
      mx.fixture(f);
    }
    List<String> files = new ArrayList<>();
    String[][] runs = {
      {"--graph", "overview1.json", "graph", "render", "-f", "mermaid"},
      {
        "--graph",
        "overview1.json",
        "graph",
        "render",
        "-f",
        "mermaid",
        "--verbose",
        "--direction",
        "LR",
        "--title",
        "Odd: \"title\" #1"
      },
      {"--graph", "overview1.json", "graph", "render", "-f", "mermaid", "--minimal"},
      {"--project", "test", "--graph", "f2.json", "graph", "render", "-f", "mermaid"},
      {"--graph", "overview2.json", "graph-diff", "render", "overview1.json", "-f", "mermaid"},
      {"--graph", "overview1.json", "graph-diff", "render", "overview1.json", "-f", "mermaid"},
    };
    for (int i = 0; i < runs.length; i++) {
      Path file = dir.resolve("render" + i + ".mmd");
      Files.writeString(file, mx.ok(runs[i]).out());
      files.add(file.toString());
    }
    Path script = Path.of(checkDir, "metaxy-check.mjs");
    try (InputStream in = MermaidSyntaxTest.class.getResourceAsStream("/mermaid/check.mjs")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> cmd = new ArrayList<>(List.of("node", script.toString()));
    cmd.addAll(files);
    Process p = new ProcessBuilder(cmd)
        .directory(Path.of(checkDir).toFile())
        .redirectErrorStream(true)
        .start();
    String log = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), log);
  }
}
