package io.metaxy.cli;

import static io.metaxy.cli.StoreProject.feature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script {@code src/main/sh/mx} as a process, with its class-data archive: a first run
 * that may record (a terminal, or {@code MX_CDS=1}) records one ({@link StartupTraining}), later runs
 * map it, and neither a fresh, a used, a broken nor a missing archive changes what a command prints or
 * returns. The script runs a jar of this module's
 * classes ({@code MX_JAR}) with the test class path's jars ({@code MX_CLASSPATH}).
 */
class LauncherTest {
  @TempDir
  Path dir;

  @TempDir
  Path cache;

  private ProcessRun mx(Map<String, String> env, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("sh", Path.of("src/main/sh/mx").toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> e = pb.environment();
    e.keySet()
        .removeIf(k -> k.startsWith("METAXY_") || k.startsWith("MX_") || k.equals("JAVA_OPTS"));
    e.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    e.put("MX_JAR", jar().toString());
    e.put("MX_CLASSPATH", dependencyJars());
    e.put("MX_CDS_DIR", cache.toString());
    e.putAll(env);
    return ProcessRun.of(pb, dir, 180);
  }

  private static Path jar;

  /** This module's classes as a jar (a class-data archive cannot hold classes from a directory). */
  private static synchronized Path jar() throws IOException {
    if (jar == null) {
      Path classes = Path.of("target", "classes").toAbsolutePath();
      Path out = Files.createTempFile("mx-launcher-test", ".jar");
      out.toFile().deleteOnExit();
      try (OutputStream os = Files.newOutputStream(out);
          JarOutputStream j = new JarOutputStream(os);
          Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          j.putNextEntry(
              new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
          j.write(Files.readAllBytes(f));
          j.closeEntry();
        }
      }
      jar = out;
    }
    return jar;
  }

  /** The class path without this module's own class directories (the jar stands for them). */
  private static String dependencyJars() {
    List<String> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry).toAbsolutePath();
      if (!p.equals(Path.of("target", "classes").toAbsolutePath())
          && !p.equals(Path.of("target", "test-classes").toAbsolutePath())) {
        out.add(entry);
      }
    }
    return String.join(File.pathSeparator, out);
  }

  private List<Path> cacheFiles() throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files.sorted().toList();
    }
  }

  /**
   * Skips the archive checks when the JDK has no base archive to record on top of, or the class path
   * has directories (a reactor build without packaging); recording must then have failed quietly.
   */
  private void assumeArchivable() throws IOException {
    boolean base = Files.isRegularFile(
        Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa"));
    if (!base) {
      assertTrue(
          cacheFiles().stream().anyMatch(f -> f.toString().endsWith(".failed")),
          "a failed recording leaves its marker: " + cacheFiles());
    }
    Assumptions.assumeTrue(
        base, "this JDK has no base class-data archive (lib/server/classes.jsa)");
    List<String> dirs = new ArrayList<>();
    for (String entry : dependencyJars().split(File.pathSeparator)) {
      if (Files.isDirectory(Path.of(entry))) {
        dirs.add(entry);
      }
    }
    if (!dirs.isEmpty()) {
      assertTrue(
          cacheFiles().stream().anyMatch(f -> f.toString().endsWith(".failed")),
          "a failed recording leaves its marker: " + cacheFiles());
    }
    Assumptions.assumeTrue(
        dirs.isEmpty(), "class directories on the class path cannot be archived: " + dirs);
  }

  private StoreProject project() {
    StoreProject project = new StoreProject(dir);
    project.graph(feature("video/files_root"), feature("video/files", "video/files_root"));
    project.writeRoot("dev", "video/files_root", 1, 2, 3);
    return project;
  }

  @Test
  void theFirstRunRecordsAnArchiveThatLaterRunsMap() throws Exception {
    project();
    Map<String, String> noCds = Map.of("MX_CDS", "0");
    ProcessRun plain = mx(noCds, "metadata", "status", "--all-features");
    assertEquals(0, plain.rc(), plain.err());
    assertTrue(plain.out().contains("video/files_root"), plain.out());
    assertTrue(cacheFiles().isEmpty(), "MX_CDS=0 records nothing");

    ProcessRun unattended = mx(Map.of(), "metadata", "status", "--all-features");
    assertEquals(plain, unattended);
    assertTrue(cacheFiles().isEmpty(), "without a terminal nothing is recorded unless asked");

    Map<String, String> record = Map.of("MX_CDS", "1");
    ProcessRun first = mx(record, "metadata", "status", "--all-features");
    assertEquals(plain.rc(), first.rc(), first.err());
    assertEquals(plain.out(), first.out());
    assertTrue(first.err().contains("recording the classes"), first.err());
    assumeArchivable();
    List<Path> files = cacheFiles();
    assertEquals(1, files.size(), "one archive, no temporary file or failure marker: " + files);
    assertTrue(
        files.get(0).getFileName().toString().matches("mx-\\d+-\\d+\\.jsa"), files.toString());
    assertTrue(Files.size(files.get(0)) > 1_000_000, "the archive holds the trained classes");

    // The JVM's class-loading log (to a file) names where each class came from.
    Path log = dir.resolve("classes.log");
    Map<String, String> logged = Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
    ProcessRun mapped = mx(logged, "metadata", "status", "--all-features");
    assertEquals(0, mapped.rc(), mapped.err());
    assertEquals(plain.out(), mapped.out());
    assertFalse(mapped.err().contains("recording"), mapped.err());
    assertEquals(files, cacheFiles(), "nothing recorded again");
    assertTrue(
        Files.readString(log).contains("io.metaxy.cli.Mx source: shared objects file (top)"),
        "Mx came from the archive");

    // A broken archive is ignored by the JVM: same output, no messages on either stream.
    Files.delete(files.get(0));
    Files.writeString(files.get(0), "not an archive");
    Files.delete(log);
    ProcessRun broken = mx(logged, "metadata", "status", "--all-features");
    assertEquals(0, broken.rc(), broken.err());
    assertEquals(plain.out(), broken.out());
    assertEquals(plain.err(), broken.err());
    String classes = Files.readString(log);
    assertTrue(
        classes.contains("io.metaxy.cli.Mx source: ")
            && !classes.contains("io.metaxy.cli.Mx source: shared objects file"),
        "Mx came from the jar");
  }

  @Test
  void exitCodesAndStreamsAreTheCommandsOwn() throws Exception {
    project();
    ProcessRun plain = mx(Map.of("MX_CDS", "0"), "--no-such-option");
    ProcessRun withArchive = mx(Map.of("MX_CDS", "1"), "--no-such-option");
    assertEquals(Mx.USAGE, plain.rc());
    assertEquals(plain.rc(), withArchive.rc());
    assertEquals(plain.out(), withArchive.out());
    assertTrue(withArchive.err().endsWith(plain.err()), withArchive.err());
  }

  @Test
  void anUnusableCacheDirectoryIsSkipped() throws Exception {
    project();
    Path notADirectory = cache.resolve("file");
    Files.writeString(notADirectory, "");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MX_CDS", "1");
    env.put("MX_CDS_DIR", notADirectory.resolve("metaxy").toString());
    ProcessRun run = mx(env, "list", "features");
    assertEquals(0, run.rc(), run.err());
    assertTrue(run.out().contains("video/files"), run.out());
    assertFalse(run.err().contains("recording"), run.err());
  }
}
