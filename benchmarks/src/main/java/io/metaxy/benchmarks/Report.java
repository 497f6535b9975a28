package io.metaxy.benchmarks;

import io.metaxy.store.spi.ByFieldLayout;
import io.metaxy.versioning.HashAlgorithm;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Renders the results of a run as the Markdown of {@code BENCHMARKS.md}. */
final class Report {
  /** Peak RSS target at 10M, in kB (2 GB). */
  static final long RSS_TARGET_KB = 2L * 1024 * 1024;

  /** Required speed-up over the baseline at 1M and 10M. */
  static final double SPEEDUP_TARGET = 1.5;

  private Report() {}

  /**
   * A configuration that produced no result.
   *
   * @param scenario the configuration
   * @param impl the implementation being measured (its template build may be what failed)
   * @param reason what went wrong
   * @param store the store ours was to run on
   * @param skipped whether the store could not be opened (not measured) rather than failed
   */
  record Failure(
      Scenario scenario, Implementation impl, String reason, BenchStore store, boolean skipped) {
    /** A failure on the DuckDB store. */
    Failure(Scenario scenario, Implementation impl, String reason) {
      this(scenario, impl, reason, BenchStore.DUCKDB, false);
    }
  }

  /**
   * The root writes of one template build, through {@code MetadataStore.write}.
   *
   * @param scenario the configuration whose template was built
   * @param store the store written to
   * @param rows root rows written
   * @param seconds wall-clock seconds inside the write calls
   */
  record Write(Scenario scenario, BenchStore store, long rows, double seconds) {
    /** Parses the {@code WRITE rows=... seconds=...} line of a template-building child. */
    static Write parse(Scenario scenario, BenchStore store, String line) {
      long rows = -1;
      double seconds = -1;
      for (String part :
          line.substring(PaperBenchmark.WRITE_PREFIX.length()).trim().split(" ")) {
        if (part.startsWith("rows=")) {
          rows = Long.parseLong(part.substring(5));
        } else if (part.startsWith("seconds=")) {
          seconds = Double.parseDouble(part.substring(8));
        }
      }
      if (rows < 0 || seconds < 0) {
        throw new IllegalArgumentException("malformed write line: " + line);
      }
      return new Write(scenario, store, rows, seconds);
    }

    /** Rows per second. */
    double rowsPerSecond() {
      return rows / seconds;
    }

    /** {@code "1.23M rows/s (0.813 s)"}, or {@code "456k rows/s (...)"} below a million. */
    String format() {
      double r = rowsPerSecond();
      return r >= 1e6
          ? String.format(Locale.ROOT, "%.2fM rows/s (%.3f s)", r / 1e6, seconds)
          : String.format(Locale.ROOT, "%.0fk rows/s (%.3f s)", r / 1e3, seconds);
    }
  }

  /** The time target for a graph at N, in seconds, if the issue sets one. */
  static Optional<Double> timeTarget(Shape shape, int n) {
    if (n == 1_000_000) {
      return Optional.of(shape == Shape.SIMPLE ? 0.4 : 0.8);
    }
    if (n == 10_000_000) {
      return Optional.of(shape == Shape.SIMPLE ? 2.5 : 5.0);
    }
    return Optional.empty();
  }

  /**
   * Our column's name in prose: the algorithm and, for the store default, md5 and the MAP layout, why it
   * is measured, e.g. {@code "ours (xxhash32, store default)"} or {@code "ours (xxhash32, MAP layout)"}.
   */
  static String oursLabel(Variant v) {
    String hash = v.hash().configName();
    if (v.layout() == ByFieldLayout.MAP) {
      return "ours (" + hash + ", MAP layout)";
    }
    if (v.hash() == PaperBenchmark.STORE_DEFAULT) {
      return "ours (" + hash + ", store default)";
    }
    if (v.hash() == BaselineQuery.HASH) {
      return "ours (" + hash + ", same hash as baseline)";
    }
    return "ours (" + hash + ")";
  }

