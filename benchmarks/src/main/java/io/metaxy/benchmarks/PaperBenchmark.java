package io.metaxy.benchmarks;

import io.metaxy.config.MetaxyConfig;
import io.metaxy.store.spi.ByFieldLayout;
import io.metaxy.store.support.BufferPool;
import io.metaxy.testing.s3.S3Server;
import io.metaxy.versioning.HashAlgorithm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.openjdk.jmh.Main;

/**
 * The reference paper's benchmark: wall-clock of a leaf's {@code resolveUpdate} on a fresh DuckDB file
 * (reading from the store included) against one hand-written DuckDB SQL query, for the simple and wide
 * graphs, N samples, phases new and stale.
 *
 * <p>The driver (default mode) runs a matrix: for each configuration it builds a template file in one
 * child JVM, then measures each implementation in its own child JVM (so {@code VmHWM} is that
 * implementation's peak RSS): one warm-up round and {@code --rounds} timed rounds, each on a fresh copy
 * of the template, each verified. Ours runs once per {@code --hash} item, a {@link Variant}: a hash
 * algorithm and a by-field layout (default: the store's default xxhash32 on its default STRUCT layout,
 * xxhash32 on the MAP layout, then md5, the baseline's); the baseline runs once, with md5 on a STRUCT
 * template. It prints a Markdown report and, with {@code --out}, writes it to a file. Run with
 * {@code --help} for the options.
 */
public final class PaperBenchmark {
  private static final String USAGE = """
      usage: java -jar benchmarks/target/benchmarks.jar [options]
        --graphs simple,wide     graphs (alias --graph)
        --sizes 10k,100k,1M,10M  sample counts N (alias --n); suffixes k and M
        --phases new,stale       phases (alias --phase)
        --impls metaxy,baseline  implementations (alias --impl)
        --rounds 5               timed rounds per configuration (after --warmup rounds)
        --warmup 1               untimed warm-up rounds
        --hash xxhash32,xxhash32:map,md5
                                 our variants: ours runs once per item, each its own column (the first is
                                 the one the targets are judged on). An item is a hash algorithm (xxhash32
                                 is the DuckDB store's default, md5 the baseline's) with an optional
                                 by-field layout suffix: :struct (the default, may be omitted; the store's
                                 default STRUCT columns) or :map (a template written with
                                 enableMapDatatype(true): MAP(VARCHAR, VARCHAR) columns). Each item gets its
                                 own template. The baseline always uses md5 on the STRUCT template and runs
                                 once per configuration.
        --heap 1500m             -Xmx of the measuring child JVMs
        --store-memory-limit 256MB   DuckDB memory_limit of our store (`default`: DuckDB's, 80 % of RAM);
                                 the baseline always runs at DuckDB's defaults
        --prepare-heap 8g        -Xmx of the template-building child JVMs
        --workdir target/bench-data   where template and round files go
        --out FILE               also write the Markdown report to FILE (e.g. BENCHMARKS.md)
        --stores duckdb          the stores ours runs on; naming a lakehouse store (iceberg, delta,
                                 iceberg-s3, delta-s3) makes this a lakehouse run: ours at the first --hash
                                 item on the DuckDB store (always, the ratios' reference) and on each named
                                 store, no baseline; with --out it rewrites only the "Lakehouse stores"
                                 section. The S3 stores run on s3proxy (loopback, in this JVM, objects
                                 under WORKDIR/s3). A store that cannot be opened is reported as skipped
        --s3-sizes 1M            the sizes at which the S3 stores run (other sizes skip them)
        --keep-templates         reuse existing templates and keep them afterwards (without it templates
                                 are built afresh; ones found in the work directory are never deleted)
        --timeout 3600           seconds after which a child JVM is killed (recorded as failed)
        --profile                in this JVM, time the steps of our resolveUpdate (open, reads, engine
                                 expected, diff) for one --graph/--n/--phase/--hash (default xxhash32,
                                 STRUCT; an item such as xxhash32:map runs on a MAP template)
        --floor                  in this JVM, for one --graph/--n/--phase/--hash: wall and CPU time of
                                 DuckDB handing over the least any implementation must read, against a
                                 whole resolveUpdate (cold file per round; Linux). --hash as for --profile
        --incremental            the incremental resolve against a full one (section "Incremental resolve"):
                                 per --graphs/--sizes a template holding the roots, the leaf at its correct
                                 provenance and the state of one resolve; per round a fresh copy, a new
                                 audio version appended for a fraction c of the root samples (not timed),
                                 then resolveUpdate(leaf) and resolveUpdate(leaf, fullResolve()) timed, each
                                 on a fresh store, verified. Prints per configuration
                                 "incremental <graph> <N> change=<c>: full <X> s, incremental <Y> s,
                                 speedup <Z>x"; with --out rewrites only its section. Takes --graphs
                                 (default simple,wide), --sizes (default 1M,10M), --rounds, --warmup,
                                 --heap, --prepare-heap, --store-memory-limit, --workdir, --out,
                                 --keep-templates, --timeout, one --hash item (default xxhash32) and:
          --changes 0,0.1%,1%,10%  the changed fractions c: percentages, or plain fractions (0.001)
          --access write         the scope the timed resolves run in: write (a pipeline's; the
                                 incremental resolve then records its new state) or read
      or: java -jar benchmarks/target/benchmarks.jar --jmh [JMH options]   (JMH microbenchmarks, e.g. HashBench)
      """;

