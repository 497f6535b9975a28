package io.metaxy.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile-time benchmark's graph, report section and one real run at N = 20 (a few seconds; the
 * figures in BENCHMARKS.md come from {@code benchmarks/compile-time.sh}, not from a test).
 */
class CompileTimeBenchmarkTest {
  @TempDir
  Path tmp;

  @Test
  void graphIsDeterministicWithOneToThreeEarlierUpstreams() {
    List<List<Integer>> a = FeatureGraphSources.upstreams(500, 16);
    assertEquals(a, FeatureGraphSources.upstreams(500, 16));
    for (int i = 0; i < a.size(); i++) {
      List<Integer> ups = a.get(i);
      if (i < FeatureGraphSources.ROOTS) {
        assertTrue(ups.isEmpty());
      } else {
        assertTrue(ups.size() >= 1 && ups.size() <= 3, ups.toString());
        for (int u : ups) {
          assertTrue(u < i);
        }
      }
    }
    String src = FeatureGraphSources.source(42, a.get(42));
    assertTrue(src.startsWith("package bench.g0;\n"), src);
    assertTrue(src.contains("@Feature(key = \"bench/f0042\", idColumns = \"sample_uid\")"), src);
    assertTrue(
        src.contains("public record F0042(String sampleUid, String path, long size) {}"), src);
  }

  @Test
  void peerSourcesNameTheGeneratedClassOnlyWithTheFactory() {
    String full = AutoValueSources.source(42, true);
    String plain = AutoValueSources.source(42, false);
    assertTrue(full.startsWith("package bench.g0;\n"), full);
    assertTrue(full.contains("@AutoValue\npublic abstract class F0042 {"), full);
    assertTrue(full.contains("return new AutoValue_F0042(sampleUid, path, size);"), full);
    assertTrue(!plain.contains("AutoValue_"), plain);
  }

  @Test
  void sectionIsReplacedOrAppended() {
    String doc = "# Benchmarks\n\n## Wide graph\n\nrows\n";
    String section = "## Compile time\n\nfigures\n";
    String once = MarkdownSections.replace(doc, "## Compile time", section);
    assertEquals(doc + "\n" + section, once);
    assertEquals(section, MarkdownSections.extract(once, "## Compile time"));
    String twice = MarkdownSections.replace(once, "## Compile time", "## Compile time\n\nnew\n");
    assertEquals(doc + "\n## Compile time\n\nnew\n", twice);
    // A section in the middle keeps what follows it.
    String middle = MarkdownSections.replace(
        "## Compile time\n\nold\n\n## After\n\nx\n", "## Compile time", section);
    assertEquals(section + "\n## After\n\nx\n", middle);
    assertNull(MarkdownSections.extract(doc, "## Compile time"));
  }

  @Test
  void smokeRunAtTwentyFeatures() throws Exception {
    Path out = tmp.resolve("BENCHMARKS.md");
    Files.writeString(out, "# Benchmarks\n\n## Simple graph\n\nrows\n");
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      // target/compile-time holds the javac paths this module's build writes (generate-resources).
      CompileTimeBenchmark.main(new String[] {
        "--sizes",
        "20",
        "--runs",
        "1",
        "--paths",
        "target/compile-time",
        "--peer",
        "target/compile-time/autovalue",
        "--workdir",
        tmp.resolve("work").toString(),
        "--out",
        out.toString()
      });
    } finally {
      System.setOut(stdout);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    // 20 companions and the registry; every processor run wrote the same bytes (or main would have
    // failed).
    assertTrue(report.contains("| 20 | current | 21, "), report);
    // The peer compiled too: one AutoValue_ class per value class.
    assertTrue(report.contains("| 20 | AutoValue 1.11.1 | 20, "), report);
    assertTrue(report.contains("| N | Metaxy adds | AutoValue adds |"), report);
    String doc = Files.readString(out);
    assertTrue(doc.startsWith("# Benchmarks\n\n## Simple graph\n\nrows\n\n## Compile time\n"), doc);
  }
}