  /**
   * The report.
   *
   * @param variants the variants (algorithm, layout) ours ran with, in {@code --hash} order: one column each;
   *     the targets are judged on the first
   * @param storeMemoryLimit DuckDB's {@code memory_limit} of our store, or null for DuckDB's default
   */
  static String markdown(
      List<Result> results,
      List<Failure> failures,
      List<Variant> variants,
      Machine m,
      Instant started,
      String command,
      String heap,
      String storeMemoryLimit,
      String loadAtEnd) {
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("no hash algorithm for our implementation");
    }
    StringBuilder sb = new StringBuilder();
    sb.append("# Benchmarks\n\n");
    sb.append(
            "The reference paper's benchmark: wall-clock of `resolveUpdate` of a leaf feature on a DuckDB store,\n")
        .append(
            "reading from the store included, against the peer baseline — one hand-written DuckDB SQL query that\n")
        .append(
            "reads the upstream tables at their current feature version, joins them, md5-hashes the field strings,\n")
        .append(
            "diffs with the target and returns the increment rows to the JVM as Arrow. Generated by\n")
        .append(
            "`io.metaxy.benchmarks.PaperBenchmark` (see `benchmarks/README.md`); do not edit by hand. The last\n")
        .append(
            "section, Compile time, is `io.metaxy.benchmarks.CompileTimeBenchmark`'s (what the annotation processor\n")
        .append("adds to a build).\n\n");
    sb.append("## Machine\n\n");
    sb.append("| | |\n|---|---|\n");
    sb.append("| cores (`nproc`) | ").append(m.cores()).append(" |\n");
    sb.append("| CPU | ").append(m.cpu()).append(" |\n");
    sb.append("| memory | ").append(m.memory()).append(" |\n");
    sb.append("| JDK | ").append(m.jdk()).append(" |\n");
    sb.append("| DuckDB | ").append(m.duckdb()).append(" |\n");
    sb.append("| OS | ").append(m.os()).append(" |\n");
    sb.append("| date | ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" |\n");
    sb.append("| load average (1/5/15 min) at start; at end | ")
        .append(m.load())
        .append("; ")
        .append(loadAtEnd)
        .append(" (")
        .append(m.cores())
        .append(" cores: a higher load means the timings are inflated) |\n");
    sb.append("| child JVM | `-Xmx")
        .append(heap)
        .append(
            " --add-opens=java.base/java.nio=ALL-UNNAMED`, default GC; Arrow memory is off-heap (arrow-memory-unsafe);"
                + " environment `MALLOC_ARENA_MAX=2`, otherwise glibc's malloc defaults (both implementations) |\n");
    sb.append("| our store's DuckDB settings | ")
        .append(
            storeMemoryLimit == null
                ? "DuckDB's defaults (`memory_limit` 80 % of RAM: its block cache keeps every block a scan touches)"
                : "`memory_limit = " + storeMemoryLimit
                    + "` (the store's `config` table; it bounds DuckDB's block cache, which"
                    + " otherwise keeps every block a scan touches, up to 80 % of RAM, though a resolve reads each once)."
                    + " The baseline keeps DuckDB's defaults: its window and joins need that memory as working space")
        .append(" |\n");
    sb.append("| command | `").append(command).append("` |\n\n");
    sb.append("## Method\n\n");
    sb.append(
            "* Simple graph: root `bench/video` (fields `audio`, `frames`) → leaf `bench/clip` (one field).\n")
        .append(
            "  Wide graph: roots `bench/video` and `bench/sensor` (four fields each) → leaf `bench/fusion` (two\n")
        .append(
            "  fields). Every leaf field depends on every root field. Id column `sample_uid` (BIGINT).\n")
        .append(
            "* Phase *new*: the leaf's table exists and is empty; the increment is N new samples. Phase *stale*:\n")
        .append(
            "  the leaf holds every sample at its correct provenance, then a second version of `audio` was\n")
        .append(
            "  appended for every tenth sample of `bench/video`; the increment is N/10 stale samples.\n")
        .append(
            "* Setup (not timed): a template file per configuration, hash algorithm and by-field layout,\n")
        .append(
            "  written through the store API in Arrow batches, copied to a fresh file for every round. Timed:\n")
        .append(
            "  open the store (or a JDBC connection) on the fresh copy, compute the increment, materialise it in\n")
        .append(
            "  the JVM and count new/stale/orphaned rows, close. Every round's counts are verified (and every\n")
        .append("  Arrow buffer must be released).\n")
        .append(hashNote(variants))
        .append(
            "* Each (configuration, implementation, hash, layout) runs in its own JVM: 1 warm-up round, then\n")
        .append(
            "  the timed rounds. Times are the median [p25–p75] in seconds. Peak RSS is `VmHWM` of that JVM.\n\n");
    Set<Shape> shapes = new LinkedHashSet<>();
    results.forEach(r -> shapes.add(r.scenario().shape()));
    failures.forEach(f -> shapes.add(f.scenario().shape()));
    for (Shape shape : shapes) {
      sb.append("## ")
          .append(shape == Shape.SIMPLE ? "Simple graph" : "Wide graph")
          .append("\n\n");
      sb.append(header(variants));
      Set<String> rows = new LinkedHashSet<>();
      List<Scenario> all = new ArrayList<>();
      results.forEach(r -> all.add(r.scenario()));
      failures.forEach(f -> all.add(f.scenario()));
      all.sort(Comparator.comparingInt(Scenario::n).thenComparing(Scenario::phase));
      for (Scenario s : all) {
        if (s.shape() == shape) {
          rows.add(s.n() + "/" + s.phase().label());
        }
      }
      for (String row : rows) {
        int n = Integer.parseInt(row.substring(0, row.indexOf('/')));
        Phase phase = Phase.parse(row.substring(row.indexOf('/') + 1));
        sb.append(row(results, failures, variants, shape, n, phase));
      }
      sb.append("\n");
    }
    if (!failures.isEmpty()) {
      sb.append("## Failures\n\n");
      for (Failure f : failures) {
        sb.append("* ")
            .append(f.scenario().label())
            .append(" ")
            .append(f.impl().label())
            .append(": ")
            .append(f.reason().replace("|", "\\|"))
            .append("\n");
      }
      sb.append("\n");
    }
    sb.append("Targets (issue, on 2 cores), judged on the ")
        .append(variants.get(0).columnLabel())
        .append(" column: simple 1M ≤ 0.4 s, 10M ≤ 2.5 s; wide 1M ≤ 0.8 s,\n")
        .append(
            "10M ≤ 5 s; peak RSS ≤ 2 GB at 10M; at least 1.5× faster than the DuckDB-SQL baseline at 1M and 10M.\n")
        .append("Sizes without a target show —.\n");
    return sb.toString();
  }

