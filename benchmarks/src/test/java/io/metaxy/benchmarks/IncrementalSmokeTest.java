package io.metaxy.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.store.AccessMode;
import io.metaxy.versioning.HashAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incremental mode: its rounds at N = 1000 in this JVM, and the whole driver at N = 10k (a
 * template JVM and one measuring JVM per change), whose lines must parse and whose incremental path
 * must have answered.
 */
class IncrementalSmokeTest {
  /** The line the issue asks for, exactly. */
  private static final Pattern LINE = Pattern.compile(
      "incremental (simple|wide) (\\S+) change=(\\S+%): full (\\d+\\.\\d{3}) s, incremental"
          + " (\\d+\\.\\d{3}) s, speedup (\\d+\\.\\d)x");

  @TempDir
  Path tmp;

  @Test
  void roundsVerifyAndAnswerIncrementallyOnBothGraphs() {
    Variant v = Variant.of(HashAlgorithm.XXHASH32);
    try (BufferAllocator a = new RootAllocator()) {
      for (Shape shape : Shape.values()) {
        Path template = tmp.resolve(Incremental.templateName(shape, 1000, v));
        Templates.Written w = Templates.prepareIncremental(shape, 1000, v, template);
        assertEquals(1000L * shape.roots().size(), w.rows());
        assertEquals(1, Templates.count(template, Templates.RESOLVE_STATE_TABLE));
        for (String c : List.of("0", "1%", "10%")) {
          Incremental.Config config =
              new Incremental.Config(shape, 1000, Incremental.Change.parse(c));
          for (AccessMode access : List.of(AccessMode.WRITE, AccessMode.READ)) {
            // round() throws unless both resolves find c·N stale rows and release every buffer.
            Incremental.Round r = Incremental.round(
                config, v, template, tmp.resolve("round.duckdb"), Map.of(), a, 7, access);
            assertEquals(new Counts(0, config.changed(), 0), r.counts(), config.label());
            assertTrue(r.resolution().incremental(), config.label() + ": " + r.resolution());
            assertEquals(
                config.changed(), r.resolution().touchedKeys(), r.resolution().reason());
            assertTrue(r.full() > 0 && r.incremental() > 0 && r.openClose() > 0, r.toString());
          }
        }
        // The template is untouched by the rounds: still one recorded state.
        assertEquals(1, Templates.count(template, Templates.RESOLVE_STATE_TABLE));
      }
    }
  }

  @Test
  void theDriverPrintsOneParsableLinePerConfigurationAndRewritesOnlyItsSection() throws Exception {
    Path out = tmp.resolve("BENCHMARKS.md");
    String before = "# Benchmarks\n\n## Simple graph\n\nmain\n\n## Compile time\n\nc\n";
    Files.writeString(out, before, StandardCharsets.UTF_8);
    Map<String, String> o = new LinkedHashMap<>();
    o.put("incremental", "true");
    o.put("graphs", "simple");
    o.put("sizes", "10k");
    o.put("changes", "0,1%");
    o.put("rounds", "2");
    o.put("warmup", "0");
    o.put("heap", "512m");
    o.put("prepare-heap", "1g");
    o.put("workdir", tmp.resolve("work").toString());
    o.put("out", out.toString());
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    List<Incremental.Measured> results;
    try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      results = Incremental.drive(o, ps);
    }
    String printed = buf.toString(StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    for (String l : printed.split("\n")) {
      if (l.startsWith("incremental ")) {
        lines.add(l);
      }
    }
    assertEquals(2, lines.size(), printed);
    List<String> changes = new ArrayList<>();
    for (String l : lines) {
      Matcher m = LINE.matcher(l);
      assertTrue(m.matches(), l);
      assertEquals("simple", m.group(1));
      assertEquals("10k", m.group(2));
      changes.add(m.group(3));
      assertTrue(Double.parseDouble(m.group(4)) > 0 && Double.parseDouble(m.group(5)) >= 0, l);
    }
    assertEquals(List.of("0%", "1%"), changes);
    assertEquals(2, results.size());
    for (Incremental.Measured r : results) {
      assertTrue(r.alwaysIncremental(), r.config().label() + ": " + r.reason());
      assertEquals(2, r.incremental().length);
      assertEquals(new Counts(0, r.config().changed(), 0), r.counts());
      assertTrue(r.peakRssKb() > 0, r.toLine());
    }
    assertEquals(100, results.get(1).counts().stale());
    // The templates went with the run; only the section was rewritten, before Compile time.
    try (var files = Files.list(tmp.resolve("work"))) {
      assertEquals(List.of(), files.toList());
    }
    String doc = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(
        doc.startsWith("# Benchmarks\n\n## Simple graph\n\nmain\n\n## Incremental resolve\n"), doc);
    assertTrue(doc.endsWith("\n## Compile time\n\nc\n"), doc);
    String section = MarkdownSections.extract(doc, Incremental.SECTION);
    assertTrue(section.contains("| simple | 10k | 1% | 100 | "), section);
    assertTrue(section.contains("| yes (2/2) |"), section);
    assertFalse(section.contains("Failures"), section);
  }

