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
import io.metaxy.store.StoreOptions;
import io.metaxy.store.delta.DeltaMetadataStore;
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
 * Issue 19's figures: {@code resolveUpdate} of the simple benchmark graph's leaf on the same local Delta
 * tables, by the embedded engine ({@link DeltaMetadataStore}) and by Spark {@code local[2]} ({@link
 * SparkMetadataStore}), each in its own JVM, with a check that both find the same counts and the same
 * provenance (a CRC32 sum over the increment's {@code metaxy_provenance} strings).
 *
 * <p>Run by {@code benchmarks/spark.sh} (see benchmarks/README.md, "Spark"). Arguments: {@code --workdir
 * DIR --sizes 1M,10M --rounds 3 --out FILE}. Templates (roots plus an empty leaf for the new phase; the
 * leaf at its correct provenance and a second audio version for every tenth sample for the stale phase)
 * are written once through the embedded Delta store and reused.
 */
public final class SparkBenchmark {
  static final FeatureKey VIDEO = FeatureKey.of("bench/video");
  static final FeatureKey CLIP = FeatureKey.of("bench/clip");
  static final String ID = "sample_uid";
  private static final int CHUNK = 1 << 20;

  private SparkBenchmark() {}

  static FeatureGraph graph() {
    FeatureSpec video = FeatureSpec.builder(VIDEO.toString(), ID)
        .field("audio", "1")
        .field("frames", "1")
        .build();
    FeatureSpec clip = FeatureSpec.builder(CLIP.toString(), ID)
        .dep(VIDEO.toString())
        .field("embedding", "1")
        .build();
    return FeatureGraph.of(List.of(
        FeatureDefinition.of(video, "bench", Map.of()),
        FeatureDefinition.of(clip, "bench", Map.of())));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    if (opts.containsKey("child")) {
      child(
          opts.get("child"),
          Path.of(opts.get("table")),
          Long.parseLong(opts.get("n")),
          opts.get("phase"),
          Integer.parseInt(opts.get("rounds")));
      return;
    }
    Path work = Path.of(opts.getOrDefault("workdir", "benchmarks/target/spark-bench"));
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
    List<Long> sizes = new ArrayList<>();
    for (String s : opts.getOrDefault("sizes", "1M,10M").split(",")) {
      sizes.add(parseSize(s.trim()));
    }
    StringBuilder table = new StringBuilder();
    String sparkVersion = "?";
    table.append("| N | phase | embedded (s) | Spark local[2] (s) | Spark / embedded | peak RSS"
        + " (embedded / Spark) | Spark shuffle written | rows to process / orphaned | provenance"
        + " agrees |\n|---:|---|---|---|---:|---|---:|---|---|\n");
    for (long n : sizes) {
      for (String phase : List.of("new", "stale")) {
        Path root = prepare(work, n, phase);
        Map<String, String> embedded = run("embedded", root, n, phase, rounds);
        Map<String, String> spark = run("spark", root, n, phase, rounds);
        sparkVersion = spark.getOrDefault("spark", "?");
        double e = median(embedded.get("times"));
        double s = median(spark.get("times"));
        boolean agree = embedded.get("counts").equals(spark.get("counts"))
            && embedded.get("crc").equals(spark.get("crc"));
        table.append(String.format(
            Locale.ROOT,
            "| %s | %s | %s | %s | %.2f× | %s MB / %s MB | %s MB | %s | %s |%n",
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
          throw new IllegalStateException("Spark and the embedded engine disagree at N=" + n + " "
              + phase + ": " + embedded + " vs " + spark);
        }
      }
    }
    Path out = Path.of(opts.getOrDefault("out", work.resolve("spark-bench.md").toString()));
    String section =
        section(table.toString(), started, rounds, String.join(" ", args), sparkVersion);
    String doc = Files.exists(out) ? Files.readString(out) : "";
    Files.writeString(out, replaceSection(doc, section));
    System.out.println("wrote the \"" + SECTION + "\" section of " + out);
  }

  /** The heading of this benchmark's section of BENCHMARKS.md. */
  static final String SECTION = "## Spark";

  private static String section(
      String table, String started, int rounds, String args, String sparkVersion)
      throws IOException {
    String[] avg = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
    String load = avg[0] + " / " + avg[1] + " / " + avg[2];
    return SECTION + "\n\n"
        + "`resolveUpdate` of the simple graph's leaf (`bench/video` → `bench/clip`, xxhash32) on the same"
        + " local Delta tables, by the embedded engine (`DeltaMetadataStore`) and by Spark `local[2]`"
        + " (`SparkMetadataStore.delta`), each in its own JVM (issue 19). Generated by"
        + " `io.metaxy.spark.bench.SparkBenchmark` (`benchmarks/spark.sh`, see benchmarks/README.md); do"
        + " not edit by hand.\n\n"
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

  private static Map<String, String> run(String engine, Path root, long n, String phase, int rounds)
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
      throw new IllegalStateException(engine + " at N=" + n + " " + phase + " failed");
    }
    return result;
  }

  // ---------------------------------------------------------------- child JVMs

  private static void child(String engine, Path root, long n, String phase, int rounds)
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
          DeltaMetadataStore store = new DeltaMetadataStore(
              StoreOptions.of(graph()).hashAlgorithm(HashAlgorithm.XXHASH32).allocator(a), root);
          long t0 = System.nanoTime();
          try (var scope = store.open(AccessMode.READ);
              Increment inc = store.resolveUpdate(CLIP)) {
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
        SparkMetadataStore store = SparkMetadataStore.delta(
            spark,
            root.toString(),
            SparkStoreOptions.of(graph()).withHashAlgorithm(HashAlgorithm.XXHASH32));
        SparkIncrement inc = store.resolveUpdate(CLIP);
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

  /** The Delta root of one (N, phase), written through the embedded store when absent. */
  private static Path prepare(Path work, long n, String phase) throws IOException {
    Path newRoot = work.resolve("simple-" + label(n) + "-new");
    Path stale = work.resolve("simple-" + label(n) + "-stale");
    if (!Files.isDirectory(newRoot)) {
      System.out.println("writing " + newRoot);
      Path tmp = work.resolve(newRoot.getFileName() + ".tmp");
      deleteAll(tmp);
      Files.createDirectories(tmp);
      try (BufferAllocator a = new RootAllocator()) {
        DeltaMetadataStore store = store(tmp, a);
        try (var scope = store.open(AccessMode.WRITE)) {
          for (long from = 0; from < n; from += CHUNK) {
            try (VectorSchemaRoot b = rootBatch(from, Math.min(n, from + CHUNK), false, a)) {
              store.write(VIDEO, b);
            }
          }
          try (Increment inc = store.resolveUpdate(CLIP);
              VectorSchemaRoot empty = inc.newSamples().slice(0, 0)) {
            store.write(CLIP, empty);
          }
        }
      }
      Files.move(tmp, newRoot, StandardCopyOption.ATOMIC_MOVE);
    }
    if (phase.equals("new")) {
      return newRoot;
    }
    if (!Files.isDirectory(stale)) {
      System.out.println("writing " + stale);
      Path tmp = work.resolve(stale.getFileName() + ".tmp");
      deleteAll(tmp);
      copyAll(newRoot, tmp); // Delta logs hold paths relative to the table: a copy is a table
      try (BufferAllocator a = new RootAllocator()) {
        DeltaMetadataStore store = store(tmp, a);
        try (var scope = store.open(AccessMode.WRITE)) {
          try (Increment inc = store.resolveUpdate(CLIP)) {
            VectorSchemaRoot rows = inc.newSamples();
            for (int from = 0; from < rows.getRowCount(); from += CHUNK) {
              try (VectorSchemaRoot slice =
                  rows.slice(from, Math.min(CHUNK, rows.getRowCount() - from))) {
                store.write(CLIP, slice);
              }
            }
          }
          for (long from = 0; from < n; from += CHUNK) {
            try (VectorSchemaRoot b = rootBatch(from, Math.min(n, from + CHUNK), true, a)) {
              store.write(VIDEO, b);
            }
          }
        }
      }
      Files.move(tmp, stale, StandardCopyOption.ATOMIC_MOVE);
    }
    return stale;
  }

  private static DeltaMetadataStore store(Path root, BufferAllocator a) {
    return new DeltaMetadataStore(
        StoreOptions.of(graph()).hashAlgorithm(HashAlgorithm.XXHASH32).allocator(a), root);
  }

  /**
   * Root rows {@code [from, to)}: id and a 16-hex-digit provenance per field; with {@code changedOnly}
   * only every tenth sample, with a second version of its audio.
   */
  private static VectorSchemaRoot rootBatch(
      long from, long to, boolean changedOnly, BufferAllocator a) {
    int rows = 0;
    for (long i = from; i < to; i++) {
      rows += !changedOnly || i % 10 == 0 ? 1 : 0;
    }
    BigIntVector id = new BigIntVector(ID, a);
    StructVector pbf = StructVector.empty(SystemColumns.PROVENANCE_BY_FIELD, a);
    VarCharVector audio =
        pbf.addOrGet("audio", FieldType.nullable(ArrowType.Utf8.INSTANCE), VarCharVector.class);
    VarCharVector frames =
        pbf.addOrGet("frames", FieldType.nullable(ArrowType.Utf8.INSTANCE), VarCharVector.class);
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
      audio.setSafe(r, hex(i, 11, changedOnly ? 2 : 1));
      frames.setSafe(r, hex(i, 23, 1));
      r++;
    }
    for (FieldVector v : List.<FieldVector>of(id, pbf, audio, frames)) {
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