  /**
   * The table header: one time and one ratio column per variant of ours, in {@code --hash} order, e.g.
   * {@code ours xxhash32 (s)} at the store's default layout and {@code ours xxhash32 MAP (s)} at MAP.
   */
  private static String header(List<Variant> variants) {
    StringBuilder h = new StringBuilder("| N | phase |");
    StringBuilder align = new StringBuilder("|---:|---|");
    List<String> rss = new ArrayList<>();
    for (Variant a : variants) {
      h.append(" ours ").append(a.columnLabel()).append(" (s) |");
      align.append("---|");
      rss.add("ours " + a.columnLabel());
    }
    h.append(" baseline ").append(BaselineQuery.HASH.configName()).append(" (s) |");
    align.append("---|");
    rss.add("baseline");
    for (Variant a : variants) {
      h.append(" baseline/ours (").append(a.columnLabel()).append(") |");
      align.append("---:|");
    }
    h.append(" peak RSS (").append(String.join(" / ", rss)).append(") | targets |\n");
    align.append("---|---|\n");
    return h.append(align).toString();
  }

  private static String row(
      List<Result> results,
      List<Failure> failures,
      List<Variant> variants,
      Shape shape,
      int n,
      Phase phase) {
    Result base =
        find(results, shape, n, phase, Implementation.BASELINE, PaperBenchmark.BASELINE_VARIANT);
    List<Result> ours = new ArrayList<>();
    for (Variant a : variants) {
      ours.add(find(results, shape, n, phase, Implementation.METAXY, a));
    }
    StringBuilder sb = new StringBuilder("| ")
        .append(human(n))
        .append(" | ")
        .append(phase.label())
        .append(" | ");
    for (int i = 0; i < variants.size(); i++) {
      sb.append(cell(
              ours.get(i),
              failed(failures, shape, n, phase, Implementation.METAXY, variants.get(i))))
          .append(" | ");
    }
    sb.append(cell(
            base,
            failed(
                failures,
                shape,
                n,
                phase,
                Implementation.BASELINE,
                PaperBenchmark.BASELINE_VARIANT)))
        .append(" | ");
    List<Double> ratios = new ArrayList<>();
    for (Result r : ours) {
      Double ratio =
          r != null && base != null ? base.stats().median() / r.stats().median() : null;
      ratios.add(ratio);
      sb.append(ratio == null ? "—" : String.format(Locale.ROOT, "%.2f×", ratio))
          .append(" | ");
    }
    List<String> rss = new ArrayList<>();
    ours.forEach(r -> rss.add(r == null ? "—" : mb(r.peakRssKb())));
    rss.add(base == null ? "—" : mb(base.peakRssKb()));
    sb.append(String.join(" / ", rss)).append(" | ");
    // The targets concern what users run: the first variant listed (the store default unless
    // overridden).
    Result judged = ours.get(0);
    boolean judgedFailed =
        failed(failures, shape, n, phase, Implementation.METAXY, variants.get(0));
    sb.append(
        judged == null && judgedFailed && timeTarget(shape, n).isPresent()
            ? "**missed** (failed)"
            : targets(shape, n, judged, ratios.get(0)));
    return sb.append(" |\n").toString();
  }

