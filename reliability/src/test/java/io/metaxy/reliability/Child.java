package io.metaxy.reliability;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A child JVM running a {@code main} of this module on the test class path, whose stdout lines the test
 * reads as they come. Its stdin stays open: the children exit when it closes, so none outlives a test
 * JVM that dies. Its stderr goes to a file, shown when a test fails.
 */
final class Child implements AutoCloseable {
  /** The end of stdout. */
  private static final String EOF = new String("<eof>");

  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final OutputStream stdin;
  private boolean ended;

  private Child(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(
        () -> {
          try (BufferedReader in = new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
              lines.add(line);
            }
          } catch (IOException ignored) {
            // the stream ends with the process
          } finally {
            lines.add(EOF);
          }
        },
        "child-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} of {@code mainClass} with these arguments. */
  static Child start(Class<?> mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>(launcher());
    cmd.add(mainClass.getName());
    cmd.addAll(args);
    try {
      Path err = Files.createTempFile("reliability-child", ".err");
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      return new Child(p, err);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass.getName(), e);
    }
  }

  private static List<String> launcher;

  /** Prepares the children's command line now (its class-data archive takes seconds, once). */
  static void prepare() {
    launcher();
  }

  /**
   * The command line before the main class. A child spends most of its short life loading classes (the
   * first write of a fresh JVM took 2 s, the next ones 50 ms), and the crash tests start dozens: the
   * children share a class-data archive recorded once per run by {@link ChildTraining}. The JVM archives
   * only jars, so the class path's directories are packed first. Without an archive they start as usual.
   */
  private static synchronized List<String> launcher() {
    if (launcher != null) {
      return launcher;
    }
    List<String> base = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Arrow's direct buffers, as in the surefire argLine.
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-Xmx768m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        // The JVM's own warnings (class-data sharing ones among them) must not mix with the
        // protocol on stdout.
        "-Xlog:disable",
        "-Xlog:all=warning:stderr"));
    String classPath = System.getProperty("java.class.path");
    try {
      Path dir = Path.of("target", "reliability-child").toAbsolutePath();
      Files.createDirectories(dir);
      List<String> entries = new ArrayList<>();
      int n = 0;
      for (String entry : classPath.split(File.pathSeparator)) {
        if (entry.isEmpty()) {
          continue;
        }
        Path p = Path.of(entry);
        if (Files.isDirectory(p)) {
          Path jar = dir.resolve("classes-" + n++ + ".jar");
          pack(p, jar);
          entries.add(jar.toString());
        } else {
          entries.add(entry);
        }
      }
      String jars = String.join(File.pathSeparator, entries);
      Path archive = dir.resolve("child.jsa");
      Files.deleteIfExists(archive);
      List<String> train = new ArrayList<>(base);
      train.addAll(List.of(
          "-XX:ArchiveClassesAtExit=" + archive,
          "-cp",
          jars,
          ChildTraining.class.getName(),
          dir.resolve("training.duckdb").toString()));
      Path log = dir.resolve("training.log");
      Process p = new ProcessBuilder(train)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("the training child did not finish in 120 s");
      }
      if (p.exitValue() != 0 || !Files.isRegularFile(archive)) {
        throw new IOException("the training child exited with " + p.exitValue() + " (" + log + ")");
      }
      base.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-cp", jars));
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "[reliability] children start without a class-data archive: " + e.getMessage());
      base.addAll(List.of("-cp", classPath));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      base.addAll(List.of("-cp", classPath));
    }
    launcher = List.copyOf(base);
    return launcher;
  }

  private static void pack(Path directory, Path jar) throws IOException {
    try (var out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(directory)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        out.putNextEntry(
            new JarEntry(directory.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }

  long pid() {
    return process.pid();
  }

  /** The next stdout line, or {@code null} at its end. */
  String next(Duration timeout) throws InterruptedException {
    if (ended) {
      return null;
    }
    String line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (line == null) {
      throw new AssertionError("child " + process.pid() + " printed nothing for "
          + timeout.toSeconds() + " s" + stderrTail());
    }
    if (line == EOF) {
      ended = true;
      return null;
    }
    return line;
  }

  /** Sends one line to the child's stdin. */
  void send(String line) {
    try {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to child " + process.pid(), e);
    }
  }

  /**
   * SIGKILLs the child ({@link Process#destroyForcibly()} is {@code kill(pid, SIGKILL)} on Linux) and
   * returns its exit status, 137 (128 + 9) for a child the signal ended.
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("child " + process.pid() + " still runs 30 s after SIGKILL");
    }
    return process.exitValue();
  }

  /** Waits for the child to exit by itself; {@code -1} when it has not after {@code timeout}. */
  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return -1;
    }
    return process.exitValue();
  }

  /** The stdout lines not read yet, after the child has exited. */
  List<String> rest() throws InterruptedException {
    List<String> out = new ArrayList<>();
    String line;
    while ((line = next(Duration.ofSeconds(30))) != null) {
      out.add(line);
    }
    return out;
  }

  /** The end of the child's stderr, for failure messages. */
  String stderrTail() {
    try {
      String s = Files.readString(stderr, StandardCharsets.UTF_8);
      return s.isEmpty()
          ? ""
          : "\n--- child stderr (end) ---\n" + s.substring(Math.max(0, s.length() - 4000));
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      stdin.close();
    } catch (IOException ignored) {
      // the child is gone
    }
    try {
      Files.deleteIfExists(stderr);
    } catch (IOException ignored) {
      // a temp file
    }
  }
}
