package io.metaxy.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * What the annotation processor costs a build (issue 16, item 5): a generated feature graph
 * ({@link FeatureGraphSources}) compiled three ways, each in a fresh {@code javac} process as a build
 * does, best of {@code --runs} (interleaved, so load changes hit every kind alike):
 *
 * <ul>
 *   <li><b>plain</b> — the records alone, {@code -proc:none}: javac's own time for the sources;
 *   <li><b>processor</b> — the records with the Metaxy processors on the processor path: what a build runs;
 *   <li><b>generated</b> — the records plus the sources the processor run wrote, {@code -proc:none}: the
 *       cost of compiling what is generated, without the processor.
 * </ul>
 *
 * <p>The processor adds {@code processor − plain}: its own work ({@code processor − generated}) plus
 * compiling its output ({@code generated − plain}). The goal is that it adds no more than {@code plain}.
 * Every processor run must write the same bytes (the generated code is deterministic), or the run
 * fails. With {@code --warm} the same is measured in this JVM through {@code javax.tools} after warm-up
 * compilations, processors loaded once (like a build daemon or an IDE's build process). Several builds
 * (e.g. before and after a change) are compared with {@code --paths label=dir,...}: each dir holds the
 * {@code classpath.txt} and {@code processorpath.txt} that this module's build writes to
 * {@code target/compile-time/}.
 */
public final class CompileTimeBenchmark {
  private static final String USAGE = """
      usage: java -cp benchmarks/target/benchmarks.jar io.metaxy.benchmarks.CompileTimeBenchmark [options]
        --sizes 100,250,500      features per graph
        --runs 5                 timed javac runs per (size, build, kind); the best is reported, with the median
        --seed 16                seed of the graph's dependencies
        --paths DIR              the build to measure: a directory with classpath.txt and processorpath.txt
                                 (default benchmarks/target/compile-time, written by this module's build);
                                 label=DIR,label=DIR compares builds, interleaved
        --workdir DIR            sources and javac output (default benchmarks/target/compile-time-data)
        --peer DIR               also measure AutoValue on as many value classes, interleaved: DIR holds
                                 auto-value-*.jar and auto-value-annotations-*.jar (this module's build
                                 copies them to benchmarks/target/compile-time/autovalue)
        --warm N                 also measure in this JVM (javax.tools): N untimed compilations per kind, then --runs
        --jfr FILE               after the timed runs, one more processor run of the largest size under JFR
        --out FILE               replace the "## Compile time" section of FILE (e.g. BENCHMARKS.md)
        --generate DIR --n 500   only write the graph's sources into DIR
      """;

  /** The section of BENCHMARKS.md this benchmark writes. */
  static final String SECTION = "## Compile time";

  /** What one compilation compiles. */
  enum Kind {
    PLAIN,
    PROCESSOR,
    GENERATED
  }

  /**
   * A build under test: its javac class path and processor path.
   *
   * @param peer whether it is the peer (AutoValue on {@link AutoValueSources}) rather than Metaxy
   */
  record Build(String label, String classpath, String processorpath, boolean peer) {}

  /**
   * What a build compiles: {@code plain} for {@link Kind#PLAIN}, {@code full} for the other kinds (the
   * same list for Metaxy; the peer's plain classes lack the factories that name generated classes).
   */
  record Sources(List<Path> plain, List<Path> full, long lines) {}

  /**
   * One compilation's seconds: wall-clock, CPU of javac's main thread (its own work, which a quiet
   * machine's wall-clock follows), CPU of the whole process (plus JIT compiler and GC threads; in
   * process: the main thread's again).
   */
  record Timing(double wall, double main, double cpu) {}

  /**
   * The timings of one (size, build) per kind, and what the processor generated.
   *
   * @param cpu whether the timings' CPU seconds are a sum over the whole javac process (forked) or the
   *     compiling thread's (in process)
   */
  record Row(
      int features,
      String build,
      Map<Kind, List<Timing>> timings,
      int generatedFiles,
      long generatedLines,
      int companions,
      long companionLines,
      long sourceLines) {
    double best(Kind k) {
      return timings.get(k).stream().mapToDouble(Timing::wall).min().orElseThrow();
    }

    double median(Kind k) {
      List<Double> s = timings.get(k).stream().map(Timing::wall).sorted().toList();
      int n = s.size();
      return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    double bestCpu(Kind k) {
      return timings.get(k).stream().mapToDouble(Timing::cpu).min().orElseThrow();
    }

    double bestMain(Kind k) {
      return timings.get(k).stream().mapToDouble(Timing::main).min().orElseThrow();
    }
  }

  private CompileTimeBenchmark() {}

  /** Entry point; see the class comment and {@code --help}. */
  public static void main(String[] args) throws Exception {
    Map<String, String> o = parse(args);
    if (o.containsKey("help")) {
      System.out.print(USAGE);
      return;
    }
    if (o.containsKey("generate")) {
      FeatureGraphSources.write(
          Path.of(o.get("generate")), PaperBenchmark.size(o.getOrDefault("n", "500")), seed(o));
      return;
    }
    List<Integer> sizes = new ArrayList<>();
    for (String s : o.getOrDefault("sizes", "100,250,500").split(",")) {
      sizes.add(PaperBenchmark.size(s));
    }
    int runs = Integer.parseInt(o.getOrDefault("runs", "5"));
    int warm = Integer.parseInt(o.getOrDefault("warm", "0"));
    List<Build> builds =
        new ArrayList<>(builds(o.getOrDefault("paths", "benchmarks/target/compile-time")));
    if (o.containsKey("peer")) {
      builds.add(peer(Path.of(o.get("peer"))));
    }
    Path work = Path.of(o.getOrDefault("workdir", "benchmarks/target/compile-time-data"))
        .toAbsolutePath();
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String loadBefore = Machine.loadAverage();

    List<Row> forked = new ArrayList<>();
    List<Row> inProcess = new ArrayList<>();
    for (int n : sizes) {
      Path dir = work.resolve(Integer.toString(n));
      delete(dir);
      List<Path> records = FeatureGraphSources.write(dir.resolve("src"), n, seed(o));
      Sources metaxy = new Sources(records, records, lines(records));
      Map<String, Sources> sources = new LinkedHashMap<>();
      for (Build b : builds) {
        if (b.peer()) {
          List<Path> full = AutoValueSources.write(dir.resolve("peer-src"), n, true);
          List<Path> plain = AutoValueSources.write(dir.resolve("peer-plain"), n, false);
          sources.put(b.label(), new Sources(plain, full, lines(full)));
        } else {
          sources.put(b.label(), metaxy);
        }
      }
      forked.addAll(measure(n, sources, builds, dir, runs, new Forked()));
      if (warm > 0) {
        for (Build b : builds) {
          try (InProcess javac = new InProcess(b)) {
            for (int i = 0; i < warm; i++) {
              for (Kind k : Kind.values()) {
                compile(javac, k, b, sources.get(b.label()), dir.resolve("warmup"), null);
              }
            }
            inProcess.addAll(measure(n, sources, List.of(b), dir.resolve("warm"), runs, javac));
          }
        }
      }
    }
    if (o.containsKey("jfr")) {
      int n = sizes.get(sizes.size() - 1);
      Path dir = work.resolve(Integer.toString(n));
      Build b = builds.stream().filter(x -> !x.peer()).reduce((x, y) -> y).orElseThrow();
      List<Path> records = listJava(dir.resolve("src"));
      Path jfr = Path.of(o.get("jfr")).toAbsolutePath();
      compile(
          new Forked(List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile")),
          Kind.PROCESSOR,
          b,
          new Sources(records, records, 0),
          dir.resolve("jfr"),
          null);
      System.err.println("wrote " + jfr);
    }
    String section = report(
        forked,
        inProcess,
        builds,
        runs,
        warm,
        seed(o),
        started,
        loadBefore,
        Machine.loadAverage(),
        commandLine(args));
    System.out.println(section);
    if (o.containsKey("out")) {
      Path out = Path.of(o.get("out"));
      String doc = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
      Files.writeString(
          out, MarkdownSections.replace(doc, SECTION, section), StandardCharsets.UTF_8);
      System.err.println("wrote " + out.toAbsolutePath());
    }
  }

  // ------------------------------------------------------------------ measuring

  /** Compiles with one kind of compilation; implementations time it. */
  interface Javac {
    /** Compiles; returns the wall-clock and CPU seconds. */
    Timing compile(Kind kind, Build build, List<Path> sources, Path out, Path generated)
        throws Exception;
  }

  private static List<Row> measure(
      int n, Map<String, Sources> sources, List<Build> builds, Path dir, int runs, Javac javac)
      throws Exception {
    Map<String, Map<Kind, List<Timing>>> times = new LinkedHashMap<>();
    Map<String, Map<String, byte[]>> outputs = new LinkedHashMap<>();
    for (Build b : builds) {
      Map<Kind, List<Timing>> m = new LinkedHashMap<>();
      for (Kind k : Kind.values()) {
        m.put(k, new ArrayList<>());
      }
      times.put(b.label(), m);
    }
    for (int r = 0; r < runs; r++) {
      for (Build b : builds) {
        Path bdir = dir.resolve(b.label());
        for (Kind k : Kind.values()) {
          Timing s =
              compile(javac, k, b, sources.get(b.label()), bdir, bdir.resolve("generated-sources"));
          times.get(b.label()).get(k).add(s);
          System.err.printf(
              Locale.ROOT,
              "n=%d %s %s run %d: %.2f s (CPU: main thread %.2f s, process %.2f s)%n",
              n,
              b.label(),
              k,
              r + 1,
              s.wall(),
              s.main(),
              s.cpu());
          if (k == Kind.PROCESSOR) {
            Map<String, byte[]> generated = snapshot(bdir.resolve("generated-sources"));
            Map<String, byte[]> first = outputs.putIfAbsent(b.label(), generated);
            if (first != null && !sameBytes(first, generated)) {
              throw new IllegalStateException(
                  "the processor wrote different sources for the same input (" + b.label() + ")");
            }
          }
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Build b : builds) {
      Map<String, byte[]> generated = outputs.get(b.label());
      long lines = 0;
      long companionLines = 0;
      int companions = 0;
      for (Map.Entry<String, byte[]> e : generated.entrySet()) {
        long l = new String(e.getValue(), StandardCharsets.UTF_8).lines().count();
        lines += l;
        if (e.getKey().matches(".*/bench/g\\d+/(Metaxy|AutoValue_)[^/]*\\.java")) {
          companions++;
          companionLines += l;
        }
      }
      rows.add(new Row(
          n,
          b.label(),
          times.get(b.label()),
          generated.size(),
          lines,
          companions,
          companionLines,
          sources.get(b.label()).lines()));
    }
    return rows;
  }

  /**
   * One compilation into fresh output directories: {@code dir/<kind>/classes}; a processor run writes its
   * sources into {@code generated} (default {@code dir/generated-sources}), which a {@link Kind#GENERATED}
   * compilation then compiles.
   */
  private static Timing compile(
      Javac javac, Kind kind, Build b, Sources sources, Path dir, Path generated) throws Exception {
    Path out = dir.resolve(kind.name().toLowerCase(Locale.ROOT));
    delete(out);
    Files.createDirectories(out.resolve("classes"));
    Path gen = generated != null ? generated : dir.resolve("generated-sources");
    List<Path> all = new ArrayList<>(kind == Kind.PLAIN ? sources.plain() : sources.full());
    if (kind == Kind.PROCESSOR) {
      delete(gen);
      Files.createDirectories(gen);
    } else if (kind == Kind.GENERATED) {
      all.addAll(listJava(gen));
    }
    return javac.compile(kind, b, all, out.resolve("classes"), gen);
  }

  /** The options of a compilation, as a build passes them (no -Xlint). */
  static List<String> options(Kind kind, Build b, Path out, Path generated) {
    List<String> opts = new ArrayList<>(List.of(
        "-d",
        out.toString(),
        "-encoding",
        "UTF-8",
        "--release",
        "17",
        "-classpath",
        b.classpath()));
    if (kind == Kind.PROCESSOR) {
      opts.addAll(List.of("-processorpath", b.processorpath(), "-s", generated.toString()));
    } else {
      opts.add("-proc:none");
    }
    return opts;
  }

  /**
   * A fresh javac process per compilation, as the JDK's {@code javac} launcher starts it ({@code -Xms8m},
   * the system compiler), through {@link JavacMain} so that it reports its CPU time.
   */
  static final class Forked implements Javac {
    private final List<String> jvmFlags;
    private Path launcher;

    Forked() {
      this(List.of());
    }

    Forked(List<String> jvmFlags) {
      this.jvmFlags = jvmFlags;
    }

    /** A directory holding only {@link JavacMain}'s class, the forked JVM's class path. */
    private Path launcher(Path work) throws IOException {
      if (launcher == null) {
        launcher = work.resolve("launcher");
        String name = JavacMain.class.getName().replace('.', '/') + ".class";
        Path file = launcher.resolve(name);
        Files.createDirectories(file.getParent());
        try (var in = JavacMain.class.getClassLoader().getResourceAsStream(name)) {
          Files.write(file, in.readAllBytes());
        }
      }
      return launcher;
    }

    @Override
    public Timing compile(Kind kind, Build b, List<Path> sources, Path out, Path generated)
        throws Exception {
      Path dir = out.getParent();
      Path argfile = dir.resolve("javac.args");
      List<String> lines = new ArrayList<>();
      for (String a : options(kind, b, out, generated)) {
        lines.add(quote(a));
      }
      sources.forEach(s -> lines.add(quote(s.toString())));
      Files.write(argfile, lines, StandardCharsets.UTF_8);
      Path cpuFile = dir.resolve("javac.cpu");
      Files.deleteIfExists(cpuFile);
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xms8m"); // what the javac launcher passes
      cmd.addAll(jvmFlags);
      cmd.addAll(List.of(
          "-Dcpu.out=" + cpuFile,
          "-cp",
          launcher(dir.getParent().getParent()).toString(),
          JavacMain.class.getName(),
          "@" + argfile));
      Path log = dir.resolve("javac.log");
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      int rc = p.waitFor();
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (rc != 0) {
        throw new IllegalStateException(
            "javac failed (" + rc + "), see " + log + ":\n" + Files.readString(log));
      }
      String[] cpu = Files.readString(cpuFile).trim().split(" ");
      return new Timing(seconds, Double.parseDouble(cpu[0]), Double.parseDouble(cpu[1]));
    }

    private static String quote(String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
  }

  /**
   * javac in this JVM through {@code javax.tools}, the processors loaded once from the processor path (a
   * fresh instance per compilation), as a build daemon keeps them.
   */
  static final class InProcess implements Javac, AutoCloseable {
    private final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    private final URLClassLoader loader;

    InProcess(Build b) throws IOException {
      List<URL> urls = new ArrayList<>();
      for (String e : b.processorpath().split(File.pathSeparator)) {
        urls.add(Path.of(e).toUri().toURL());
      }
      loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    @Override
    public Timing compile(Kind kind, Build b, List<Path> sources, Path out, Path generated)
        throws Exception {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      try (StandardJavaFileManager files =
          compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
        List<String> opts = new ArrayList<>(options(kind, b, out, generated));
        if (kind == Kind.PROCESSOR) {
          int i = opts.indexOf("-processorpath");
          opts.subList(i, i + 2).clear(); // the processors are handed over below
        }
        JavaCompiler.CompilationTask task = compiler.getTask(
            null, files, diagnostics, opts, null, files.getJavaFileObjectsFromPaths(sources));
        if (kind == Kind.PROCESSOR) {
          List<Processor> processors = new ArrayList<>();
          ServiceLoader.load(Processor.class, loader).forEach(processors::add);
          task.setProcessors(processors);
        }
        if (!task.call()) {
          throw new IllegalStateException("javac failed: " + diagnostics.getDiagnostics());
        }
      }
      double cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
      return new Timing((System.nanoTime() - t0) / 1e9, cpu, cpu);
    }

    @Override
    public void close() throws IOException {
      loader.close();
    }
  }

  // ------------------------------------------------------------------ report

  static String report(
      List<Row> forked,
      List<Row> inProcess,
      List<Build> builds,
      int runs,
      int warm,
      long seed,
      String started,
      String loadBefore,
      String loadAfter,
      String command) {
    StringBuilder sb = new StringBuilder();
    sb.append(SECTION).append("\n\n");
    sb.append("What the annotation processor adds to a build (issue 16, item 5). Generated by\n")
        .append(
            "`io.metaxy.benchmarks.CompileTimeBenchmark` (see `benchmarks/README.md`); do not edit by hand.\n\n");
    sb.append(
            "* Graph: N `@Feature` records (3 components, 2 fields, automatic field mapping), the first ")
        .append(FeatureGraphSources.ROOTS)
        .append(" roots, every\n  other one with 1–3 upstream features (by class, identity ")
        .append("lineage) drawn uniformly from the earlier ones (seed ")
        .append(seed)
        .append("),\n  ")
        .append(FeatureGraphSources.PER_PACKAGE)
        .append(" records per package.\n");
    sb.append(
            "* Each compilation is a fresh `javac` process (`--release 17`, no `-Xlint`), best of ")
        .append(runs)
        .append(
            " runs [median], the kinds\n  interleaved: *plain* = the records with `-proc:none` (javac's own time); ")
        .append(
            "*processor* = the records with the\n  processors on the processor path (what a build runs); *generated* = ")
        .append(
            "the records plus the processor's output\n  with `-proc:none`. Added = processor − plain; of that, the ")
        .append(
            "processor's own work = processor − generated and\n  compiling its output = generated − plain. ")
        .append("Goal: added ≤ plain. Every processor run must write identical bytes.\n");
    builds.stream()
        .filter(Build::peer)
        .forEach(b -> sb.append("* Peer, *")
            .append(b.label())
            .append(
                "*: N `@AutoValue` abstract classes in the same packages with the same 3 properties\n")
            .append(
                "  and the usual `create` factory, compiled the same three ways, interleaved with the ")
            .append(
                "Metaxy runs (its *plain* is\n  the classes without their factories, which name the ")
            .append(
                "generated classes). AutoValue is the style guide's\n  model of a processor that ")
            .append("writes one class per type; it validates no graph and writes no versions.\n"));
    sb.append("* Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append("; started ")
        .append(started)
        .append("; load average (1/5/15 min) ")
        .append(loadBefore)
        .append(" at start, ")
        .append(loadAfter)
        .append(" at end.\n");
    sb.append("* Command: `").append(command).append("`");
    if (builds.size() > 1) {
      sb.append(" (builds: ");
      sb.append(String.join(", ", builds.stream().map(Build::label).toList())).append(")");
    }
    sb.append("\n\n");
    table(sb, forked, builds.size() > 1);
    cpuTable(sb, forked, builds.size() > 1, true);
    peerTable(sb, forked);
    if (!inProcess.isEmpty()) {
      sb.append("\nIn one warm JVM (`javax.tools`, ")
          .append(warm)
          .append(" untimed compilations per kind first, processors loaded once), best of ")
          .append(runs)
          .append(" [median]:\n\n");
      table(sb, inProcess, builds.size() > 1);
      cpuTable(sb, inProcess, builds.size() > 1, false);
    }
    return sb.toString();
  }

  private static void table(StringBuilder sb, List<Row> rows, boolean withBuild) {
    sb.append("| N |")
        .append(withBuild ? " build |" : "")
        .append(
            " generated: files, lines (per companion) | plain (s) | processor (s) | generated (s) |")
        .append(" added (s) | processor's own (s) | compiling output (s) | added ≤ plain |\n");
    sb.append("|---:|")
        .append(withBuild ? "---|" : "")
        .append("---|---|---|---|---:|---:|---:|---|\n");
    for (Row r : rows) {
      double plain = r.best(Kind.PLAIN);
      double proc = r.best(Kind.PROCESSOR);
      double gen = r.best(Kind.GENERATED);
      sb.append("| ").append(r.features()).append(" |");
      if (withBuild) {
        sb.append(' ').append(r.build()).append(" |");
      }
      sb.append(String.format(
          Locale.ROOT,
          " %d, %,d (%d) |",
          r.generatedFiles(),
          r.generatedLines(),
          r.companions() == 0 ? 0 : Math.round((double) r.companionLines() / r.companions())));
      for (Kind k : Kind.values()) {
        sb.append(String.format(Locale.ROOT, " %.2f [%.2f] |", r.best(k), r.median(k)));
      }
      double added = proc - plain;
      sb.append(String.format(
          Locale.ROOT,
          " %.2f | %.2f | %.2f | %s |",
          added,
          proc - gen,
          gen - plain,
          added <= plain ? "met" : "**missed**"));
      sb.append('\n');
    }
  }

  /**
   * The same compilations' CPU seconds (best of the runs), less sensitive to a busy machine than
   * wall-clock: javac's main thread, then the whole process.
   */
  private static void cpuTable(
      StringBuilder sb, List<Row> rows, boolean withBuild, boolean process) {
    sb.append(
        process
            ? "\nCPU seconds, best of the same runs: javac's main thread (its own work; what a quiet machine's wall-clock"
                + "\nfollows) / the whole process (plus the JIT compiler and GC threads):\n\n"
            : "\nCPU seconds of the compiling thread, best of the same runs:\n\n");
    sb.append("| N |")
        .append(withBuild ? " build |" : "")
        .append(
            " plain | processor | generated | added | processor's own | compiling output | added ≤ plain |\n");
    sb.append("|---:|")
        .append(withBuild ? "---|" : "")
        .append("---:|---:|---:|---:|---:|---:|---|\n");
    for (Row r : rows) {
      sb.append("| ").append(r.features()).append(" |");
      if (withBuild) {
        sb.append(' ').append(r.build()).append(" |");
      }
      double[] main = {
        r.bestMain(Kind.PLAIN), r.bestMain(Kind.PROCESSOR), r.bestMain(Kind.GENERATED)
      };
      double[] all = {r.bestCpu(Kind.PLAIN), r.bestCpu(Kind.PROCESSOR), r.bestCpu(Kind.GENERATED)};
      double[][] cells = {
        {main[0], all[0]},
        {main[1], all[1]},
        {main[2], all[2]},
        {main[1] - main[0], all[1] - all[0]},
        {main[1] - main[2], all[1] - all[2]},
        {main[2] - main[0], all[2] - all[0]}
      };
      for (double[] c : cells) {
        sb.append(
            process
                ? String.format(Locale.ROOT, " %.2f / %.2f |", c[0], c[1])
                : String.format(Locale.ROOT, " %.2f |", c[0]));
      }
      sb.append(main[1] - main[0] <= main[0] ? " met |" : " **missed** |").append('\n');
    }
  }

  /**
   * Metaxy (the last build that is not the peer) against the peer, per N: what each adds to a build, in
   * wall-clock and in javac's main-thread CPU, and per type.
   */
  private static void peerTable(StringBuilder sb, List<Row> rows) {
    Map<Integer, Row> peers = new TreeMap<>();
    Map<Integer, Row> ours = new TreeMap<>();
    for (Row r : rows) {
      (r.build().startsWith("AutoValue ") ? peers : ours).put(r.features(), r);
    }
    if (peers.isEmpty()) {
      return;
    }
    sb.append(
            "\nAgainst the peer: what each processor adds (processor − plain), best of the same runs; ")
        .append("wall-clock s / main-thread CPU s,\nand main-thread CPU ms per type:\n\n")
        .append(
            "| N | Metaxy adds | AutoValue adds | Metaxy per type (ms) | AutoValue per type (ms) |")
        .append(" Metaxy / AutoValue (CPU) |\n|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<Integer, Row> e : peers.entrySet()) {
      Row m = ours.get(e.getKey());
      if (m == null) {
        continue;
      }
      Row a = e.getValue();
      double mWall = m.best(Kind.PROCESSOR) - m.best(Kind.PLAIN);
      double aWall = a.best(Kind.PROCESSOR) - a.best(Kind.PLAIN);
      double mCpu = m.bestMain(Kind.PROCESSOR) - m.bestMain(Kind.PLAIN);
      double aCpu = a.bestMain(Kind.PROCESSOR) - a.bestMain(Kind.PLAIN);
      sb.append(String.format(
          Locale.ROOT,
          "| %d | %.2f / %.2f | %.2f / %.2f | %.1f | %.1f | %.2f× |%n",
          e.getKey(),
          mWall,
          mCpu,
          aWall,
          aCpu,
          1000 * mCpu / e.getKey(),
          1000 * aCpu / e.getKey(),
          mCpu / aCpu));
    }
  }

  // ------------------------------------------------------------------ helpers

  private static Map<String, String> parse(String[] args) {
    return CommandLine.parse(
        args,
        List.of(
            "sizes",
            "runs",
            "seed",
            "paths",
            "workdir",
            "warm",
            "peer",
            "jfr",
            "out",
            "generate",
            "n",
            "help"),
        Map.of());
  }

  private static long seed(Map<String, String> o) {
    return Long.parseLong(o.getOrDefault("seed", "16"));
  }

  /** {@code dir} or {@code label=dir,label=dir}. */
  static List<Build> builds(String spec) throws IOException {
    List<Build> out = new ArrayList<>();
    for (String item : spec.split(",")) {
      int eq = item.indexOf('=');
      String label = eq < 0 ? "current" : item.substring(0, eq);
      Path dir = Path.of(eq < 0 ? item : item.substring(eq + 1));
      Path cp = dir.resolve("classpath.txt");
      Path pp = dir.resolve("processorpath.txt");
      if (!Files.exists(cp) || !Files.exists(pp)) {
        throw new IllegalArgumentException(
            dir + " has no classpath.txt and processorpath.txt; build first with"
                + " ./mvnw -B -ntp -o -q package -DskipTests -pl benchmarks -am");
      }
      out.add(new Build(label, Files.readString(cp).trim(), Files.readString(pp).trim(), false));
    }
    return out;
  }

  /** The peer build: AutoValue's annotations on the class path, its processor on the processor path. */
  static Build peer(Path dir) throws IOException {
    Path annotations = null;
    Path processor = null;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.matches("auto-value-annotations-.*\\.jar")) {
          annotations = p.toAbsolutePath();
        } else if (name.matches("auto-value-[0-9].*\\.jar")) {
          processor = p.toAbsolutePath();
        }
      }
    } catch (NoSuchFileException e) {
      // reported below with the fix
    }
    if (annotations == null || processor == null) {
      throw new IllegalArgumentException(dir
          + " has no auto-value and auto-value-annotations jars; build first with"
          + " ./mvnw -B -ntp -q package -DskipTests -pl benchmarks -am");
    }
    String version = processor.getFileName().toString().replaceAll("^auto-value-|\\.jar$", "");
    return new Build("AutoValue " + version, annotations.toString(), processor.toString(), true);
  }

  private static String commandLine(String[] args) {
    return "java -cp benchmarks/target/benchmarks.jar io.metaxy.benchmarks.CompileTimeBenchmark"
        + (args.length == 0 ? "" : " " + String.join(" ", args));
  }

  private static long lines(List<Path> files) throws IOException {
    long n = 0;
    for (Path f : files) {
      try (Stream<String> s = Files.lines(f)) {
        n += s.count();
      }
    }
    return n;
  }

  private static List<Path> listJava(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    for (Path p : listJava(dir)) {
      out.put(
          dir.relativize(p).toString().replace('\\', '/').replaceFirst("^", "/"),
          Files.readAllBytes(p));
    }
    return out;
  }

  private static boolean sameBytes(Map<String, byte[]> a, Map<String, byte[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    return a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