  private static String hashNote(List<Variant> variants) {
    String md5 = BaselineQuery.HASH.configName();
    StringBuilder sb = new StringBuilder("* Hashes and layouts: the baseline always hashes with ")
        .append(md5)
        .append(" (built into DuckDB) and reads the\n")
        .append("  STRUCT ")
        .append(md5)
        .append(
            " template (the reference's default layout). Ours runs once per `--hash` item, an\n")
        .append(
            "  algorithm with an optional layout suffix (`:map`), each on a template written with that algorithm\n")
        .append(
            "  and layout, so every run finds the same increment. Templates are written in the store's default\n")
        .append("  STRUCT layout (by-field columns `STRUCT(<field> VARCHAR, ...)`)");
    if (variants.stream().anyMatch(v -> v.layout() == ByFieldLayout.MAP)) {
      sb.append(" and, for the MAP columns, with\n")
          .append(
              "  `enableMapDatatype(true)` (the reference's `enable_map_datatype`; by-field columns\n")
          .append("  `MAP(VARCHAR, VARCHAR)`)");
    }
    sb.append("; each template's layout is checked after it is written:\n");
    for (Variant v : variants) {
      HashAlgorithm a = v.hash();
      sb.append("  * ").append(oursLabel(v)).append(": ");
      if (v.layout() == ByFieldLayout.MAP) {
        sb.append(a.configName())
            .append(" on a template written with `enableMapDatatype(true)`:\n")
            .append(
                "    what users of the reference's `enable_map_datatype` run, and the layout of tables this store\n")
            .append(
                "    created before STRUCT became its default (existing tables keep their layout).\n");
      } else if (a == PaperBenchmark.STORE_DEFAULT) {
        sb.append("the DuckDB store's default algorithm (the reference's default\n")
            .append("    for DuckDB) on its default STRUCT layout, what users run.\n");
      } else if (a == BaselineQuery.HASH) {
        sb.append("the baseline's algorithm and template, so this column is the\n")
            .append(
                "    like-for-like comparison (the smoke test checks that ours and the baseline compute identical\n")
            .append("    provenance sample by sample).\n");
      } else {
        sb.append("for comparison.\n");
      }
    }
    sb.append("* The targets are judged on the first of these columns, ")
        .append(oursLabel(variants.get(0)))
        .append(".\n");
    return sb.toString();
  }

