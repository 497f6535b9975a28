package io.metaxy.benchmarks;

import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ResolveOptions;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import io.metaxy.store.support.BufferPool;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The paper benchmark's incremental mode ({@code --incremental}): the leaf's {@code resolveUpdate} after
 * a resolve whose outputs were all written, once new versions of {@code audio} arrived for a fraction c
 * of the root samples, answered incrementally (from the state the earlier resolve recorded in the
 * store's system table) against a full resolve ({@code ResolveOptions.DEFAULT.fullResolve()}) of the
 * same file in the same round.
 *
 * <p>Per graph and N the driver builds a template in a child JVM ({@link
 * Templates#prepareIncremental}); per change c a measuring child JVM runs the warm-up and timed
 * {@linkplain #round rounds}, each on a fresh copy of the template, and prints one {@link Measured}
 * line. The driver prints {@code incremental <graph> <N> change=<c>: full <X> s, incremental <Y> s,
 * speedup <Z>x} per configuration and the section {@value #SECTION} of BENCHMARKS.md.
 */
final class Incremental {
  /** The section of BENCHMARKS.md this mode writes. */
  static final String SECTION = "## Incremental resolve";

  /** The result line of a measuring child. */
  static final String PREFIX = "INCREMENTAL ";

  static final String DEFAULT_GRAPHS = "simple,wide";
  static final String DEFAULT_SIZES = "1M,10M";
  static final String DEFAULT_CHANGES = "0,0.1%,1%,10%";

  /** The seed of round i's changed samples is this plus i (warm-up rounds counted). */
  static final long SEED = 0x1DEA5EEDL;

  private Incremental() {}

  /**
   * A changed fraction of the root samples, in parts per million (exact for what the command line
   * gives: steps of 0.0001 %).
   */
  record Change(long ppm) {
    private static final long MILLION = 1_000_000;

    Change {
      if (ppm < 0 || ppm > MILLION) {
        throw new IllegalArgumentException(
            "a change must be between 0 and 100 %, got " + ppm + " ppm");
      }
    }

    /**
     * Parses one {@code --changes} item: a percentage with a {@code %} sign ({@code 0.1%}, {@code 10%})
     * or a plain fraction ({@code 0}, {@code 0.001}).
     *
     * @throws IllegalArgumentException for anything else, a value outside 0–100 % or one finer than
     *     0.0001 %
     */
    static Change parse(String item) {
      String s = item.trim();
      boolean percent = s.endsWith("%");
      String number = percent ? s.substring(0, s.length() - 1).trim() : s;
      BigDecimal ppm;
      try {
        ppm = new BigDecimal(number).multiply(BigDecimal.valueOf(percent ? 10_000 : MILLION));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "change \"" + item + "\" is neither a percentage (0.1%) nor a fraction (0.001)", e);
      }
      try {
        return new Change(ppm.longValueExact());
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "change \"" + item + "\" is finer than 0.0001 %, or out of range", e);
      }
    }

    /** Parses a {@code --changes} list, keeping its order. */
    static List<Change> parseList(String csv) {
      List<Change> out = new ArrayList<>();
      for (String s : csv.split(",")) {
        if (s.isBlank()) {
          continue;
        }
        Change c = parse(s);
        if (out.contains(c)) {
          throw new IllegalArgumentException("--changes names " + c.label() + " twice: " + csv);
        }
        out.add(c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(
            "--changes needs at least one value, got \"" + csv + "\"");
      }
      return out;
    }

    /** How many of {@code n} samples change: c·N, rounded to the nearest. */
    long of(int n) {
      return (ppm * n + MILLION / 2) / MILLION;
    }

    /** {@code 0%}, {@code 0.1%}, {@code 1%}, {@code 10%}. */
    String label() {
      return BigDecimal.valueOf(ppm, 4).stripTrailingZeros().toPlainString() + "%";
    }
  }

  /**
   * One configuration.
   *
   * @param shape the graph
   * @param n samples per root
   * @param change the fraction of root samples that get a new {@code audio} version
   */
  record Config(Shape shape, int n, Change change) {
    /** The changed root samples, which is also the stale rows a correct resolve finds. */
    long changed() {
      return change.of(n);
    }

    /** {@code simple 1M change=0.1%}. */
    String label() {
      return shape.label() + " " + Report.human(n) + " change=" + change.label();
    }
  }

  /**
   * What a measuring child measured of one configuration, exchanged as one line.
   *
   * @param full seconds of the full resolves, per timed round
   * @param incremental seconds of the incremental resolves, per timed round
   * @param openClose seconds of opening and closing the incremental resolve's store, per timed round
   * @param peakRssKb {@code VmHWM} of the measuring JVM at its end, in kB
   * @param counts the increment both resolves found in every round (verified)
   * @param incrementalRounds timed rounds in which the incremental path answered
   * @param reason the first timed round's resolution that was not incremental, else the first one's
   */
  record Measured(
      Config config,
      double[] full,
      double[] incremental,
      double[] openClose,
      long peakRssKb,
      Counts counts,
      int incrementalRounds,
      String heap,
      String reason) {
    Stats fullStats() {
      return Stats.of(full);
    }

    Stats incrementalStats() {
      return Stats.of(incremental);
    }

    /** Full median over incremental median. */
    double speedup() {
      return fullStats().median() / incrementalStats().median();
    }

    /** Whether the incremental path answered in every timed round. */
    boolean alwaysIncremental() {
      return incrementalRounds == incremental.length;
    }

    /** The line the child prints; the reason goes last, as it holds spaces. */
    String toLine() {
      return PREFIX + "graph=" + config.shape().label() + " n=" + config.n() + " change="
          + config.change().label() + " full=" + joined(full) + " incremental="
          + joined(incremental) + " open_close=" + joined(openClose) + " rss_kb=" + peakRssKb
          + " new=" + counts.newRows() + " stale=" + counts.stale() + " orphaned="
          + counts.orphaned() + " incremental_rounds=" + incrementalRounds + " heap=" + heap
          + " reason=" + reason.replace('\n', ' ');
    }

    /** Parses a line printed by {@link #toLine()}. */
    static Measured parse(String line) {
      if (!line.startsWith(PREFIX)) {
        throw new IllegalArgumentException("not an incremental result line: " + line);
      }
      String body = line.substring(PREFIX.length());
      int at = body.indexOf(" reason=");
      if (at < 0) {
        throw new IllegalArgumentException("no reason in: " + line);
      }
      Map<String, String> kv = new LinkedHashMap<>();
      for (String part : body.substring(0, at).trim().split(" ")) {
        int eq = part.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("malformed field \"" + part + "\" in: " + line);
        }
        kv.put(part.substring(0, eq), part.substring(eq + 1));
      }
      return new Measured(
          new Config(
              Shape.parse(field(kv, "graph", line)),
              Integer.parseInt(field(kv, "n", line)),
              Change.parse(field(kv, "change", line))),
          seconds(field(kv, "full", line)),
          seconds(field(kv, "incremental", line)),
          seconds(field(kv, "open_close", line)),
          Long.parseLong(field(kv, "rss_kb", line)),
          new Counts(
              Long.parseLong(field(kv, "new", line)),
              Long.parseLong(field(kv, "stale", line)),
              Long.parseLong(field(kv, "orphaned", line))),
          Integer.parseInt(field(kv, "incremental_rounds", line)),
          field(kv, "heap", line),
          body.substring(at + " reason=".length()));
    }

    private static String field(Map<String, String> kv, String key, String line) {
      String v = kv.get(key);
      if (v == null) {
        throw new IllegalArgumentException("no " + key + " in: " + line);
      }
      return v;
    }

    private static String joined(double[] seconds) {
      List<String> t = new ArrayList<>();
      for (double s : seconds) {
        t.add(String.format(Locale.ROOT, "%.6f", s));
      }
      return String.join(",", t);
    }

    private static double[] seconds(String csv) {
      return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }
  }

  /** A configuration that produced no result, and why. */
  record Failure(Config config, String reason) {}

  /**
   * The line printed per configuration, exactly {@code incremental <graph> <N> change=<c>: full <X> s,
   * incremental <Y> s, speedup <Z>x} (medians).
   */
  static String line(Measured m) {
    return String.format(
        Locale.ROOT,
        "incremental %s: full %.3f s, incremental %.3f s, speedup %.1fx",
        m.config().label(),
        m.fullStats().median(),
        m.incrementalStats().median(),
        m.speedup());
  }

  // ------------------------------------------------------------------ one round

  /**
   * One measured round.
   *
   * @param incremental seconds of the default {@code resolveUpdate}
   * @param full seconds of the {@code fullResolve()} one
   * @param openClose seconds of opening and closing the incremental resolve's store
   * @param counts what both found
   * @param resolution how the first one answered
   */
  record Round(
      double incremental,
      double full,
      double openClose,
      Counts counts,
      Increment.Resolution resolution) {}

  /**
   * One round on a fresh copy {@code file} of {@code template}: append a second {@code audio} version
   * of c·N root samples drawn with {@code seed} through a store that is then closed (not timed); on a
   * fresh store (its memory empty: the state comes from the system table, as in a new pipeline run)
   * time the default {@code resolveUpdate} of the leaf, then on another fresh store the
   * {@code fullResolve()} one. Timed: the call, counting the increment and closing it.
   *
   * @param access the scope the timed resolves run in (a pipeline's is WRITE: there the incremental
   *     resolve also records its new state)
   * @throws IllegalStateException when the full resolve does not find c·N stale rows (and nothing new
   *     or orphaned), the incremental one finds other counts, or an Arrow buffer is left allocated
   */
  static Round round(
      Config c,
      Variant v,
      Path template,
      Path file,
      Map<String, String> settings,
      BufferAllocator allocator,
      long seed,
      AccessMode access) {
    Templates.copy(template, file);
    append(c, v, file, settings, allocator, pick(c.n(), c.changed(), seed));
    Timed inc = resolve(c, v, file, settings, allocator, ResolveOptions.DEFAULT, access);
    Timed full =
        resolve(c, v, file, settings, allocator, ResolveOptions.DEFAULT.fullResolve(), access);
    Counts want = new Counts(0, c.changed(), 0);
    if (!full.counts().equals(want)) {
      throw new IllegalStateException("the full resolve of " + c.label() + " returned "
          + full.counts() + ", expected " + want + " (template " + template + ")");
    }
    if (!inc.counts().equals(full.counts())) {
      throw new IllegalStateException("the incremental resolve of " + c.label() + " returned "
          + inc.counts() + ", the full one " + full.counts() + "; it answered "
          + inc.resolution() + " (template " + template + ")");
    }
    return new Round(inc.seconds(), full.seconds(), inc.openClose(), want, inc.resolution());
  }

  private record Timed(
      double seconds, double openClose, Counts counts, Increment.Resolution resolution) {}

  /** Opens a fresh store on {@code file}, times one {@code resolveUpdate} of the leaf, closes it. */
  @SuppressWarnings("try") // the scope keeps the store open for the resolve
  private static Timed resolve(
      Config c,
      Variant v,
      Path file,
      Map<String, String> settings,
      BufferAllocator allocator,
      ResolveOptions opts,
      AccessMode access) {
    long opening = System.nanoTime();
    long t0;
    long t1;
    Counts counts;
    Increment.Resolution resolution;
    DuckDbMetadataStore store =
        new DuckDbMetadataStore(options(c, v).allocator(allocator), file.toString(), settings);
    try (store;
        MetadataStore.Scope scope = store.open(access)) {
      t0 = System.nanoTime();
      try (Increment inc = store.resolveUpdate(c.shape().leaf(), opts)) {
        counts = new Counts(inc.newCount(), inc.staleCount(), inc.orphanedCount());
        resolution = inc.resolution();
      }
      t1 = System.nanoTime();
    }
    long closed = System.nanoTime();
    if (allocator.getAllocatedMemory() != 0) {
      throw new IllegalStateException("resolveUpdate of " + c.label() + " (" + resolution
          + ") left " + allocator.getAllocatedMemory() + " bytes of Arrow memory allocated");
    }
    return new Timed((t1 - t0) / 1e9, ((t0 - opening) + (closed - t1)) / 1e9, counts, resolution);
  }

  /** Appends a second {@code audio} version of the samples {@code ids} to {@code bench/video}. */
  @SuppressWarnings("try") // the scope keeps the store open for writing
  static void append(
      Config c,
      Variant v,
      Path file,
      Map<String, String> settings,
      BufferAllocator allocator,
      long[] ids) {
    if (ids.length == 0) {
      return;
    }
    try (DuckDbMetadataStore store =
            new DuckDbMetadataStore(options(c, v).allocator(allocator), file.toString(), settings);
        MetadataStore.Scope scope = store.open(AccessMode.WRITE)) {
      for (int from = 0; from < ids.length; from += Templates.CHUNK) {
        int to = Math.min(ids.length, from + Templates.CHUNK);
        try (VectorSchemaRoot b = Templates.rootBatch(
            c.shape(), Shape.VIDEO, Arrays.copyOfRange(ids, from, to), true, allocator)) {
          store.write(Shape.VIDEO, b);
        }
      }
    }
  }

  /**
   * {@code k} distinct samples of {@code [0, n)} drawn uniformly with {@code seed} (Floyd's algorithm),
   * in ascending order.
   */
  static long[] pick(int n, long k, long seed) {
    if (k < 0 || k > n) {
      throw new IllegalArgumentException("cannot pick " + k + " of " + n + " samples");
    }
    SplittableRandom random = new SplittableRandom(seed);
    BitSet chosen = new BitSet(n);
    for (int j = (int) (n - k); j < n; j++) {
      int t = random.nextInt(j + 1);
      chosen.set(chosen.get(t) ? j : t);
    }
    return chosen.stream().asLongStream().toArray();
  }

  /** The store options of the configuration, as the paper benchmark's rounds use them. */
  private static StoreOptions options(Config c, Variant v) {
    return MetaxyResolve.options(new Scenario(c.shape(), c.n(), Phase.STALE, v));
  }

  // ------------------------------------------------------------------ children

  /** The template's file name, e.g. {@code simple-1000000-xxhash32-incr.duckdb}. */
  static String templateName(Shape shape, int n, Variant v) {
    return shape.label() + "-" + n + "-" + v.hash().configName()
        + (v.layout() == Variant.STORE_DEFAULT_LAYOUT ? "" : "-" + v.layoutName()) + "-incr.duckdb";
  }

  /** The template-building child: builds {@code --template} and prints its root writes. */
  static void prepare(Map<String, String> o) {
    Shape shape = Shape.parse(one(o, "graphs"));
    int n = PaperBenchmark.size(one(o, "sizes"));
    Templates.Written w =
        Templates.prepareIncremental(shape, n, variant(o), Path.of(one(o, "template")));
    System.out.println(PaperBenchmark.WRITE_PREFIX + "rows=" + w.rows()
        + String.format(Locale.ROOT, " seconds=%.6f", w.seconds()));
  }

  /** The measuring child: warm-up and timed rounds of one configuration, then its result line. */
  static void child(Map<String, String> o) {
    Config c = new Config(
        Shape.parse(one(o, "graphs")),
        PaperBenchmark.size(one(o, "sizes")),
        Change.parse(one(o, "changes")));
    Variant v = variant(o);
    Path template = Path.of(one(o, "template"));
    int rounds = positive(o, "rounds", "5");
    int warmup = nonNegative(o, "warmup", "1");
    AccessMode access = access(o);
    Map<String, String> settings = PaperBenchmark.storeSettings(o);
    Path file = template.resolveSibling("round-incr-" + ProcessHandle.current().pid() + ".duckdb");
    double[] full = new double[rounds];
    double[] incremental = new double[rounds];
    double[] openClose = new double[rounds];
    int incrementalRounds = 0;
    String notIncremental = null;
    String first = null;
    Counts counts = null;
    try (BufferAllocator allocator = BufferPool.newRootAllocator()) {
      for (int i = 0; i < warmup + rounds; i++) {
        Round r = round(c, v, template, file, settings, allocator, SEED + i, access);
        counts = r.counts();
        if (i < warmup) {
          continue;
        }
        full[i - warmup] = r.full();
        incremental[i - warmup] = r.incremental();
        openClose[i - warmup] = r.openClose();
        if (first == null) {
          first = r.resolution().toString();
        }
        if (r.resolution().incremental()) {
          incrementalRounds++;
        } else if (notIncremental == null) {
          notIncremental = r.resolution().toString();
        }
      }
    } finally {
      Templates.delete(file);
    }
    String heap = o.getOrDefault("heap", Runtime.getRuntime().maxMemory() / (1 << 20) + "m");
    Measured m = new Measured(
        c,
        full,
        incremental,
        openClose,
        PaperBenchmark.peakRssKb(),
        counts,
        incrementalRounds,
        heap,
        notIncremental != null ? notIncremental : first);
    System.out.println(m.toLine());
  }

  // ------------------------------------------------------------------ driver

  /**
   * Runs the matrix the options name: per graph and N a template (its own JVM), per change a measuring
   * JVM. Prints one {@link #line} per configuration to {@code out} as it completes, then the section;
   * with {@code --out} rewrites that section of the file.
   *
   * @return the measured configurations
   */
  static List<Measured> drive(Map<String, String> o, PrintStream out)
      throws IOException, InterruptedException {
    List<Shape> shapes = PaperBenchmark.list(o, "graphs", DEFAULT_GRAPHS).stream()
        .map(Shape::parse)
        .toList();
    List<Integer> sizes = PaperBenchmark.list(o, "sizes", DEFAULT_SIZES).stream()
        .map(PaperBenchmark::size)
        .toList();
    List<Change> changes = Change.parseList(o.getOrDefault("changes", DEFAULT_CHANGES));
    Variant variant = variant(o);
    AccessMode access = access(o);
    String rounds = Integer.toString(positive(o, "rounds", "5"));
    String warmup = Integer.toString(nonNegative(o, "warmup", "1"));
    String heap = o.getOrDefault("heap", "1500m");
    String prepareHeap = o.getOrDefault("prepare-heap", "8g");
    long timeout = Long.parseLong(o.getOrDefault("timeout", "3600"));
    String limitOption =
        o.getOrDefault("store-memory-limit", PaperBenchmark.DEFAULT_STORE_MEMORY_LIMIT);
    boolean keep = o.containsKey("keep-templates");
    Path work = Path.of(o.getOrDefault("workdir", "target/bench-data")).toAbsolutePath();
    Files.createDirectories(work);
    Instant started = Instant.now();
    Machine machine = Machine.describe();
    List<Measured> results = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    for (Shape shape : shapes) {
      for (int n : sizes) {
        Path template = work.resolve(templateName(shape, n, variant));
        // A template found in the work directory may be another run's kept one: rebuilt unless
        // --keep-templates, but never deleted.
        boolean foundBefore = Files.exists(template);
        List<String> common = List.of(
            "--incremental",
            "--graphs",
            shape.label(),
            "--sizes",
            Integer.toString(n),
            "--hash",
            variant.configName(),
            "--template",
            template.toString());
        try {
          if (!keep || !foundBefore) {
            long t0 = System.nanoTime();
            List<String> args = new ArrayList<>(common);
            args.add("--prepare");
            PaperBenchmark.fork(
                prepareHeap,
                timeout,
                shape.label() + " " + Report.human(n) + " (template)",
                args,
                false);
            System.err.printf(
                Locale.ROOT,
                "prepared %s in %.1f s%n",
                template.getFileName(),
                (System.nanoTime() - t0) / 1e9);
          }
          for (Change change : changes) {
            Config c = new Config(shape, n, change);
            List<String> args = new ArrayList<>(common);
            args.addAll(List.of(
                "--child",
                "--changes",
                change.label(),
                "--rounds",
                rounds,
                "--warmup",
                warmup,
                "--heap",
                heap,
                "--store-memory-limit",
                limitOption,
                "--access",
                access.name().toLowerCase(Locale.ROOT)));
            try {
              String result = PaperBenchmark.fork(heap, timeout, c.label(), args, true);
              Measured m = Measured.parse(result);
              results.add(m);
              out.println(line(m));
              out.flush();
              System.err.printf(
                  Locale.ROOT,
                  "%s: full %s s, incremental %s s, peak RSS %d MB, %d/%d rounds incremental, %s%n",
                  c.label(),
                  m.fullStats().format(),
                  m.incrementalStats().format(),
                  m.peakRssKb() / 1024,
                  m.incrementalRounds(),
                  m.incremental().length,
                  m.reason());
            } catch (PaperBenchmark.ChildFailure e) {
              System.err.println("FAILED " + c.label() + ": " + e.getMessage());
              failures.add(new Failure(c, e.getMessage()));
            }
          }
        } catch (PaperBenchmark.ChildFailure e) {
          System.err.println("FAILED template " + template.getFileName() + ": " + e.getMessage());
          for (Change change : changes) {
            failures.add(
                new Failure(new Config(shape, n, change), "no template: " + e.getMessage()));
          }
        } finally {
          if (!keep && !foundBefore) {
            Templates.delete(template);
          }
        }
      }
    }
    String section = section(
        results,
        failures,
        machine,
        started,
        Machine.loadAverage(),
        PaperBenchmark.commandLine(o),
        heap,
        limitOption.equals("default") ? null : limitOption,
        variant,
        access,
        Integer.parseInt(warmup));
    out.println();
    out.println(section);
    if (o.containsKey("out")) {
      Path file = Path.of(o.get("out"));
      String doc = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      Files.writeString(
          file,
          MarkdownSections.replace(doc, SECTION, section, CompileTimeBenchmark.SECTION),
          StandardCharsets.UTF_8);
      System.err.println("wrote " + file.toAbsolutePath());
    }
    return results;
  }

  private static String one(Map<String, String> o, String key) {
    String v = o.get(key);
    if (v == null || v.contains(",")) {
      throw new IllegalArgumentException(
          "this mode needs exactly one --" + key + " value, got " + (v == null ? "none" : v));
    }
    return v;
  }

  /** The one {@code --hash} item (default: the store's, xxhash32 on STRUCT). */
  private static Variant variant(Map<String, String> o) {
    return o.containsKey("hash")
        ? Variant.parse(one(o, "hash"))
        : Variant.of(PaperBenchmark.STORE_DEFAULT);
  }

  /** {@code --access write} (the default, a pipeline's) or {@code read}. */
  static AccessMode access(Map<String, String> o) {
    String a = o.getOrDefault("access", "write").trim();
    for (AccessMode m : List.of(AccessMode.WRITE, AccessMode.READ)) {
      if (m.name().equalsIgnoreCase(a)) {
        return m;
      }
    }
    throw new IllegalArgumentException("--access is write or read, got \"" + a + "\"");
  }

  private static int positive(Map<String, String> o, String key, String dflt) {
    int v = nonNegative(o, key, dflt);
    if (v == 0) {
      throw new IllegalArgumentException("--" + key + " must be at least 1");
    }
    return v;
  }

  private static int nonNegative(Map<String, String> o, String key, String dflt) {
    String s = o.getOrDefault(key, dflt);
    try {
      int v = Integer.parseInt(s.trim());
      if (v < 0) {
        throw new IllegalArgumentException("--" + key + " must not be negative, got " + s);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + " is not a number: " + s, e);
    }
  }

  // ------------------------------------------------------------------ report

  /** The speedup the issue asks of simple 10M at 0.1 % changed. */
  static final double SPEEDUP_TARGET = 25;

  /** How much slower 10M may be than 1M at the same number of changed rows. */
  static final double GROWTH_TARGET = 2;

  private static final int TEN_M = 10_000_000;
  private static final int ONE_M = 1_000_000;

  /** The section {@value #SECTION}. */
  static String section(
      List<Measured> results,
      List<Failure> failures,
      Machine m,
      Instant started,
      String loadAtEnd,
      String command,
      String heap,
      String storeMemoryLimit,
      Variant variant,
      AccessMode access,
      int warmup) {
    StringBuilder sb = new StringBuilder(SECTION).append("\n\n");
    sb.append(
            "`resolveUpdate` of the leaf after a resolve whose outputs were all written, once new\n")
        .append(
            "versions of `audio` arrived for a fraction of the root samples: the incremental resolve\n")
        .append(
            "(the default, from the state the earlier resolve recorded in the store) against a full\n")
        .append(
            "resolve (`ResolveOptions.DEFAULT.fullResolve()`) of the same file in the same round, on the\n")
        .append(
            "DuckDB store. Generated by `io.metaxy.benchmarks.PaperBenchmark --incremental` (see\n")
        .append("`benchmarks/README.md`); do not edit by hand.\n\n");
    sb.append("* Machine: ")
        .append(m.cores())
        .append(" cores, ")
        .append(m.cpu())
        .append(", ")
        .append(m.memory())
        .append(", ")
        .append(m.jdk())
        .append(", DuckDB ")
        .append(m.duckdb())
        .append("; started ")
        .append(started.truncatedTo(ChronoUnit.SECONDS))
        .append("; load average (1/5/15 min) ")
        .append(m.load())
        .append(" at start, ")
        .append(loadAtEnd)
        .append(" at end. Child JVMs `-Xmx")
        .append(heap)
        .append("`, environment `MALLOC_ARENA_MAX=2`; our store's ")
        .append(
            storeMemoryLimit == null
                ? "DuckDB's default `memory_limit`"
                : "`memory_limit = " + storeMemoryLimit + "`")
        .append(".\n");
    sb.append("* Command: `").append(command).append("`\n");
    sb.append("* Graphs as in the paper benchmark; ")
        .append(variant.columnLabel())
        .append(
            variant.layout() == Variant.STORE_DEFAULT_LAYOUT ? " (the store default, STRUCT)" : "")
        .append(".\n")
        .append(
            "* Template per graph and N (not timed, in its own JVM): the roots' N samples and the\n")
        .append(
            "  leaf's rows at their correct provenance (the stale-phase template before its `audio`\n")
        .append(
            "  change), then one `resolveUpdate(leaf)` in a write scope, which records its state\n")
        .append(
            "  (append cursors, no outstanding sample) in the system table `metaxy-system/resolve_state`.\n")
        .append("* Round (")
        .append(warmup)
        .append(
            " warm-up, then the timed ones; each on a fresh copy of the template, in one JVM per\n")
        .append(
            "  row): append a second version of `audio` of `bench/video` for c·N samples drawn at random\n")
        .append(
            "  without repetition (seed fixed per round), through a store that is then closed (not\n")
        .append(
            "  timed); on a fresh store object (empty memory: the state comes from the system table, as\n")
        .append("  in a new pipeline run) opened in a ")
        .append(access.name().toLowerCase(Locale.ROOT))
        .append(" scope, time `resolveUpdate(leaf)`; then on another fresh\n")
        .append(
            "  store time `resolveUpdate(leaf, ResolveOptions.DEFAULT.fullResolve())`. Timed: the call,\n")
        .append(
            "  counting the increment and closing it; opening and closing the store are not (their\n")
        .append(
            "  median for the incremental resolve is shown). Every round is verified: the full resolve\n")
        .append(
            "  finds c·N stale rows and nothing new or orphaned, the incremental one the same counts,\n")
        .append("  every Arrow buffer is released.\n")
        .append(
            "* Changed: c·N root samples, the stale rows expected (each leaf sample depends on one\n")
        .append(
            "  sample per root). Times: median [p25–p75] in seconds. Speedup: full median over\n")
        .append(
            "  incremental median. Peak RSS: `VmHWM` of the measuring JVM (both resolves, every round).\n")
        .append(
            "  Incremental: the timed rounds in which `Increment.resolution().incremental()` was true;\n")
        .append("  otherwise the store's reason for the full resolve.\n\n");
    sb.append(
            "| graph | N | changed | stale rows | full (s) | incremental (s) | speedup | store open + close (s) | peak RSS | incremental |\n")
        .append("|---|---:|---:|---:|---|---|---:|---|---:|---|\n");
    for (Measured r : results) {
      Config c = r.config();
      sb.append("| ")
          .append(c.shape().label())
          .append(" | ")
          .append(Report.human(c.n()))
          .append(" | ")
          .append(c.change().label())
          .append(" | ")
          .append(String.format(Locale.ROOT, "%,d", r.counts().stale()))
          .append(" | ")
          .append(r.fullStats().format())
          .append(" | ")
          .append(r.incrementalStats().format())
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.1f×", r.speedup()))
          .append(" | ")
          .append(Stats.of(r.openClose()).format())
          .append(" | ")
          .append(r.peakRssKb() < 0 ? "n/a" : r.peakRssKb() / 1024 + " MB")
          .append(" | ")
          .append(answered(r))
          .append(" |\n");
    }
    sb.append('\n');
    sb.append("Targets (issue, on 2 cores; judged on the incremental median):\n\n");
    targets(results).forEach(t -> sb.append("* ").append(t).append('\n'));
    if (!failures.isEmpty()) {
      sb.append("\nFailures (no result):\n\n");
      for (Failure f : failures) {
        sb.append("* ")
            .append(f.config().label())
            .append(": ")
            .append(cell(f.reason()))
            .append('\n');
      }
    }
    return sb.toString();
  }

  private static String answered(Measured r) {
    String rounds = r.incrementalRounds() + "/" + r.incremental().length;
    return r.alwaysIncremental()
        ? "yes (" + rounds + ")"
        : "**no** (" + rounds + "): " + cell(r.reason());
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace('\n', ' ');
  }

  /** The targets, each with what this run measured and a verdict. */
  static List<String> targets(List<Measured> results) {
    List<String> out = new ArrayList<>();
    Change c01 = Change.parse("0.1%");
    Measured simple = find(results, Shape.SIMPLE, TEN_M, c01);
    out.add("simple 10M, 0.1 % changed: incremental ≤ 0.1 s and a speedup ≥ 25×: "
        + (simple == null
            ? "not measured"
            : String.format(Locale.ROOT, "%.3f s, %.1f×", median(simple), simple.speedup())
                + verdict(median(simple) <= 0.1 && simple.speedup() >= SPEEDUP_TARGET)));
    List<String> zero = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    for (Shape shape : Shape.values()) {
      Measured z = find(results, shape, TEN_M, new Change(0));
      if (z != null) {
        zero.add(shape.label() + " " + String.format(Locale.ROOT, "%.3f s", median(z))
            + verdict(median(z) <= 0.05));
      }
      double limit = shape == Shape.SIMPLE ? 1.5 : 4;
      Measured s = find(results, shape, TEN_M, Change.parse("10%"));
      stale.add(shape.label() + " ≤ " + (shape == Shape.SIMPLE ? "1.5" : "4") + " s: "
          + (s == null
              ? "not measured"
              : String.format(Locale.ROOT, "%.3f s", median(s)) + verdict(median(s) <= limit)));
    }
    out.add("10M, 0 % changed: incremental ≤ 0.05 s: "
        + (zero.isEmpty() ? "not measured" : String.join("; ", zero)));
    out.add("the paper's stale phase (10 % changed) at 10M: " + String.join("; ", stale));
    List<String> growth = new ArrayList<>();
    for (Measured big : results) {
      if (big.config().n() != TEN_M || big.config().changed() == 0) {
        continue;
      }
      for (Measured small : results) {
        Config s = small.config();
        if (s.shape() == big.config().shape()
            && s.n() == ONE_M
            && s.changed() == big.config().changed()) {
          double ratio = median(big) / median(small);
          if (small.incrementalRounds() < small.incremental().length
              || big.incrementalRounds() < big.incremental().length) {
            // A full resolve answered one of them: the ratio says nothing of the incremental path.
            growth.add(String.format(
                Locale.ROOT,
                "%s, %,d changed rows: not comparable (a full resolve answered %s)",
                s.shape().label(),
                s.changed(),
                small.incrementalRounds() < small.incremental().length ? "1M" : "10M"));
            continue;
          }
          growth.add(String.format(
                  Locale.ROOT,
                  "%s, %,d changed rows: 10M (%s) %.3f s / 1M (%s) %.3f s = %.2f×",
                  s.shape().label(),
                  s.changed(),
                  big.config().change().label(),
                  median(big),
                  s.change().label(),
                  median(small),
                  ratio)
              + verdict(ratio <= GROWTH_TARGET));
        }
      }
    }
    out.add(
        "the incremental time grows with the changed rows, not with N (10M against 1M at the same"
            + " number of changed rows, within 2×): "
            + (growth.isEmpty()
                ? "not measured (needs 1M and 10M at the same number of changed rows, e.g. 1M at 1 % and"
                    + " 10M at 0.1 %)"
                : String.join("; ", growth)));
    return out;
  }

  private static double median(Measured m) {
    return m.incrementalStats().median();
  }

  private static String verdict(boolean met) {
    return met ? ": met" : ": **missed**";
  }

  private static Measured find(List<Measured> results, Shape shape, int n, Change change) {
    for (Measured r : results) {
      Config c = r.config();
      if (c.shape() == shape && c.n() == n && c.change().equals(change)) {
        return r;
      }
    }
    return null;
  }
}