  @Test
  void changesParseAsPercentagesOrFractionsAndPrintAsPercentages() {
    List<Incremental.Change> c = Incremental.Change.parseList(Incremental.DEFAULT_CHANGES);
    assertEquals(
        List.of("0%", "0.1%", "1%", "10%"),
        c.stream().map(Incremental.Change::label).toList());
    assertEquals(
        List.of(0L, 1_000L, 10_000L, 100_000L),
        c.stream().map(x -> x.of(1_000_000)).toList());
    assertEquals(Incremental.Change.parse("0.1%"), Incremental.Change.parse("0.001"));
    assertEquals(Incremental.Change.parse("10%"), Incremental.Change.parse(" 10.0 % "));
    assertEquals("0.05%", Incremental.Change.parse("0.05%").label());
    assertEquals(10, Incremental.Change.parse("0.1%").of(10_000));
    assertThrows(IllegalArgumentException.class, () -> Incremental.Change.parse("ten"));
    assertThrows(IllegalArgumentException.class, () -> Incremental.Change.parse("101%"));
    assertThrows(IllegalArgumentException.class, () -> Incremental.Change.parse("0.00001%"));
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> Incremental.Change.parseList("1%,0.01"));
    assertTrue(twice.getMessage().contains("1% twice"), twice.getMessage());
  }

  @Test
  void linesAndResultsHaveTheirFormat() {
    Incremental.Measured m = new Incremental.Measured(
        new Incremental.Config(Shape.WIDE, 10_000_000, Incremental.Change.parse("0.1%")),
        new double[] {2.5, 2.4, 2.6},
        new double[] {0.042, 0.05, 0.04},
        new double[] {0.01, 0.01, 0.01},
        1_234_567,
        new Counts(0, 10_000, 0),
        2,
        "1500m",
        "full (10000 keys touched since the last resolve, a large share | of the tables)");
    assertEquals(
        "incremental wide 10M change=0.1%: full 2.500 s, incremental 0.042 s, speedup 59.5x",
        Incremental.line(m));
    assertTrue(LINE.matcher(Incremental.line(m)).matches());
    Incremental.Measured back = Incremental.Measured.parse(m.toLine());
    assertEquals(m.config(), back.config());
    assertArrayEquals(m.full(), back.full());
    assertArrayEquals(m.incremental(), back.incremental());
    assertEquals(m.counts(), back.counts());
    assertEquals(m.reason(), back.reason());
    assertFalse(back.alwaysIncremental());
    String section = Incremental.section(
        List.of(m),
        List.of(new Incremental.Failure(
            new Incremental.Config(Shape.SIMPLE, 10_000_000, Incremental.Change.parse("10%")),
            "child JVM exited with 1")),
        new Machine(2, "1 GiB", "cpu", "jdk", "v1", "os", "0 / 0 / 0"),
        Instant.EPOCH,
        "1 / 1 / 1",
        "java -jar benchmarks.jar --incremental",
        "1500m",
        "256MB",
        Variant.of(HashAlgorithm.XXHASH32),
        AccessMode.WRITE,
        1);
    assertTrue(section.startsWith(Incremental.SECTION + "\n\n"), section);
    assertTrue(
        section.contains("| wide | 10M | 0.1% | 10,000 | 2.500 [2.450–2.550] | 0.042 [0.041–0.046]"
            + " | 59.5× | 0.010 [0.010–0.010] | 1205 MB | **no** (2/3): full (10000 keys touched"
            + " since the last resolve, a large share \\| of the tables) |"),
        section);
    assertTrue(
        section.contains("simple 10M, 0.1 % changed: incremental ≤ 0.1 s and a speedup ≥ 25×:"
            + " not measured"),
        section);
    assertTrue(section.contains("* simple 10M change=10%: child JVM exited with 1"), section);
  }

  @Test
  void targetsJudgeTheIssuesThresholds() {
    List<Incremental.Measured> rs = List.of(
        measured(Shape.SIMPLE, 10_000_000, "0.1%", 2.5, 0.08),
        measured(Shape.SIMPLE, 1_000_000, "1%", 0.3, 0.05),
        measured(Shape.SIMPLE, 10_000_000, "0%", 2.5, 0.06),
        measured(Shape.WIDE, 10_000_000, "10%", 9, 3.9));
    List<String> t = Incremental.targets(rs);
    assertEquals(
        "simple 10M, 0.1 % changed: incremental ≤ 0.1 s and a speedup ≥ 25×: 0.080 s, 31.3×: met",
        t.get(0));
    assertEquals("10M, 0 % changed: incremental ≤ 0.05 s: simple 0.060 s: **missed**", t.get(1));
    assertEquals(
        "the paper's stale phase (10 % changed) at 10M: simple ≤ 1.5 s: not measured; wide ≤ 4 s:"
            + " 3.900 s: met",
        t.get(2));
    assertTrue(
        t.get(3)
            .endsWith("simple, 10,000 changed rows: 10M (0.1%) 0.080 s / 1M (1%) 0.050 s ="
                + " 1.60×: met"),
        t.get(3));
  }

  private static Incremental.Measured measured(
      Shape shape, int n, String change, double full, double incremental) {
    Incremental.Config c = new Incremental.Config(shape, n, Incremental.Change.parse(change));
    return new Incremental.Measured(
        c,
        new double[] {full},
        new double[] {incremental},
        new double[] {0.01},
        1024,
        new Counts(0, c.changed(), 0),
        1,
        "1500m",
        "incremental (...)");
  }

  @Test
  void picksAreDistinctSortedAndFixedBySeed() {
    long[] a = Incremental.pick(1000, 100, 3);
    assertEquals(100, a.length);
    for (int i = 1; i < a.length; i++) {
      assertTrue(a[i - 1] < a[i]);
    }
    assertTrue(a[0] >= 0 && a[a.length - 1] < 1000);
    assertArrayEquals(a, Incremental.pick(1000, 100, 3));
    assertFalse(Arrays.equals(a, Incremental.pick(1000, 100, 4)));
    assertEquals(1000, Incremental.pick(1000, 1000, 3).length);
    assertEquals(0, Incremental.pick(1000, 0, 3).length);
    assertThrows(IllegalArgumentException.class, () -> Incremental.pick(10, 11, 3));
  }
}