  private static String targets(Shape shape, int n, Result ours, Double ratio) {
    List<String> out = new ArrayList<>();
    Optional<Double> t = timeTarget(shape, n);
    if (t.isPresent() && ours != null) {
      double med = ours.stats().median();
      out.add(String.format(
          Locale.ROOT, "≤ %.1f s %s", t.get(), med <= t.get() ? "met" : "**missed**"));
    }
    if (t.isPresent() && ratio != null) {
      out.add(String.format(
          Locale.ROOT,
          "≥ %.1f× %s",
          SPEEDUP_TARGET,
          ratio >= SPEEDUP_TARGET ? "met" : "**missed**"));
    }
    if (n == 10_000_000 && ours != null) {
      out.add("RSS ≤ 2 GB "
          + (ours.peakRssKb() >= 0 && ours.peakRssKb() <= RSS_TARGET_KB ? "met" : "**missed**"));
    }
    return out.isEmpty() ? "—" : String.join("; ", out);
  }

  private static String cell(Result r, boolean failed) {
    return r != null ? r.stats().format() : failed ? "**failed** (see Failures)" : "—";
  }

  private static boolean failed(
      List<Failure> failures,
      Shape shape,
      int n,
      Phase phase,
      Implementation impl,
      Variant variant) {
    return failures.stream()
        .anyMatch(f -> f.scenario().shape() == shape
            && f.scenario().n() == n
            && f.scenario().phase() == phase
            && f.impl() == impl
            && f.scenario().variant().equals(variant));
  }

