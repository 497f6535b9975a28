package io.metaxy.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.versioning.HashAlgorithm;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The BENCHMARKS.md rendering: ratios, targets and failures. */
class ReportTest {
  private static final Machine MACHINE =
      new Machine(2, "23.5 GiB", "test CPU", "OpenJDK 17", "v1.4.4", "Linux", "0.10 / 0.20 / 0.30");

  private static Result result(Shape shape, int n, Phase phase, Implementation impl, double seconds, long rssKb) {
    return new Result(new Scenario(shape, n, phase, HashAlgorithm.MD5), impl,
        new double[] {seconds, seconds, seconds, seconds, seconds}, rssKb, new Counts(n, 0, 0), "1500m");
  }

  @Test
  void ratiosAndTargetsPerRow() {
    String md = Report.markdown(
        List.of(
            result(Shape.SIMPLE, 1_000_000, Phase.NEW, Implementation.METAXY, 0.2, 900_000),
            result(Shape.SIMPLE, 1_000_000, Phase.NEW, Implementation.BASELINE, 0.44, 300_000),
            result(Shape.SIMPLE, 10_000_000, Phase.NEW, Implementation.METAXY, 3.0, 3_000_000),
            result(Shape.SIMPLE, 10_000_000, Phase.NEW, Implementation.BASELINE, 4.1, 900_000)),
        List.of(), MACHINE, Instant.parse("2026-11-27T12:00:00Z"), "java -jar benchmarks.jar", "1500m", "0.5 / 0.5 / 0.5");
    assertTrue(md.contains("| 1M | new | 0.200 [0.200–0.200] | 0.440 [0.440–0.440] | 2.20× | 878 MB / 292 MB | ≤ 0.4 s met; ≥ 1.5× met |"), md);
    assertTrue(md.contains("| 10M | new | 3.000 [3.000–3.000] | 4.100 [4.100–4.100] | 1.37× | 2929 MB / 878 MB | "
        + "≤ 2.5 s **missed**; ≥ 1.5× **missed**; RSS ≤ 2 GB **missed** |"), md);
    assertTrue(md.contains("| cores (`nproc`) | 2 |"), md);
    assertTrue(md.contains("| DuckDB | v1.4.4 |"), md);
  }

  @Test
  void failuresAreShownNotDropped() {
    Scenario sc = new Scenario(Shape.WIDE, 10_000_000, Phase.STALE, HashAlgorithm.MD5);
    String md = Report.markdown(
        List.of(result(Shape.WIDE, 10_000_000, Phase.STALE, Implementation.BASELINE, 9.0, 1_000_000)),
        List.of(new Report.Failure(sc, Implementation.METAXY, "child JVM exited with 1: java.lang.OutOfMemoryError")),
        MACHINE, Instant.parse("2026-11-27T12:00:00Z"), "java -jar benchmarks.jar", "1500m", "0.5 / 0.5 / 0.5");
    assertTrue(md.contains("| 10M | stale | **failed** (see Failures) | 9.000 [9.000–9.000] | — |"), md);
    assertTrue(md.contains("**missed** (failed)"), md);
    assertTrue(md.contains("* wide-10000000-stale-md5 metaxy: child JVM exited with 1: java.lang.OutOfMemoryError"), md);
  }
}
