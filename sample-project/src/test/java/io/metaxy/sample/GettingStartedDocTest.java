package io.metaxy.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/getting-started.md shows examples/quickstart verbatim: each code block preceded by
 * {@code <!-- file: PATH -->} equals that file, every Java, XML and TOML block carries such a marker,
 * and every source file of the example is shown. So the doc cannot drift from the example, which
 * examples/run-examples.sh builds and runs.
 */
class GettingStartedDocTest {
  private static final String MARKER = "<!-- file: ";
  private static final List<String> CHECKED_LANGUAGES = List.of("java", "xml", "toml");

  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs/getting-started.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      fail("docs/getting-started.md not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** The doc's marked blocks, path → content, in order; fails on an unmarked Java/XML/TOML block. */
  static Map<String, String> markedBlocks(List<String> lines) {
    Map<String, String> blocks = new LinkedHashMap<>();
    String pending = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith(MARKER)) {
        assertTrue(
            line.endsWith(" -->"), "line " + (i + 1) + ": a marker ends with \" -->\": " + line);
        pending =
            line.substring(MARKER.length(), line.length() - " -->".length()).trim();
        continue;
      }
      if (line.startsWith("```") && line.length() > 3) {
        String language = line.substring(3).trim();
        int start = i + 1;
        int end = start;
        while (end < lines.size() && !lines.get(end).equals("```")) {
          end++;
        }
        assertTrue(end < lines.size(), "line " + (i + 1) + ": code block never closed");
        if (pending != null) {
          String previous =
              blocks.put(pending, String.join("\n", lines.subList(start, end)) + "\n");
          assertEquals(null, previous, "two blocks are marked " + pending);
        } else if (CHECKED_LANGUAGES.contains(language)) {
          fail("line " + (i + 1) + ": a ```" + language
              + " block without a <!-- file: ... --> marker"
              + " on the line before it; every such block must be a file of examples/quickstart");
        }
        pending = null;
        i = end;
        continue;
      }
      if (!line.isBlank()) {
        pending = null; // a marker applies to the block right after it only
      }
    }
    return blocks;
  }

  @Test
  void everyCodeBlockOfTheDocIsTheExampleFileItNames() throws IOException {
    Path root = repoRoot();
    List<String> lines =
        Files.readAllLines(root.resolve("docs/getting-started.md"), StandardCharsets.UTF_8);
    Map<String, String> blocks = markedBlocks(lines);
    assertTrue(
        blocks.size() >= 5,
        "expected the pom, metaxy.toml and three Java files, found " + blocks.keySet());
    for (Map.Entry<String, String> b : blocks.entrySet()) {
      Path file = root.resolve(b.getKey());
      assertTrue(
          Files.isRegularFile(file), "the doc shows " + b.getKey() + ", which does not exist");
      assertEquals(
          Files.readString(file, StandardCharsets.UTF_8),
          b.getValue(),
          "docs/getting-started.md's block for " + b.getKey()
              + " differs from the file: change both");
    }
  }

  @Test
  void everySourceFileOfTheExampleIsInTheDoc() throws IOException {
    Path root = repoRoot();
    Path example = root.resolve("examples/quickstart");
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(example)) {
      s.filter(Files::isRegularFile)
          .filter(p -> !example.relativize(p).startsWith("target"))
          .forEach(p -> files.add(root.relativize(p).toString().replace('\\', '/')));
    }
    Map<String, String> blocks = markedBlocks(
        Files.readAllLines(root.resolve("docs/getting-started.md"), StandardCharsets.UTF_8));
    TreeSet<String> missing = new TreeSet<>(files);
    missing.removeAll(blocks.keySet());
    assertEquals(new TreeSet<>(), missing, "example files not shown in docs/getting-started.md");
  }
}