  private static Result find(
      List<Result> results, Shape shape, int n, Phase phase, Implementation impl, Variant variant) {
    for (Result r : results) {
      Scenario s = r.scenario();
      if (s.shape() == shape
          && s.n() == n
          && s.phase() == phase
          && r.impl() == impl
          && r.store() == BenchStore.DUCKDB
          && s.variant().equals(variant)) {
        return r;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ lakehouse stores (--stores)

  /** The heading of the section a run with {@code --stores} writes. */
  static final String LAKEHOUSE_SECTION = "## Lakehouse stores";

  /** Issue 18: a local Iceberg or Delta resolve within this factor of the DuckDB store's at 1M and 10M. */
  static final double STORE_RATIO_TARGET = 2.0;

  /** Issue 18: rows per second of writes through the store API on the simple graph. */
  static final double WRITE_TARGET = 1_000_000;

  /** The stores a lakehouse target judges: Iceberg and Delta on local disk. */
  private static final List<BenchStore> JUDGED = List.of(BenchStore.ICEBERG, BenchStore.DELTA);

  /**
   * The "Lakehouse stores" section: ours on each store, the ratio to the DuckDB store of the same run,
   * the write throughput of the template builds, and issue 18's targets.
   *
   * @param stores the stores asked for ({@code --stores}); the DuckDB store is shown first either way
   * @param variant the hash algorithm and layout every store ran at
   * @param s3Sizes the sizes at which the S3 stores ran
   */
  static String lakehouse(
      List<Result> results,
      List<Failure> failures,
      List<Write> writes,
      List<BenchStore> stores,
      Variant variant,
      Set<Integer> s3Sizes,
      Machine m,
      Instant started,
      String command,
      String heap,
      String storeMemoryLimit,
      String loadAtEnd) {
    List<BenchStore> cols = new ArrayList<>(List.of(BenchStore.DUCKDB));
    stores.stream().filter(s -> s != BenchStore.DUCKDB).forEach(cols::add);
    List<BenchStore> others = cols.subList(1, cols.size());
    List<String> s3 = s3Sizes.stream().sorted().map(Report::human).toList();
    StringBuilder sb = new StringBuilder(LAKEHOUSE_SECTION).append("\n\n");
    sb.append("Ours (`resolveUpdate` of the leaf, ")
        .append(variant.columnLabel())
        .append(") on the Iceberg and Delta stores beside the DuckDB store,\n")
        .append(
            "measured in one run (issue 18). Generated by `io.metaxy.benchmarks.PaperBenchmark` with ")
        .append("`--stores`\n(see `benchmarks/README.md`); do not edit by hand.\n\n");
    sb.append("* Machine: ")
        .append(m.cores())
        .append(" cores, ")
        .append(m.cpu())
        .append(", ")
        .append(m.memory())
        .append(", ")
        .append(m.jdk())
        .append("; started ")
        .append(started.truncatedTo(ChronoUnit.SECONDS))
        .append("; load average (1/5/15 min) ")
        .append(m.load())
        .append(" at start, ")
        .append(loadAtEnd)
        .append(" at end. Child JVMs `-Xmx")
        .append(heap)
        .append("`, environment `MALLOC_ARENA_MAX=2`.\n");
    sb.append("* Command: `").append(command).append("`\n");
    sb.append("* Stores: *DuckDB store*: `DuckDbMetadataStore` as in the tables above (")
        .append(
            storeMemoryLimit == null
                ? "DuckDB's default `memory_limit`"
                : "`memory_limit = " + storeMemoryLimit + "`")
        .append(").\n")
        .append(
            "  *Iceberg*: `type = \"iceberg\"`, a local warehouse with the reference's default catalog (SQLite at\n")
        .append(
            "  `<warehouse>/catalog.db`). *Delta*: `type = \"delta\"`, a local `root_path`, nested layout. Both\n")
        .append(
            "  built from configuration as a `metaxy.toml` builds them. *Iceberg S3* / *Delta S3*: the same with\n")
        .append(
            "  `s3://` paths on the S3 server `io.metaxy.testing.s3.S3Server` (s3proxy, filesystem backend\n")
        .append(
            "  under the work directory) on loopback, started in the driver's JVM, so its work shares the\n")
        .append(
            "  cores with the measured JVM; Iceberg S3 keeps its SQLite catalog on local disk, and the clients\n")
        .append(
            "  send request checksums only where S3 requires them (s3proxy cannot verify the SDK's default\n")
        .append("  chunked ones). S3 runs at N = ")
        .append(String.join(", ", s3))
        .append(" only (`--s3-sizes`).\n");
    sb.append(
            "* Templates: written once per configuration and store through the store API (`MetadataStore.write`\n")
        .append(
            "  in batches of 2^20 rows), not timed. A resolve does not write, so the lakehouse stores' rounds\n")
        .append(
            "  read their template in place (an Iceberg warehouse holds absolute paths and cannot be copied;\n")
        .append(
            "  for the same reason their stale templates are written afresh instead of from the new-phase one);\n")
        .append(
            "  the DuckDB store's rounds run on a fresh copy of its file, as above. Both read files the OS has\n")
        .append(
            "  cached. Timed: build the store (from its configuration, read once per JVM), open it, compute\n")
        .append(
            "  the increment, materialise it in the JVM as Arrow and count it, close. Every round is verified\n")
        .append(
            "  (counts, every Arrow buffer released). Each (configuration, store) runs in its own JVM: warm-up\n")
        .append(
            "  round(s), then the timed rounds; median [p25–p75] in seconds, peak RSS `VmHWM` of that JVM.\n");
    sb.append(
            "* Ratio: the store's median over the DuckDB store's median in the same run (lower is better).\n")
        .append(
            "* Write throughput: the roots' rows over the seconds spent inside `MetadataStore.write` while a\n")
        .append(
            "  template was built (generating the batches excluded; each call is one commit on Iceberg and\n")
        .append(
            "  Delta, the first one creates the table), after an untimed 10k-row template of the same store\n")
        .append(
            "  in the same JVM (the write path loaded and compiled, as in a job that has written before);\n")
        .append(
            "  one value per build that wrote the roots (new phase, then stale: the DuckDB store's stale\n")
        .append("  template starts from a copy of the new one and writes none).\n")
        .append("* Targets (issue 18, on 2 cores): Iceberg and Delta on local disk resolve within ")
        .append(String.format(Locale.ROOT, "%.0f", STORE_RATIO_TARGET))
        .append(
            "× of the DuckDB\n  store at 1M and 10M; they write ≥ 1M rows/s on the simple graph ")
        .append(
            "(judged on the median of the builds).\n  The S3 stores are shown without a verdict.\n\n");
    Set<Shape> shapes = new LinkedHashSet<>();
    results.forEach(r -> shapes.add(r.scenario().shape()));
    failures.forEach(f -> shapes.add(f.scenario().shape()));
    writes.forEach(w -> shapes.add(w.scenario().shape()));
    for (Shape shape : shapes) {
      sb.append("### ")
          .append(shape == Shape.SIMPLE ? "Simple graph" : "Wide graph")
          .append("\n\n");
      StringBuilder h = new StringBuilder("| N | phase |");
      StringBuilder align = new StringBuilder("|---:|---|");
      cols.forEach(c -> {
        h.append(" ").append(c.title()).append(" (s) |");
        align.append("---|");
      });
      others.forEach(c -> {
        h.append(" ").append(c.title()).append(" / DuckDB |");
        align.append("---:|");
      });
      h.append(" peak RSS (")
          .append(String.join(" / ", cols.stream().map(BenchStore::title).toList()))
          .append(") | targets |\n");
      align.append("---|---|\n");
      sb.append(h).append(align);
      Set<String> rows = new LinkedHashSet<>();
      List<Scenario> all = new ArrayList<>();
      results.forEach(r -> all.add(r.scenario()));
      failures.forEach(f -> all.add(f.scenario()));
      all.sort(Comparator.comparingInt(Scenario::n).thenComparing(Scenario::phase));
      all.stream()
          .filter(s -> s.shape() == shape)
          .forEach(s -> rows.add(s.n() + "/" + s.phase().label()));
      for (String row : rows) {
        int n = Integer.parseInt(row.substring(0, row.indexOf('/')));
        Phase phase = Phase.parse(row.substring(row.indexOf('/') + 1));
        Result duck = find(results, shape, n, phase, BenchStore.DUCKDB);
        sb.append("| ").append(human(n)).append(" | ").append(phase.label()).append(" | ");
        List<String> rss = new ArrayList<>();
        for (BenchStore c : cols) {
          Result r = find(results, shape, n, phase, c);
          sb.append(storeCell(r, missing(failures, shape, n, phase, c))).append(" | ");
          rss.add(r == null ? "—" : mb(r.peakRssKb()));
        }
        List<String> verdicts = new ArrayList<>();
        for (BenchStore c : others) {
          Result r = find(results, shape, n, phase, c);
          Double ratio =
              r != null && duck != null ? r.stats().median() / duck.stats().median() : null;
          sb.append(ratio == null ? "—" : String.format(Locale.ROOT, "%.2f×", ratio))
              .append(" | ");
          if (JUDGED.contains(c) && (n == 1_000_000 || n == 10_000_000)) {
            String miss = missing(failures, shape, n, phase, c);
            String bound =
                c.title() + " ≤ " + String.format(Locale.ROOT, "%.0f", STORE_RATIO_TARGET) + "× ";
            if (ratio != null) {
              verdicts.add(bound + (ratio <= STORE_RATIO_TARGET ? "met" : "**missed**"));
            } else if (miss != null) {
              verdicts.add(bound + "**missed** (" + miss + ")");
            }
          }
        }
        sb.append(String.join(" / ", rss))
            .append(" | ")
            .append(verdicts.isEmpty() ? "—" : String.join("; ", verdicts))
            .append(" |\n");
      }
      sb.append("\n");
    }
    if (!writes.isEmpty()) {
      sb.append("### Write throughput\n\n");
      sb.append(
          "Rows/s of writing the roots' rows through `MetadataStore.write` (seconds in brackets), per template build.\n\n");
      sb.append("| graph | N |");
      cols.forEach(c -> sb.append(" ").append(c.title()).append(" |"));
      sb.append(" targets |\n|---|---:|");
      cols.forEach(c -> sb.append("---|"));
      sb.append("---|\n");
      Set<String> keys = new LinkedHashSet<>();
      List<Write> sorted = new ArrayList<>(writes);
      sorted.sort(Comparator.comparing((Write w) -> w.scenario().shape())
          .thenComparingInt(w -> w.scenario().n()));
      sorted.forEach(
          w -> keys.add(w.scenario().shape().label() + "/" + w.scenario().n()));
      for (String key : keys) {
        Shape shape = Shape.parse(key.substring(0, key.indexOf('/')));
        int n = Integer.parseInt(key.substring(key.indexOf('/') + 1));
        sb.append("| ").append(shape.label()).append(" | ").append(human(n)).append(" | ");
        List<String> verdicts = new ArrayList<>();
        for (BenchStore c : cols) {
          List<Write> ws = sorted.stream()
              .filter(w -> w.scenario().shape() == shape && w.scenario().n() == n && w.store() == c)
              .sorted(Comparator.comparing(w -> w.scenario().phase()))
              .toList();
          sb.append(
                  ws.isEmpty()
                      ? "—"
                      : String.join(" / ", ws.stream().map(Write::format).toList()))
              .append(" | ");
          if (shape == Shape.SIMPLE && JUDGED.contains(c) && !ws.isEmpty()) {
            double median = Stats.of(
                    ws.stream().mapToDouble(Write::rowsPerSecond).toArray())
                .median();
            verdicts.add(
                c.title() + " ≥ 1M rows/s " + (median >= WRITE_TARGET ? "met" : "**missed**"));
          }
        }
        sb.append(verdicts.isEmpty() ? "—" : String.join("; ", verdicts)).append(" |\n");
      }
      sb.append("\n");
    }
    if (!failures.isEmpty()) {
      sb.append("### Skipped and failed\n\n");
      Set<String> lines = new LinkedHashSet<>();
      for (Failure f : failures) {
        lines.add(
            f.skipped()
                ? "* " + f.store().label() + ": skipped, " + f.reason().replace("|", "\\|")
                : "* " + f.scenario().label() + " on " + f.store().label() + ": "
                    + f.reason().replace("|", "\\|"));
      }
      lines.forEach(l -> sb.append(l).append("\n"));
      sb.append("\n");
    }
    return sb.toString();
  }

  private static String storeCell(Result r, String missing) {
    return r != null
        ? r.stats().format()
        : missing == null ? "—" : missing.equals("skipped") ? "skipped" : "**failed**";
  }

  /** {@code "skipped"} or {@code "failed"} when the store has a failure for this row, else null. */
  private static String missing(
      List<Failure> failures, Shape shape, int n, Phase phase, BenchStore store) {
    for (Failure f : failures) {
      Scenario s = f.scenario();
      if (f.store() == store && s.shape() == shape && s.n() == n && s.phase() == phase) {
        return f.skipped() ? "skipped" : "failed";
      }
    }
    return null;
  }

  private static Result find(
      List<Result> results, Shape shape, int n, Phase phase, BenchStore store) {
    for (Result r : results) {
      Scenario s = r.scenario();
      if (r.store() == store
          && r.impl() == Implementation.METAXY
          && s.shape() == shape
          && s.n() == n
          && s.phase() == phase) {
        return r;
      }
    }
    return null;
  }

  static String human(int n) {
    if (n % 1_000_000 == 0) {
      return n / 1_000_000 + "M";
    }
    if (n % 1_000 == 0) {
      return n / 1_000 + "k";
    }
    return Integer.toString(n);
  }

  private static String mb(long kb) {
    return kb < 0 ? "n/a" : (kb / 1024) + " MB";
  }
}
