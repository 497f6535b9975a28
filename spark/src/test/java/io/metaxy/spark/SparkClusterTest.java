package io.metaxy.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.conformance.SampleVectors;
import io.metaxy.engine.VersioningEngine;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on loopback: a master and a worker as separate JVMs started from
 * Spark's own classes, executors launched by the worker, and a driver process whose executors load
 * Metaxy only from {@code spark.jars}. So class shipping and the hash functions' code generation run
 * as on a cluster, not inside one {@code local[*]} JVM. The driver's provenance values must equal the
 * embedded engine's.
 */
class SparkClusterTest {
  private static final List<Process> PROCESSES = new ArrayList<>();

  @TempDir
  static Path dir;

  private static String master;

  @BeforeAll
  static void startCluster() throws Exception {
    Path home = sparkHome(dir.resolve("spark-home"));
    int masterPort = freePort();
    master = "spark://127.0.0.1:" + masterPort;
    String cp = home.resolve("jars").toString() + File.separator + "*";
    start(
        "master",
        List.of(
            cp,
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(masterPort),
            "--webui-port",
            Integer.toString(freePort())),
        home);
    awaitPort(masterPort);
    Files.createDirectories(dir.resolve("work"));
    start(
        "worker",
        List.of(
            cp,
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--cores",
            "2",
            "--memory",
            "1g",
            "--webui-port",
            Integer.toString(freePort()),
            "--work-dir",
            dir.resolve("work").toString(),
            master),
        home);
  }

  @AfterAll
  static void stopCluster() {
    for (Process p : PROCESSES) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void aJobOnAStandaloneClusterComputesTheEmbeddedEnginesValues() throws Exception {
    Path out = dir.resolve("provenance.csv");
    List<String> shipped = List.of(
        jarOf(HashAlgorithm.class, "metaxy-runtime.jar").toString(),
        jarOf(SparkVersioning.class, "metaxy-spark.jar").toString());
    Process driver = start(
        "driver",
        List.of(
            System.getProperty("java.class.path"),
            ClusterJob.class.getName(),
            master,
            out.toString(),
            String.join(",", shipped)),
        dir.resolve("spark-home"));
    assertTrue(driver.waitFor(4, TimeUnit.MINUTES), "the driver finished within 4 minutes");
    assertEquals(0, driver.exitValue(), () -> "driver failed:\n" + tail("driver"));
    Map<Long, String> got = new TreeMap<>();
    for (String line : Files.readAllLines(out)) {
      String[] parts = line.split(",", -1);
      got.put(Long.parseLong(parts[0]), parts[1]);
    }
    assertEquals(embedded(), got);
    // The worker launched executors for the application, and they fetched Metaxy from the driver.
    try (Stream<Path> files = Files.walk(dir.resolve("work"))) {
      List<String> fetched = files
          .filter(f -> f.getFileName().toString().equals("metaxy-spark.jar"))
          .map(f -> dir.relativize(f).toString())
          .toList();
      assertFalse(
          fetched.isEmpty(), () -> "no executor fetched metaxy-spark.jar:\n" + tail("worker"));
    }
  }

  /** The same rows through the embedded engine. */
  private static Map<Long, String> embedded() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (long id = 0; id < ClusterData.ROWS; id++) {
      Map<String, Object> dv = new LinkedHashMap<>();
      dv.put("audio", ClusterData.audio(id));
      dv.put("frames", ClusterData.frames(id));
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("sample_uid", id);
      r.put("metaxy_data_version_by_field", dv);
      rows.add(r);
    }
    Map<Long, String> out = new TreeMap<>();
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot video = SampleVectors.batch(rows, Map.of(), allocator)) {
      VersioningEngine engine = new VersioningEngine(
          ClusterData.graph(), HashAlgorithm.XXHASH32, Truncation.DEFAULT, allocator);
      try (VectorSchemaRoot expected =
          engine.expected(FeatureKey.of("clip"), Map.of(FeatureKey.of("video"), video))) {
        for (Map<String, Object> r : SampleVectors.rows(expected)) {
          out.put((Long) r.get("sample_uid"), (String) r.get("metaxy_provenance"));
        }
      }
    }
    return out;
  }

  /**
   * A Spark "distribution" for the master, worker and executors: {@code RELEASE}, {@code conf/} with
   * the tests' logging, and {@code jars/} linking every jar of this class path except Metaxy's own, so
   * executors can load Metaxy only from what the driver ships.
   */
  private static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("RELEASE"), "Spark 4.1.1 (class path of the Metaxy tests)\n");
    try (InputStream log = SparkClusterTest.class.getResourceAsStream("/log4j2.properties")) {
      Files.copy(log, home.resolve("conf/log4j2.properties"));
    }
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
      Path p = Path.of(entry);
      String name = p.getFileName().toString();
      if (entry.endsWith(".jar")
          && !name.startsWith("metaxy-")
          && Files.isRegularFile(p)
          && !Files.exists(jars.resolve(name))) {
        Files.createSymbolicLink(jars.resolve(name), p.toAbsolutePath());
      }
    }
    return home;
  }

  /** The class path entry holding {@code type}, as a jar (a classes directory is packed into one). */
  private static Path jarOf(Class<?> type, String name) throws Exception {
    Path source =
        Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jar = dir.resolve(name);
    if (!Files.isDirectory(source)) {
      return Files.copy(source, jar, StandardCopyOption.REPLACE_EXISTING);
    }
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(source)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(
            new JarEntry(source.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /** A JVM running {@code args} (class path, main class, arguments) with Spark's module options. */
  private static Process start(String name, List<String> args, Path sparkHome) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    for (String pkg : List.of(
        "java.lang",
        "java.lang.invoke",
        "java.lang.reflect",
        "java.io",
        "java.net",
        "java.nio",
        "java.util",
        "java.util.concurrent",
        "java.util.concurrent.atomic",
        "jdk.internal.ref",
        "sun.nio.ch",
        "sun.nio.cs",
        "sun.security.action",
        "sun.util.calendar")) {
      cmd.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
    }
    cmd.add("-Djdk.reflect.useDirectMethodHandle=false");
    cmd.add("-Dlog4j.configurationFile=" + sparkHome.resolve("conf/log4j2.properties"));
    cmd.add("-cp");
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    PROCESSES.add(p);
    return p;
  }

  private static String tail(String name) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitPort(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    throw new AssertionError("the master did not listen on port " + port + ":\n" + tail("master"));
  }
}
