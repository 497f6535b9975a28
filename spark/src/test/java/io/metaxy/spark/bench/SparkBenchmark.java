package io.metaxy.spark.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.crc32;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.metaxy.FeatureKey;
import io.metaxy.SystemColumns;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spark.SparkIncrement;
import io.metaxy.spark.SparkMetadataStore;
import io.metaxy.spark.SparkStoreOptions;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.delta.DeltaMetadataStore;
import io.metaxy.store.iceberg.IcebergMetadataStore;
import io.metaxy.versioning.HashAlgorithm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Issue 19's figures: {@code resolveUpdate} of the paper benchmark graphs' leaves on the same local
 * tables, Delta or Iceberg, by the embedded engine ({@link DeltaMetadataStore}, {@link
 * IcebergMetadataStore}) and by Spark {@code local[2]} ({@link SparkMetadataStore}), each in its own
 * JVM, with a check that both find the same counts and the same provenance (a CRC32 sum over the
 * increment's {@code metaxy_provenance} strings).
 *
 * <p>Run by {@code benchmarks/spark.sh} (see benchmarks/README.md, "Spark"). Arguments: {@code --workdir
 * DIR --sizes 1M,10M --rounds 3 --graphs simple,wide --formats delta,iceberg --out FILE}. Templates
 * (roots plus an empty leaf for the new phase; the leaf at its correct provenance and a second {@code
 * audio} version for every tenth sample for the stale phase) are written once through the embedded
 * store of their format and reused.
 */
public final class SparkBenchmark {
  static final String ID = "sample_uid";
  static final FeatureKey VIDEO = FeatureKey.of("bench/video");

  /** The field of {@link #VIDEO} that the stale phase changes. */
  static final String CHANGED_FIELD = "audio";

  /**
   * The Iceberg catalog's name, in the embedded store and in the Spark session: the embedded store's
   * default, as a user sharing its tables with Spark would configure it.
   */
  static final String CATALOG = IcebergMetadataStore.DEFAULT_NAMESPACE;

  private static final String NAMESPACE = IcebergMetadataStore.DEFAULT_NAMESPACE;
  private static final List<String> FORMATS = List.of("delta", "iceberg");
  private static final int CHUNK = 1 << 20;

  private SparkBenchmark() {}

  /**
   * The paper benchmark's graphs (benchmarks module, {@code Shape}, which is not on this class path):
   * every leaf field depends on every root field (automatic mapping, no namesake upstream field).
   */
  enum Shape {
    /** {@code bench/video} (audio, frames) → {@code bench/clip} (embedding). */
    SIMPLE(
        List.of(new Root(VIDEO, List.of("audio", "frames"))),
        FeatureKey.of("bench/clip"),
        List.of("embedding"),
        "simple (`bench/video`: audio, frames → `bench/clip`: embedding)"),
    /** {@code bench/video} and {@code bench/sensor}, four fields each → {@code bench/fusion}. */
    WIDE(
        List.of(
            new Root(VIDEO, List.of("audio", "frames", "text", "depth")),
            new Root(FeatureKey.of("bench/sensor"), List.of("imu", "gps", "lidar", "radar"))),
        FeatureKey.of("bench/fusion"),
        List.of("embedding", "caption"),
        "wide (`bench/video`: audio, frames, text, depth and `bench/sensor`: imu, gps, lidar, radar"
            + " → `bench/fusion`: embedding, caption)");

    final List<Root> roots;
    final FeatureKey leaf;
    final FeatureGraph graph;
    final String description;

    Shape(List<Root> roots, FeatureKey leaf, List<String> leafFields, String description) {
      this.roots = roots;
      this.leaf = leaf;
      this.description = description;
      List<FeatureDefinition> defs = new ArrayList<>();
      FeatureSpec.Builder l = FeatureSpec.builder(leaf.toString(), ID);
      for (Root root : roots) {
        FeatureSpec.Builder b = FeatureSpec.builder(root.key().toString(), ID);
        root.fields().forEach(f -> b.field(f, "1"));
        defs.add(FeatureDefinition.of(b.build(), "bench", Map.of()));
        l.dep(root.key().toString());
      }
      leafFields.forEach(f -> l.field(f, "1"));
      defs.add(FeatureDefinition.of(l.build(), "bench", Map.of()));
      this.graph = FeatureGraph.of(defs);
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Shape parse(String s) {
      for (Shape g : values()) {
        if (g.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
          return g;
        }
      }
      throw new IllegalArgumentException("unknown graph \"" + s + "\" (one of simple, wide)");
    }
  }

  /** A root feature and its fields. */
  record Root(FeatureKey key, List<String> fields) {}

  private static String format(String s) {
    String f = s.trim().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(f)) {
      throw new IllegalArgumentException("unknown format \"" + s + "\" (one of delta, iceberg)");
    }
    return f;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    if (opts.containsKey("child")) {
      child(
          opts.get("child"),
          Shape.parse(opts.get("graph")),
          format(opts.get("format")),
          Path.of(opts.get("table")),
          Long.parseLong(opts.get("n")),
          opts.get("phase"),
          Integer.parseInt(opts.get("rounds")));
      return;
    }
    Path work = Path.of(opts.getOrDefault("workdir", "benchmarks/target/spark-bench"))
        .toAbsolutePath()
        .normalize();
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
    List<Long> sizes = new ArrayList<>();
    for (String s : opts.getOrDefault("sizes", "1M,10M").split(",")) {
      sizes.add(parseSize(s.trim()));
    }
    List<Shape> shapes = new ArrayList<>();
    for (String s : opts.getOrDefault("graphs", "simple").split(",")) {
      shapes.add(Shape.parse(s));
    }
    List<String> formats = new ArrayList<>();
    for (String s : opts.getOrDefault("formats", "delta,iceberg").split(",")) {
      formats.add(format(s));
    }
    StringBuilder table = new StringBuilder();
    String sparkVersion = "?";
    table.append("| graph | format | N | phase | embedded (s) | Spark local[2] (s) | Spark /"
        + " embedded | peak RSS (embedded / Spark) | Spark shuffle written | rows to process /"
        + " orphaned | provenance agrees |\n|---|---|---:|---|---|---|---:|---|---:|---|---|\n");
    for (Shape shape : shapes) {
      for (long n : sizes) {
        for (String format : formats) {
          for (String phase : List.of("new", "stale")) {
            Path root = prepare(work, shape, format, n, phase);
            Map<String, String> embedded = run("embedded", shape, format, root, n, phase, rounds);
            Map<String, String> spark = run("spark", shape, format, root, n, phase, rounds);
            sparkVersion = spark.getOrDefault("spark", "?");
            double e = median(embedded.get("times"));
            double s = median(spark.get("times"));
            boolean agree = embedded.get("counts").equals(spark.get("counts"))
                && embedded.get("crc").equals(spark.get("crc"));
            table.append(String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %.2f× | %s MB / %s MB | %s MB | %s | %s |%n",
                shape.label(),
                format,
                label(n),
                phase,
                stats(embedded.get("times")),
                stats(spark.get("times")),
                s / e,
                embedded.get("rssMb"),
                spark.get("rssMb"),
                String.format(
                    Locale.ROOT, "%.1f", Long.parseLong(spark.get("shuffleBytes")) / 1e6 / rounds),
                spark.get("counts"),
                agree ? "yes" : "**NO** (" + embedded + " vs " + spark + ")"));
            System.out.println(table);
            if (!agree) {
              throw new IllegalStateException("Spark and the embedded engine disagree on "
                  + shape.label() + " " + format + " N=" + n + " " + phase + ": " + embedded
                  + " vs " + spark);
            }
          }
        }
      }
    }
    Path out = Path.of(opts.getOrDefault("out", work.resolve("spark-bench.md").toString()));
    String section = section(
        table.toString(), started, rounds, String.join(" ", args), sparkVersion, shapes, formats);
    String doc = Files.exists(out) ? Files.readString(out) : "";
    Files.writeString(out, replaceSection(doc, section));
    System.out.println("wrote the \"" + SECTION + "\" section of " + out);
  }

  /** The heading of this benchmark's section of BENCHMARKS.md. */
  static final String SECTION = "## Spark";

  private static String section(
      String table,
      String started,
      int rounds,
      String args,
      String sparkVersion,
      List<Shape> shapes,
      List<String> formats)
      throws IOException {
    String[] avg = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
    String load = avg[0] + " / " + avg[1] + " / " + avg[2];
    List<String> graphs = new ArrayList<>();
    shapes.forEach(g -> graphs.add(g.description));
    List<String> tables = new ArrayList<>();
    if (formats.contains("delta")) {
      tables.add(
          "local Delta tables (embedded: `DeltaMetadataStore`; Spark: `SparkMetadataStore.delta`)");
    }
    if (formats.contains("iceberg")) {
      tables.add("local Iceberg tables, one warehouse per template with a catalog of the"
          + " reference's default kind, JDBC on SQLite at `<warehouse>/catalog.db`, catalog name `"
          + CATALOG + "`,"
          + " namespace `" + NAMESPACE + "` (embedded: `IcebergMetadataStore`; Spark:"
          + " `SparkMetadataStore.iceberg` through Iceberg's `SparkCatalog` on the same catalog)");
    }
    return SECTION + "\n\n"
        + "`resolveUpdate` of the paper benchmark graphs' leaves (xxhash32) on the same tables by the"
        + " embedded engine and by Spark `local[2]`, each in its own JVM (issue 19). Generated by"
        + " `io.metaxy.spark.bench.SparkBenchmark` (`benchmarks/spark.sh`, see benchmarks/README.md); do"
        + " not edit by hand.\n\n"
        + "* Graphs: " + String.join("; ", graphs) + ". Every leaf field depends on every root"
        + " field; the stale phase changes `bench/video`'s `audio` for every tenth sample.\n"
        + "* Tables: " + String.join("; ", tables) + ".\n"
        + "* Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
        + ", Spark " + sparkVersion + "; started " + started
        + "; load average (1/5/15 min) at the end " + load + ".\n"
        + "* Command: `benchmarks/spark.sh " + args + "`\n"
        + "* Timed, embedded (`-Xmx1500m`): build and open the store, `resolveUpdate`, the increment"
        + " materialised as Arrow and counted. Timed, Spark (`-Xmx6g`, `spark.sql.shuffle.partitions=4`,"
        + " adaptive execution on): build the store, `resolveUpdate`, consume `toProcess()` once (count"
        + " and a checksum sum: one job) and count `orphaned()` (a second job). One warm-up round per JVM"
        + " (Spark's includes the first queries' code generation), then " + rounds
        + " rounds; median"
        + " [p25–p75] in seconds, peak RSS `VmHWM`, Spark's shuffle bytes written per round.\n"
        + "* Checked every round: rows to process and orphaned rows as expected; both engines' sums of the"
        + " CRC32 of the rows' `metaxy_provenance` equal.\n"
        + "* Target (issue 19, 2 cores): Spark within 2× of the embedded engine at 10M.\n\n"
        + table;
  }

  /** {@code doc} with this benchmark's section replaced, or appended when it has none. */
  static String replaceSection(String doc, String section) {
    int start = doc.startsWith(SECTION + "\n") ? 0 : doc.indexOf("\n" + SECTION + "\n");
    if (start < 0) {
      // A new section goes before the compile-time one, as PaperBenchmark orders them.
      int before = doc.indexOf("\n## Compile time\n");
      if (before >= 0) {
        return doc.substring(0, before + 1) + section + "\n" + doc.substring(before + 1);
      }
      return doc.isEmpty() ? section : doc.stripTrailing() + "\n\n" + section;
    }
    if (start > 0) {
      start++;
    }
    int end = doc.indexOf("\n## ", start + SECTION.length());
    String rest = end < 0 ? "" : "\n" + doc.substring(end + 1);
    return doc.substring(0, start) + section + rest;
  }

  private static Map<String, String> run(
      String engine, Shape shape, String format, Path root, long n, String phase, int rounds)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(engine.equals("spark") ? "-Xmx6g" : "-Xmx1500m");
    cmd.addAll(Arrays.asList(System.getProperty("bench.jvmFlags", "").split(" ")));
    cmd.removeIf(String::isBlank);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SparkBenchmark.class.getName());
    cmd.addAll(List.of(
        "--child",
        engine,
        "--graph",
        shape.label(),
        "--format",
        format,
        "--table",
        root.toString(),
        "--n",
        Long.toString(n),
        "--phase",
        phase,
        "--rounds",
        Integer.toString(rounds)));
    Process p =
        new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Map<String, String> result = new LinkedHashMap<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        System.out.println("  [" + engine + "] " + line);
        if (line.startsWith("result ")) {
          for (String kv : line.substring(7).split(" ")) {
            int eq = kv.indexOf('=');
            result.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
        }
      }
    }
    if (p.waitFor() != 0 || result.isEmpty()) {
      throw new IllegalStateException(
          engine + " on " + shape.label() + " " + format + " N=" + n + " " + phase + " failed");
    }
    return result;
  }

  // ---------------------------------------------------------------- child JVMs

  private static void child(
      String engine, Shape shape, String format, Path root, long n, String phase, int rounds)
      throws Exception {
    long expectedNew = phase.equals("new") ? n : 0;
    long expectedStale = phase.equals("new") ? 0 : (n + 9) / 10;
    // Counts compared: rows to process / orphaned (Spark counts toProcess as one).
    String expected = (expectedNew + expectedStale) + "/0";
    List<Double> times = new ArrayList<>();
    String counts = null;
    String crc = null;
    long shuffle = 0;
    if (engine.equals("embedded")) {
      for (int r = 0; r <= rounds; r++) {
        try (BufferAllocator a = new RootAllocator()) {
          MetadataStore store = store(shape, format, root, a);
          long t0 = System.nanoTime();
          try (var scope = store.open(AccessMode.READ);
              Increment inc = store.resolveUpdate(shape.leaf)) {
            String c = (inc.newSamples().getRowCount() + inc.stale().getRowCount()) + "/"
                + inc.orphaned().getRowCount();
            double secs = (System.nanoTime() - t0) / 1e9;
            if (r > 0) {
              times.add(secs);
            }
            counts = c;
            crc = Long.toString(crcSum(inc.newSamples()) + crcSum(inc.stale()));
          }
        }
        System.out.printf(Locale.ROOT, "round %d: %s%n", r, counts);
      }
    } else {
      SparkSession.Builder builder = SparkSession.builder();
      builder
          .appName("metaxy-spark-benchmark")
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config(
              "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .config("spark.delta.logStore.file.impl", "io.metaxy.store.delta.LinkLogStore")
          // A log of a few commits: Delta's default of 50 partitions for its state is for big logs.
          .config("spark.databricks.delta.snapshotPartitions", "2")
          // Two shuffle partitions per core, as one sizes them for a 2-core executor; Spark's
          // default
          // of 200 (even coalesced by adaptive execution) cost 1.5-2 s more per 1M-row resolve
          // here.
          .config("spark.sql.shuffle.partitions", "4");
      if (format.equals("iceberg")) {
        // The embedded store's catalog (SQLite in the warehouse) under the same name; reads need no
        // Iceberg session extensions.
        String prefix = "spark.sql.catalog." + CATALOG;
        builder
            .config(prefix, "org.apache.iceberg.spark.SparkCatalog")
            .config(prefix + ".type", "jdbc")
            .config(prefix + ".uri", "jdbc:sqlite:" + root + "/catalog.db")
            .config(prefix + ".warehouse", "file://" + root);
      }
      // Extra settings to try: -Dbench.sparkConf=key=value,key=value
      for (String kv : System.getProperty("bench.sparkConf", "").split(",")) {
        if (kv.contains("=")) {
          builder.config(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
      }
      SparkSession spark = builder.getOrCreate();
      AtomicLong shuffleBytes = new AtomicLong();
      boolean profile = Boolean.getBoolean("bench.profile");
      spark.sparkContext().addSparkListener(new SparkListener() {
        @Override
        public void onStageCompleted(SparkListenerStageCompleted done) {
          StageInfo st = done.stageInfo();
          if (profile) {
            long ms =
                (long) st.completionTime().get() - (long) st.submissionTime().get();
            System.out.printf(
                Locale.ROOT,
                "  stage %d: %d ms, %d tasks, run %d ms, shuffle w %d MB"
                    + " r %d MB, in %d rows: %s%n",
                st.stageId(),
                ms,
                st.numTasks(),
                st.taskMetrics().executorRunTime(),
                st.taskMetrics().shuffleWriteMetrics().bytesWritten() >> 20,
                st.taskMetrics().shuffleReadMetrics().totalBytesRead() >> 20,
                st.taskMetrics().inputMetrics().recordsRead(),
                st.name());
          }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
          if (end.taskMetrics() != null) {
            shuffleBytes.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
          }
        }
      });
      for (int r = 0; r <= rounds; r++) {
        long before = shuffleBytes.get();
        long t0 = System.nanoTime();
        SparkStoreOptions options =
            SparkStoreOptions.of(shape.graph).withHashAlgorithm(HashAlgorithm.XXHASH32);
        SparkMetadataStore store = format.equals("iceberg")
            ? SparkMetadataStore.iceberg(spark, CATALOG, NAMESPACE, options)
            : SparkMetadataStore.delta(spark, root.toString(), options);
        SparkIncrement inc = store.resolveUpdate(shape.leaf);
        // What a job does with the increment: process toProcess once (here: count it and sum a
        // checksum of its provenance instead of computing anything) and count the orphaned rows.
        Row work = inc.toProcess()
            .agg(count(lit(1)), sum(crc32(col(SystemColumns.PROVENANCE))))
            .first();
        long orphaned = inc.orphaned().count();
        double secs = (System.nanoTime() - t0) / 1e9;
        spark.sparkContext().listenerBus().waitUntilEmpty();
        counts = work.getLong(0) + "/" + orphaned;
        crc = Long.toString(work.isNullAt(1) ? 0 : work.getLong(1));
        if (r > 0) {
          times.add(secs);
          shuffle += shuffleBytes.get() - before;
        }
        System.out.printf(Locale.ROOT, "round %d: %.3f s %s%n", r, secs, counts);
      }
    }
    if (!expected.equals(counts)) {
      throw new IllegalStateException(engine + ": counts " + counts + ", expected " + expected);
    }
    StringBuilder t = new StringBuilder();
    for (double d : times) {
      t.append(t.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", d));
    }
    System.out.println("result times=" + t + " counts=" + counts + " crc=" + crc + " rssMb="
        + peakRssMb() + " shuffleBytes=" + shuffle
        + (engine.equals("spark") ? " spark=" + SparkSession.active().version() : ""));
    System.exit(0);
  }

  private static long crcSum(VectorSchemaRoot rows) {
    VarCharVector v = (VarCharVector) rows.getVector(SystemColumns.PROVENANCE);
    CRC32 crc = new CRC32();
    long sum = 0;
    for (int i = 0; i < v.getValueCount(); i++) {
      crc.reset();
      crc.update(v.get(i));
      sum += crc.getValue();
    }
    return sum;
  }

  private static long peakRssMb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- templates

  /**
   * The table root (a Delta root or an Iceberg warehouse) of one (graph, format, N, phase), written
   * through the embedded store of its format when absent.
   */
  private static Path prepare(Path work, Shape shape, String format, long n, String phase)
      throws IOException {
    String name = shape.label() + "-" + format + "-" + label(n) + "-";
    Path newRoot = work.resolve(name + "new");
    Path stale = work.resolve(name + "stale");
    Path dir = phase.equals("new") ? newRoot : stale;
    if (format.equals("iceberg")) {
      // Iceberg metadata holds absolute paths: a template is written where it stays (it is never
      // copied or moved), and a marker file says that it is complete.
      Path complete = dir.resolve("COMPLETE");
      if (!Files.exists(complete)) {
        System.out.println("writing " + dir);
        long t0 = System.nanoTime();
        deleteAll(dir);
        Files.createDirectories(dir);
        fill(shape, format, dir, (store, a) -> {
          writeRoots(store, shape, n, false, a);
          if (phase.equals("new")) {
            writeEmptyLeaf(store, shape);
          } else {
            writeLeaf(store, shape);
            writeRoots(store, shape, n, true, a);
          }
        });
        Files.writeString(complete, Instant.now().toString() + "\n");
        System.out.printf(Locale.ROOT, "wrote %s in %.1f s%n", dir, (System.nanoTime() - t0) / 1e9);
      }
      return dir;
    }
    if (!Files.isDirectory(newRoot)) {
      System.out.println("writing " + newRoot);
      long t0 = System.nanoTime();
      Path tmp = work.resolve(newRoot.getFileName() + ".tmp");
      deleteAll(tmp);
      Files.createDirectories(tmp);
      fill(shape, format, tmp, (store, a) -> {
        writeRoots(store, shape, n, false, a);
        writeEmptyLeaf(store, shape);
      });
      Files.move(tmp, newRoot, StandardCopyOption.ATOMIC_MOVE);
      System.out.printf(
          Locale.ROOT, "wrote %s in %.1f s%n", newRoot, (System.nanoTime() - t0) / 1e9);
    }
    if (phase.equals("new")) {
      return newRoot;
    }
    if (!Files.isDirectory(stale)) {
      System.out.println("writing " + stale);
      long t0 = System.nanoTime();
      Path tmp = work.resolve(stale.getFileName() + ".tmp");
      deleteAll(tmp);
      copyAll(newRoot, tmp); // Delta logs hold paths relative to the table: a copy is a table
      fill(shape, format, tmp, (store, a) -> {
        writeLeaf(store, shape);
        writeRoots(store, shape, n, true, a);
      });
      Files.move(tmp, stale, StandardCopyOption.ATOMIC_MOVE);
      System.out.printf(Locale.ROOT, "wrote %s in %.1f s%n", stale, (System.nanoTime() - t0) / 1e9);
    }
    return stale;
  }

  /** What a template's writes do, through the embedded store of its format. */
  private interface Fill {
    void into(MetadataStore store, BufferAllocator allocator);
  }

  /** Opens the embedded store of {@code format} on {@code root} for writing and runs {@code fill}. */
  @SuppressWarnings("try") // the scope keeps the store open
  private static void fill(Shape shape, String format, Path root, Fill fill) {
    try (BufferAllocator a = new RootAllocator()) {
      MetadataStore store = store(shape, format, root, a);
      try (var scope = store.open(AccessMode.WRITE)) {
        fill.into(store, a);
      }
    }
  }

  private static MetadataStore store(Shape shape, String format, Path root, BufferAllocator a) {
    StoreOptions options =
        StoreOptions.of(shape.graph).hashAlgorithm(HashAlgorithm.XXHASH32).allocator(a);
    return format.equals("iceberg")
        ? new IcebergMetadataStore(options, root.toString(), NAMESPACE, CATALOG, null, true)
        : new DeltaMetadataStore(options, root);
  }

  /** Every root's rows, or with {@code changedOnly} the changed version of every tenth sample. */
  private static void writeRoots(
      MetadataStore store, Shape shape, long n, boolean changedOnly, BufferAllocator a) {
    for (Root root : shape.roots) {
      if (changedOnly && !root.key().equals(VIDEO)) {
        continue;
      }
      for (long from = 0; from < n; from += CHUNK) {
        try (VectorSchemaRoot b =
            rootBatch(root, from, Math.min(n, from + CHUNK), changedOnly, a)) {
          store.write(root.key(), b);
        }
      }
    }
  }

  /** The leaf's table, empty (columns as a resolve gives them). */
  private static void writeEmptyLeaf(MetadataStore store, Shape shape) {
    try (Increment inc = store.resolveUpdate(shape.leaf);
        VectorSchemaRoot empty = inc.newSamples().slice(0, 0)) {
      store.write(shape.leaf, empty);
    }
  }

  /** The leaf at its correct provenance: every new sample of a resolve, in 2^20-row commits. */
  private static void writeLeaf(MetadataStore store, Shape shape) {
    try (Increment inc = store.resolveUpdate(shape.leaf)) {
      VectorSchemaRoot rows = inc.newSamples();
      for (int from = 0; from < rows.getRowCount(); from += CHUNK) {
        try (VectorSchemaRoot slice =
            rows.slice(from, Math.min(CHUNK, rows.getRowCount() - from))) {
          store.write(shape.leaf, slice);
        }
      }
    }
  }

  /**
   * Rows {@code [from, to)} of one root: id and a 16-hex-digit provenance per field; with {@code
   * changedOnly} only every tenth sample, with a second version of its changed field.
   */
  private static VectorSchemaRoot rootBatch(
      Root root, long from, long to, boolean changedOnly, BufferAllocator a) {
    int rows = 0;
    for (long i = from; i < to; i++) {
      rows += !changedOnly || i % 10 == 0 ? 1 : 0;
    }
    BigIntVector id = new BigIntVector(ID, a);
    StructVector pbf = StructVector.empty(SystemColumns.PROVENANCE_BY_FIELD, a);
    List<String> fields = root.fields();
    List<VarCharVector> children = new ArrayList<>();
    long[] seeds = new long[fields.size()];
    int[] versions = new int[fields.size()];
    for (int c = 0; c < fields.size(); c++) {
      String f = fields.get(c);
      children.add(
          pbf.addOrGet(f, FieldType.nullable(ArrowType.Utf8.INSTANCE), VarCharVector.class));
      seeds[c] = (root.key() + "." + f).hashCode();
      versions[c] = changedOnly && root.key().equals(VIDEO) && f.equals(CHANGED_FIELD) ? 2 : 1;
    }
    id.allocateNew(rows);
    pbf.setInitialCapacity(rows);
    pbf.allocateNew();
    int r = 0;
    for (long i = from; i < to; i++) {
      if (changedOnly && i % 10 != 0) {
        continue;
      }
      id.set(r, i);
      pbf.setIndexDefined(r);
      for (int c = 0; c < children.size(); c++) {
        children.get(c).setSafe(r, hex(i, seeds[c], versions[c]));
      }
      r++;
    }
    id.setValueCount(rows);
    pbf.setValueCount(rows);
    for (VarCharVector v : children) {
      v.setValueCount(rows);
    }
    VectorSchemaRoot out = new VectorSchemaRoot(List.<FieldVector>of(id, pbf));
    out.setRowCount(rows);
    return out;
  }

  /** A content-hash-like value: 16 hex digits of a mixed 64-bit number. */
  private static byte[] hex(long sample, long seed, int version) {
    long h = (sample * 0x9E3779B97F4A7C15L) ^ (seed * 0xC2B2AE3D27D4EB4FL) ^ version;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return String.format("%016x", h).getBytes(StandardCharsets.US_ASCII);
  }

  // ---------------------------------------------------------------- small helpers

  private static long parseSize(String s) {
    String u = s.toUpperCase(Locale.ROOT);
    if (u.endsWith("M")) {
      return Long.parseLong(u.substring(0, u.length() - 1)) * 1_000_000L;
    }
    if (u.endsWith("K")) {
      return Long.parseLong(u.substring(0, u.length() - 1)) * 1_000L;
    }
    return Long.parseLong(u);
  }

  private static String label(long n) {
    return n % 1_000_000 == 0 ? n / 1_000_000 + "M" : n % 1000 == 0 ? n / 1000 + "k" : "" + n;
  }

  private static double[] sorted(String times) {
    return Arrays.stream(times.split(","))
        .mapToDouble(Double::parseDouble)
        .sorted()
        .toArray();
  }

  private static double median(String times) {
    double[] t = sorted(times);
    return t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
  }

  private static String stats(String times) {
    double[] t = sorted(times);
    return String.format(
        Locale.ROOT,
        "%.2f [%.2f–%.2f]",
        median(times),
        t[(int) Math.floor((t.length - 1) * 0.25)],
        t[(int) Math.ceil((t.length - 1) * 0.75)]);
  }

  private static void deleteAll(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted((x, y) -> y.getNameCount() - x.getNameCount()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private static void copyAll(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