  /**
   * The hash algorithm a {@code DuckDbMetadataStore} uses when none is configured (the reference's
   * default for DuckDB, versioning spec §4.1): what users run, so the targets are judged on it by default.
   */
  static final HashAlgorithm STORE_DEFAULT = HashAlgorithm.XXHASH32;

  /**
   * The default {@code --hash}: the store default (xxhash32 on STRUCT) first, then xxhash32 on the MAP
   * layout ({@code enableMapDatatype}), then the baseline's md5 for a like-for-like column.
   */
  static final String DEFAULT_HASHES = String.join(
      ",",
      Variant.of(STORE_DEFAULT).configName(),
      new Variant(STORE_DEFAULT, ByFieldLayout.MAP).configName(),
      Variant.of(BaselineQuery.HASH).configName());

  private PaperBenchmark() {}

  /** Entry point; see the class comment and {@code --help}. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--jmh")) {
      // The JMH microbenchmarks (io.metaxy.benchmarks.jmh) take JMH's own options.
      Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Map<String, String> o = parse(args);
    if (o.containsKey("help")) {
      System.out.print(USAGE);
      return;
    }
    if (o.containsKey("incremental")) {
      if (o.containsKey("child")) {
        Incremental.child(o);
      } else if (o.containsKey("prepare")) {
        Incremental.prepare(o);
      } else {
        Incremental.drive(o, System.out);
      }
    } else if (o.containsKey("child")) {
      child(o);
    } else if (o.containsKey("profile")) {
      profile(o);
    } else if (o.containsKey("floor")) {
      floor(o);
    } else if (o.containsKey("prepare")) {
      prepare(o);
    } else {
      drive(o);
    }
  }

  // ------------------------------------------------------------------ options

  private static Map<String, String> parse(String[] args) {
    return CommandLine.parse(
        args,
        List.of(
            "graphs",
            "sizes",
            "phases",
            "impls",
            "rounds",
            "warmup",
            "hash",
            "heap",
            "prepare-heap",
            "workdir",
            "out",
            "keep-templates",
            "help",
            "profile",
            "floor",
            "timeout",
            "base",
            "child",
            "prepare",
            "template",
            "store-memory-limit",
            "stores",
            "store",
            "s3-sizes",
            "s3-endpoint",
            "warm-write",
            "incremental",
            "changes",
            "access"),
        Map.of(
            "graph", "graphs", "n", "sizes", "size", "sizes", "phase", "phases", "impl", "impls"));
  }

  static List<String> list(Map<String, String> o, String key, String dflt) {
    List<String> out = new ArrayList<>();
    for (String s : o.getOrDefault(key, dflt).split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  /** Parses {@code 10000}, {@code 10k}, {@code 1M}. */
  static int size(String s) {
    String t = s.trim();
    long mult = 1;
    if (t.endsWith("k") || t.endsWith("K")) {
      mult = 1_000;
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("M") || t.endsWith("m")) {
      mult = 1_000_000;
      t = t.substring(0, t.length() - 1);
    }
    try {
      long v = Long.parseLong(t) * mult;
      if (v <= 0 || v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "size \"" + s + "\" must be between 1 and " + Integer.MAX_VALUE);
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "size \"" + s + "\" is not a number (e.g. 10000, 10k, 1M)", e);
    }
  }

  private static Scenario scenario(Map<String, String> o) {
    Variant variant =
        o.containsKey("hash") ? Variant.parse(required(o, "hash")) : Variant.of(STORE_DEFAULT);
    return new Scenario(
        Shape.parse(required(o, "graphs")),
        size(required(o, "sizes")),
        Phase.parse(required(o, "phases")),
        variant);
  }

  /**
   * Parses the {@code --hash} list, e.g. {@code xxhash32,xxhash32:map,md5}, keeping its order: one
   * variant of ours per item, an algorithm with an optional layout suffix ({@code :struct}, the default,
   * or {@code :map}).
   *
   * @throws IllegalArgumentException when the list is empty, names an unknown algorithm or layout or names
   *     one variant twice ({@code md5} and {@code md5:struct} are the same)
   */
  static List<Variant> variants(String csv) {
    List<Variant> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (s.isBlank()) {
        continue;
      }
      Variant v = Variant.parse(s);
      if (out.contains(v)) {
        throw new IllegalArgumentException("--hash names " + v.configName() + " twice: " + csv);
      }
      out.add(v);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "--hash needs at least one algorithm, got \"" + csv + "\"");
    }
    return out;
  }

  /**
   * One measured column of a configuration.
   *
   * @param impl the implementation
   * @param variant the store's hash algorithm for it and the layout of its template (which it shares with
   *     every run of the same variant)
   */
  record Run(Implementation impl, Variant variant, BenchStore store) {
    /** A run on the DuckDB store. */
    Run(Implementation impl, Variant variant) {
      this(impl, variant, BenchStore.DUCKDB);
    }

    /** What its template is keyed by: runs of the same variant on the same store share one. */
    Run template() {
      return new Run(Implementation.METAXY, variant, store);
    }
  }

  /**
   * What runs per configuration with {@code --stores}: ours at {@code variant} on the DuckDB store (the
   * reference of the ratios, always measured), then on each lakehouse store in {@code stores}' order.
   */
  static List<Run> lakehousePlan(List<BenchStore> stores, Variant variant) {
    List<Run> out = new ArrayList<>();
    out.add(new Run(Implementation.METAXY, variant, BenchStore.DUCKDB));
    for (BenchStore s : stores) {
      if (s != BenchStore.DUCKDB) {
        out.add(new Run(Implementation.METAXY, variant, s));
      }
    }
    return List.copyOf(out);
  }

  /** The template the baseline reads: md5, the store's default STRUCT layout (the reference's default). */
  static final Variant BASELINE_VARIANT = Variant.of(BaselineQuery.HASH);

  /**
   * What runs per configuration, in order: ours once per variant of {@code variants}, the baseline once
   * with its md5 on a STRUCT template, each in the position {@code impls} gives it.
   */
  static List<Run> plan(List<Implementation> impls, List<Variant> variants) {
    List<Run> out = new ArrayList<>();
    for (Implementation impl : impls) {
      if (impl == Implementation.METAXY) {
        variants.forEach(v -> out.add(new Run(impl, v)));
      } else {
        out.add(new Run(impl, BASELINE_VARIANT));
      }
    }
    return List.copyOf(new LinkedHashSet<>(out));
  }

  private static String required(Map<String, String> o, String key) {
    String v = o.get(key);
    if (v == null || v.contains(",")) {
      throw new IllegalArgumentException(
          "this mode needs exactly one --" + key + " value, got " + (v == null ? "none" : v));
    }
    return v;
  }

  // ------------------------------------------------------------------ child: one (scenario, impl)

  /** The line a template-building child prints: root rows written and the seconds of those writes. */
  static final String WRITE_PREFIX = "WRITE ";

  /** The line a template-building child prints instead when its store cannot be opened, with why. */
  static final String SKIP_PREFIX = "SKIP ";

  /** The size of the untimed template a {@code --warm-write} build writes first, in the same JVM. */
  static final int WARM_WRITE_N = 10_000;

  private static void prepare(Map<String, String> o) {
    Scenario sc = scenario(o);
    BenchStore store = BenchStore.parse(o.getOrDefault("store", BenchStore.DUCKDB.label()));
    Path template = Path.of(o.get("template"));
    String endpoint = o.getOrDefault("s3-endpoint", "");
    Templates.Written w;
    try {
      if (o.containsKey("warm-write")) {
        // The timed root writes then find the store's write path loaded and compiled, as in a job
        // that has written before; creating the template's tables stays in them.
        Scenario warm = new Scenario(sc.shape(), WARM_WRITE_N, Phase.NEW, sc.variant());
        Path scratch = template.resolveSibling(template.getFileName() + "-warmup");
        if (store == BenchStore.DUCKDB) {
          Templates.prepare(warm, scratch, null);
        } else {
          Templates.prepare(warm, store, scratch, endpoint);
        }
        store.delete(scratch);
      }
      w = store == BenchStore.DUCKDB
          ? Templates.prepare(sc, template, o.containsKey("base") ? Path.of(o.get("base")) : null)
          : Templates.prepare(sc, store, template, endpoint);
    } catch (Templates.CannotOpen e) {
      System.out.println(SKIP_PREFIX + e.getMessage().replaceAll("\\s+", " "));
      return;
    }
    System.out.println(WRITE_PREFIX + "rows=" + w.rows()
        + String.format(Locale.ROOT, " seconds=%.6f", w.seconds()));
  }

  private static void child(Map<String, String> o) throws IOException {
    Scenario sc = scenario(o);
    Implementation impl = Implementation.parse(o.get("impls"));
    BenchStore store = BenchStore.parse(o.getOrDefault("store", BenchStore.DUCKDB.label()));
    Path template = Path.of(o.get("template"));
    int rounds = Integer.parseInt(o.getOrDefault("rounds", "5"));
    int warmup = Integer.parseInt(o.getOrDefault("warmup", "1"));
    Path round = template.resolveSibling(
        "round-" + impl.label() + "-" + ProcessHandle.current().pid() + ".duckdb");
    // A lakehouse store's configuration is read once, outside the timed rounds.
    MetaxyConfig config = store == BenchStore.DUCKDB
        ? null
        : store.config(sc, template, o.getOrDefault("s3-endpoint", ""));
    double[] seconds = new double[rounds];
    Counts counts = null;
    // The allocator a store uses when given none (both implementations; the baseline's result is
    // DuckDB's memory, imported without copies, so only ours draws from it in bulk).
    try (BufferAllocator allocator = BufferPool.newRootAllocator()) {
      for (int i = 0; i < warmup + rounds; i++) {
        double s = config == null
            ? measure(sc, impl, template, round, storeSettings(o), allocator)
            : measure(sc, store, config, allocator);
        if (i >= warmup) {
          seconds[i - warmup] = s;
        }
        counts = sc.expectedCounts();
      }
    } finally {
      Templates.delete(round);
    }
    String heap = o.getOrDefault("heap", Runtime.getRuntime().maxMemory() / (1 << 20) + "m");
    System.out.println(new Result(sc, impl, seconds, peakRssKb(), counts, heap, store).toLine());
  }

  /**
   * One round of ours on a lakehouse store: build the store from {@code config}, open it, resolve, count
   * and close (timed; the template is read in place, as a resolve does not write), then verify as
   * {@link #measure(Scenario, Implementation, Path, Path, Map, BufferAllocator)} does.
   *
   * @return the wall-clock seconds of the resolve
   */
  static double measure(
      Scenario sc, BenchStore store, MetaxyConfig config, BufferAllocator allocator) {
    long t0 = System.nanoTime();
    Counts got = MetaxyResolve.run(sc, BenchStore.open(config, sc, allocator));
    long t1 = System.nanoTime();
    verify(sc, "ours on " + store.label(), got, allocator);
    return (t1 - t0) / 1e9;
  }

  private static void verify(Scenario sc, String what, Counts got, BufferAllocator allocator) {
    Counts want = sc.expectedCounts();
    if (!got.equals(want)) {
      throw new IllegalStateException(
          what + " on " + sc.label() + " returned " + got + ", expected " + want);
    }
    if (allocator.getAllocatedMemory() != 0) {
      throw new IllegalStateException(what + " on " + sc.label() + " left "
          + allocator.getAllocatedMemory() + " bytes of Arrow memory allocated");
    }
  }

  /**
   * One round: a fresh copy of the template (not timed), then the timed resolve, then verification of
   * the counts and of the allocator (every Arrow buffer released).
   *
   * @return the wall-clock seconds of the resolve
   * @throws IllegalStateException when the increment has the wrong size or memory leaked
   */
  static double measure(
      Scenario sc, Implementation impl, Path template, Path round, BufferAllocator allocator) {
    return measure(sc, impl, template, round, Map.of(), allocator);
  }

  /** {@link #measure(Scenario, Implementation, Path, Path, BufferAllocator)} with these settings for our store. */
  static double measure(
      Scenario sc,
      Implementation impl,
      Path template,
      Path round,
      Map<String, String> storeSettings,
      BufferAllocator allocator) {
    Templates.copy(template, round);
    long t0 = System.nanoTime();
    Counts got = impl.resolve(sc, round, storeSettings, allocator);
    long t1 = System.nanoTime();
    Counts want = sc.expectedCounts();
    if (!got.equals(want)) {
      throw new IllegalStateException(impl.label() + " on " + sc.label() + " returned " + got
          + ", expected " + want + " (template " + template + ")");
    }
    if (allocator.getAllocatedMemory() != 0) {
      throw new IllegalStateException(impl.label() + " on " + sc.label() + " left "
          + allocator.getAllocatedMemory() + " bytes of Arrow memory allocated");
    }
    return (t1 - t0) / 1e9;
  }

  /** {@code VmHWM} of this process in kB (peak resident set size), or -1 where /proc is unavailable. */
  static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  // ------------------------------------------------------------------ profile

  private static void profile(Map<String, String> o) throws IOException {
    inThisJvm(
        o,
        (sc, template, work, rounds) ->
            Profile.run(sc, template, work.resolve("round-profile.duckdb"), rounds));
  }

  private static void floor(Map<String, String> o) throws IOException {
    // The store's settings as in the benchmark's children, so the floor speaks of the same resolve.
    inThisJvm(
        o,
        (sc, template, work, rounds) -> Floor.print(
            sc,
            Floor.run(sc, template, work.resolve("round-floor.duckdb"), storeSettings(o), rounds)));
  }

  /** A measurement of one configuration in this JVM, given its template and the work directory. */
  private interface InThisJvm {
    void run(Scenario sc, Path template, Path work, int rounds);
  }

  /** Runs {@code m} on the configuration the options name, building its template unless kept from before. */
  private static void inThisJvm(Map<String, String> o, InThisJvm m) throws IOException {
    Scenario sc = scenario(o);
    Path work = Path.of(o.getOrDefault("workdir", "target/bench-data")).toAbsolutePath();
    Files.createDirectories(work);
    Path template = work.resolve(sc.label() + ".duckdb");
    boolean keep = o.containsKey("keep-templates");
    // A template found in the work directory may be another run's kept one: rebuilt, but never
    // deleted.
    boolean foundBefore = Files.exists(template);
    if (!keep || !foundBefore) {
      Templates.prepare(sc, template);
    }
    try {
      m.run(sc, template, work, Integer.parseInt(o.getOrDefault("rounds", "5")));
    } finally {
      if (!keep && !foundBefore) {
        Templates.delete(template);
      }
    }
  }

  // ------------------------------------------------------------------ driver

  private static void drive(Map<String, String> o) throws Exception {
    List<Shape> shapes =
        list(o, "graphs", "simple,wide").stream().map(Shape::parse).toList();
    List<Integer> sizes =
        list(o, "sizes", "10k,100k,1M,10M").stream().map(PaperBenchmark::size).toList();
    List<Phase> phases =
        list(o, "phases", "new,stale").stream().map(Phase::parse).toList();
    List<Implementation> impls =
        list(o, "impls", "metaxy,baseline").stream().map(Implementation::parse).toList();
    List<Variant> variants = variants(o.getOrDefault("hash", DEFAULT_HASHES));
    List<BenchStore> stores =
        BenchStore.parseList(o.getOrDefault("stores", BenchStore.DUCKDB.label()));
    // A run naming a lakehouse store measures ours on every store and writes only its own section.
    boolean lakehouse = stores.stream().anyMatch(s -> s != BenchStore.DUCKDB);
    List<Run> plan = lakehouse ? lakehousePlan(stores, variants.get(0)) : plan(impls, variants);
    Set<Integer> s3Sizes = new HashSet<>(
        list(o, "s3-sizes", "1M").stream().map(PaperBenchmark::size).toList());
    String heap = o.getOrDefault("heap", "1500m");
    String limitOption = o.getOrDefault("store-memory-limit", DEFAULT_STORE_MEMORY_LIMIT);
    String storeMemoryLimit = limitOption.equals("default") ? null : limitOption;
    List<String> childOptions = new ArrayList<>(List.of(
        "--child",
        "--rounds",
        o.getOrDefault("rounds", "5"),
        "--warmup",
        o.getOrDefault("warmup", "1"),
        "--heap",
        heap,
        "--store-memory-limit",
        limitOption));
    String prepareHeap = o.getOrDefault("prepare-heap", "8g");
    boolean keep = o.containsKey("keep-templates");
    Path work = Path.of(o.getOrDefault("workdir", "target/bench-data")).toAbsolutePath();
    Files.createDirectories(work);
    Instant started = Instant.now();
    Machine machine = Machine.describe();
    long timeout = Long.parseLong(o.getOrDefault("timeout", "3600"));
    List<Result> results = new ArrayList<>();
    List<Report.Failure> failures = new ArrayList<>();
    List<Report.Write> writes = new ArrayList<>();
    // Stores whose template build could not open them, with why: not tried again in this run.
    Map<BenchStore, String> unopenable = new LinkedHashMap<>();
    S3Server s3 = null;
    if (plan.stream().anyMatch(r -> r.store().s3())) {
      try {
        s3 = S3Server.start(BenchStore.s3Root(work));
      } catch (Exception e) {
        for (Run r : plan) {
          if (r.store().s3()) {
            unopenable.put(r.store(), "the S3 server did not start: " + e);
          }
        }
      }
    }
    String s3Endpoint = s3 == null ? "" : s3.endpoint();
    // Templates found in the work directory may be another run's kept ones: rebuilt unless
    // --keep-templates, but never deleted.
    Set<Path> foundBefore = new HashSet<>();
    BiConsumer<Run, Path> discard = (key, t) -> {
      if (!foundBefore.contains(t)) {
        key.store().delete(t);
      }
    };
    try {
      for (Shape shape : shapes) {
        for (int n : sizes) {
          // New-phase templates are kept until the stale ones of the same N have been built from
          // them.
          Map<Run, Path> newTemplates = new LinkedHashMap<>();
          for (Phase phase : phases) {
            Map<Run, Path> templates = new LinkedHashMap<>();
            Map<Run, String> brokenTemplates = new LinkedHashMap<>();
            for (int i = 0; i < plan.size(); i++) {
              Run run = plan.get(i);
              Implementation impl = run.impl();
              BenchStore store = run.store();
              if (store.s3() && !s3Sizes.contains(n)) {
                continue;
              }
              Scenario sc = new Scenario(shape, n, phase, run.variant());
              List<String> storeArgs = store == BenchStore.DUCKDB
                  ? List.of()
                  : List.of("--store", store.label(), "--s3-endpoint", s3Endpoint);
              // Templates are keyed by variant (hash and layout) and store, so ours at md5 STRUCT
              // and
              // the baseline share one.
              Run key = run.template();
              try {
                if (unopenable.containsKey(store)) {
                  failures.add(new Report.Failure(sc, impl, unopenable.get(store), store, true));
                  continue;
                }
                if (brokenTemplates.containsKey(key)) {
                  throw new ChildFailure("no template: " + brokenTemplates.get(key));
                }
                Path template = templates.get(key);
                if (template == null) {
                  template = store.template(work, sc);
                  templates.put(key, template);
                  if (Files.exists(template)) {
                    foundBefore.add(template);
                  }
                  if (!keep || !Files.exists(template)) {
                    brokenTemplates.put(key, "the template build for " + sc.label() + " failed");
                    long t0 = System.nanoTime();
                    // Only a DuckDB file can be copied: Iceberg warehouses hold absolute paths.
                    Path base = phase == Phase.STALE && store == BenchStore.DUCKDB
                        ? newTemplates.get(key)
                        : null;
                    List<String> args = new ArrayList<>(List.of("--prepare"));
                    if (lakehouse) {
                      args.add("--warm-write");
                    }
                    if (base != null && Files.exists(base)) {
                      args.addAll(List.of("--base", base.toString()));
                    }
                    args.addAll(storeArgs);
                    String line = fork(prepareHeap, timeout, sc, null, template, args);
                    if (line != null && line.startsWith(SKIP_PREFIX)) {
                      unopenable.put(store, line.substring(SKIP_PREFIX.length()));
                      brokenTemplates.remove(key);
                      failures.add(
                          new Report.Failure(sc, impl, unopenable.get(store), store, true));
                      continue;
                    }
                    Report.Write w = line == null ? null : Report.Write.parse(sc, store, line);
                    if (w != null && w.rows() > 0) {
                      writes.add(w);
                    }
                    System.err.printf(
                        Locale.ROOT,
                        "prepared %s%s in %.1f s%s%n",
                        sc.label(),
                        store == BenchStore.DUCKDB ? "" : " on " + store.label(),
                        (System.nanoTime() - t0) / 1e9,
                        w == null || w.rows() == 0 ? "" : " (roots: " + w.format() + ")");
                    brokenTemplates.remove(key);
                  }
                }
                List<String> args = new ArrayList<>(childOptions);
                args.addAll(storeArgs);
                String line = fork(heap, timeout, sc, impl, template, args);
                Result r = Result.parse(line);
                System.err.printf(
                    Locale.ROOT,
                    "%s %s: %s s, peak RSS %d MB%n",
                    sc.label(),
                    store != BenchStore.DUCKDB
                        ? "ours on " + store.label()
                        : impl == Implementation.METAXY
                            ? Report.oursLabel(run.variant())
                            : impl.label(),
                    r.stats().format(),
                    r.peakRssKb() / 1024);
                results.add(r);
              } catch (ChildFailure e) {
                // One failed configuration (e.g. out of memory at 10M) must not lose the rest of a
                // long run.
                System.err.println("FAILED " + sc.label() + " " + impl.label() + " on "
                    + store.label() + ": " + e.getMessage());
                failures.add(new Report.Failure(sc, impl, e.getMessage(), store, false));
              }
              // A stale template is needed by nothing after its key's last run: free its disk
              // early.
              boolean usedLater = plan.subList(i + 1, plan.size()).stream()
                  .anyMatch(r -> r.template().equals(key));
              if (phase == Phase.STALE && !keep && !usedLater && templates.containsKey(key)) {
                discard.accept(key, templates.get(key));
              }
            }
            if (phase == Phase.NEW) {
              newTemplates.putAll(templates);
            } else if (!keep) {
              templates.forEach(discard);
            }
          }
          if (!keep) {
            newTemplates.forEach(discard);
          }
          newTemplates.clear();
        }
      }
    } finally {
      if (s3 != null) {
        s3.close();
      }
    }
    String command = commandLine(o);
    if (lakehouse) {
      String section = Report.lakehouse(
          results,
          failures,
          writes,
          stores,
          variants.get(0),
          s3Sizes,
          machine,
          started,
          command,
          heap,
          storeMemoryLimit,
          Machine.loadAverage());
      System.out.println(section);
      if (o.containsKey("out")) {
        Path out = Path.of(o.get("out"));
        String doc = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        Files.writeString(
            out,
            MarkdownSections.replace(
                doc, Report.LAKEHOUSE_SECTION, section, CompileTimeBenchmark.SECTION),
            StandardCharsets.UTF_8);
        System.err.println("wrote " + out.toAbsolutePath());
      }
      return;
    }
    String report = Report.markdown(
        results,
        failures,
        variants,
        machine,
        started,
        command,
        heap,
        storeMemoryLimit,
        Machine.loadAverage());
    System.out.println(report);
    if (o.containsKey("out")) {
      Path out = Path.of(o.get("out"));
      String doc = Files.exists(out)
          ? keepOtherSections(report, Files.readString(out, StandardCharsets.UTF_8))
          : report;
      Files.writeString(out, doc, StandardCharsets.UTF_8);
      System.err.println("wrote " + Path.of(o.get("out")).toAbsolutePath());
    }
  }

  /**
   * The main report followed by the sections other runs wrote into {@code old}: the lakehouse stores'
   * ({@code --stores}), the Spark benchmark's ({@code benchmarks/spark.sh}), the incremental mode's
   * ({@code --incremental}) and CompileTimeBenchmark's, in that order, each where {@code old} has one.
   */
  /** The section {@code io.metaxy.spark.bench.SparkBenchmark} writes (spark module, not a dependency). */
  static final String SPARK_SECTION = "## Spark";

  static String keepOtherSections(String report, String old) {
    String doc = report;
    for (String heading : List.of(
        Report.LAKEHOUSE_SECTION,
        SPARK_SECTION,
        Incremental.SECTION,
        CompileTimeBenchmark.SECTION)) {
      String kept = MarkdownSections.extract(old, heading);
      if (kept != null) {
        doc = MarkdownSections.replace(doc, heading, kept);
      }
    }
    return doc;
  }

  /**
   * DuckDB's {@code memory_limit} for our store unless {@code --store-memory-limit} says otherwise. A
   * resolve streams each upstream block once, but DuckDB keeps every block it loaded until its limit
   * (80 % of RAM by default): 0.76 GB of the wide 10M tables, a third of the peak RSS there, for no
   * gain. Measured at wide 10M new: peak RSS 2.0 GiB with 512MB, 1.75 GiB with 256MB, same time.
   */
  static final String DEFAULT_STORE_MEMORY_LIMIT = "256MB";

  /** Our store's DuckDB settings: {@code --store-memory-limit}, else {@link #DEFAULT_STORE_MEMORY_LIMIT}. */
  static Map<String, String> storeSettings(Map<String, String> o) {
    String limit = o.getOrDefault("store-memory-limit", DEFAULT_STORE_MEMORY_LIMIT);
    return limit.equals("default") ? Map.of() : Map.of("memory_limit", limit);
  }

  static String commandLine(Map<String, String> o) {
    StringBuilder sb = new StringBuilder("java -jar benchmarks/target/benchmarks.jar");
    o.forEach((k, v) -> sb.append(" --").append(k).append(v.equals("true") ? "" : " " + v));
    return sb.toString();
  }

  /**
   * glibc settings every child runs with (unless the caller's environment sets them): two malloc
   * arenas, the usual setting for JVMs, and otherwise glibc's defaults, as in the {@code mx} launcher.
   * glibc's adaptive mmap threshold then reuses the multi-megabyte Arrow buffers a resolve frees for
   * the next ones; the fixed 128 KiB threshold used until session 6 handed every one back to the OS
   * and took fresh, page-faulting memory each time, which cost 13–23 % of the time at 10M (simple new
   * 3.46 → 2.65 s, wide new 10.8–12.2 → 9.4–10.1 s) for 10–20 % lower peak RSS (docs/stores.md).
   */
  static final Map<String, String> CHILD_ENV = Map.of("MALLOC_ARENA_MAX", "2");

  /** A child JVM that failed, timed out or printed no result; the message says which and why. */
  static final class ChildFailure extends Exception {
    private static final long serialVersionUID = 1L;

    ChildFailure(String message) {
      super(message);
    }
  }

  /**
   * Runs this class in a child JVM with the same class path and returns its result line (for a
   * measuring child) or null (for a template build). The child's output is echoed to standard error.
   *
   * @throws ChildFailure when the child exits non-zero, runs longer than {@code timeoutSeconds} (it is
   *     then killed) or prints no result line; the message carries the child's first error line
   */
  private static String fork(
      String heap,
      long timeoutSeconds,
      Scenario sc,
      Implementation impl,
      Path template,
      List<String> extra)
      throws IOException, InterruptedException, ChildFailure {
    List<String> args = new ArrayList<>(List.of(
        "--graphs",
        sc.shape().label(),
        "--sizes",
        Integer.toString(sc.n()),
        "--phases",
        sc.phase().label(),
        "--hash",
        sc.variant().configName(),
        "--template",
        template.toString()));
    if (impl != null) {
      args.addAll(List.of("--impls", impl.label()));
    }
    args.addAll(extra);
    String what = sc.label() + (impl == null ? " (template)" : " " + impl.label());
    return fork(heap, timeoutSeconds, what, args, impl != null);
  }

  /**
   * Runs this class with {@code args} in a child JVM ({@code -Xmx heap}, the same class path, {@link
   * #CHILD_ENV}) and returns its result line (one starting with {@link Result#PREFIX}, {@link
   * Incremental#PREFIX}, {@link #WRITE_PREFIX} or {@link #SKIP_PREFIX}), or null when it printed none.
   * The child's other output is echoed to standard error.
   *
   * @param what the child's description in messages
   * @param needResult whether a child that printed no result line failed
   * @throws ChildFailure when the child exits non-zero, runs longer than {@code timeoutSeconds} (it is
   *     then killed) or, with {@code needResult}, prints no result line; the message carries the
   *     child's first error line
   */
  static String fork(
      String heap, long timeoutSeconds, String what, List<String> args, boolean needResult)
      throws IOException, InterruptedException, ChildFailure {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap,
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-cp",
        System.getProperty("java.class.path"),
        PaperBenchmark.class.getName()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    CHILD_ENV.forEach((k, v) -> pb.environment().putIfAbsent(k, v));
    Process p = pb.start();
    String[] result = new String[1];
    String[] error = new String[1];
    Thread reader = new Thread(
        () -> {
          try (BufferedReader r = new BufferedReader(
              new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
              if (line.startsWith(Result.PREFIX)
                  || line.startsWith(Incremental.PREFIX)
                  || line.startsWith(WRITE_PREFIX)
                  || line.startsWith(SKIP_PREFIX)) {
                result[0] = line;
              } else {
                System.err.println(line);
                if (error[0] == null && (line.contains("Exception") || line.contains("Error"))) {
                  error[0] = line.trim();
                }
              }
            }
          } catch (IOException e) {
            error[0] = "cannot read the child's output: " + e.getMessage();
          }
        },
        "child-output");
    reader.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      reader.join();
      throw new ChildFailure(
          "child JVM for " + what + " ran longer than " + timeoutSeconds + " s and was killed");
    }
    reader.join();
    int rc = p.exitValue();
    if (rc != 0) {
      throw new ChildFailure(
          "child JVM for " + what + " exited with " + rc + (error[0] != null ? ": " + error[0] : "")
              + " (command: " + String.join(" ", cmd) + ")");
    }
    if (needResult && result[0] == null) {
      throw new ChildFailure("child JVM for " + what + " printed no result line");
    }
    return result[0];
  }
}
