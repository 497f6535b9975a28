package io.metaxy.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The measurements of one (scenario, implementation) child run, exchanged with the driver as one
 * {@code RESULT key=value ...} line on the child's standard output.
 *
 * @param scenario the configuration (with the hash algorithm and by-field layout of its template)
 * @param impl the implementation
 * @param seconds the timed rounds (warm-up excluded)
 * @param peakRssKb {@code VmHWM} of the child process at its end, in kB
 * @param counts the increment every round returned (verified)
 * @param heap the child's {@code -Xmx}
 * @param store the store ours ran on (the baseline reads the DuckDB file)
 */
record Result(
    Scenario scenario,
    Implementation impl,
    double[] seconds,
    long peakRssKb,
    Counts counts,
    String heap,
    BenchStore store) {
  static final String PREFIX = "RESULT ";

  /** A result on the DuckDB store. */
  Result(
      Scenario scenario,
      Implementation impl,
      double[] seconds,
      long peakRssKb,
      Counts counts,
      String heap) {
    this(scenario, impl, seconds, peakRssKb, counts, heap, BenchStore.DUCKDB);
  }

  /** The summary statistics of the rounds. */
  public Stats stats() {
    return Stats.of(seconds);
  }

  /** The line the child prints. */
  String toLine() {
    List<String> t = new ArrayList<>();
    for (double s : seconds) {
      t.add(String.format(Locale.ROOT, "%.6f", s));
    }
    return PREFIX + "graph=" + scenario.shape().label() + " n=" + scenario.n() + " phase="
        + scenario.phase().label()
        + " hash=" + scenario.hash().configName() + " layout="
        + scenario.variant().layoutName() + " impl=" + impl.label()
        + " seconds=" + String.join(",", t)
        + " rss_kb=" + peakRssKb + " new=" + counts.newRows() + " stale=" + counts.stale()
        + " orphaned="
        + counts.orphaned() + " heap=" + heap + " store=" + store.label();
  }

  /** Parses a line printed by {@link #toLine()}. */
  static Result parse(String line) {
    if (!line.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a result line: " + line);
    }
    Map<String, String> kv = new LinkedHashMap<>();
    for (String part : line.substring(PREFIX.length()).trim().split(" ")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("malformed result field \"" + part + "\" in: " + line);
      }
      kv.put(part.substring(0, eq), part.substring(eq + 1));
    }
    String[] ts = kv.get("seconds").split(",");
    double[] seconds = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      seconds[i] = Double.parseDouble(ts[i]);
    }
    Variant variant = Variant.parse(kv.get("hash") + ":" + kv.getOrDefault("layout", "struct"));
    Scenario sc = new Scenario(
        Shape.parse(kv.get("graph")),
        Integer.parseInt(kv.get("n")),
        Phase.parse(kv.get("phase")),
        variant);
    return new Result(
        sc,
        Implementation.parse(kv.get("impl")),
        seconds,
        Long.parseLong(kv.get("rss_kb")),
        new Counts(
            Long.parseLong(kv.get("new")),
            Long.parseLong(kv.get("stale")),
            Long.parseLong(kv.get("orphaned"))),
        kv.get("heap"),
        BenchStore.parse(kv.getOrDefault("store", BenchStore.DUCKDB.label())));
  }
}
