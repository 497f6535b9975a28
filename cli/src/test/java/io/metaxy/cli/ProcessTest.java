package io.metaxy.cli;

import static io.metaxy.cli.StoreProject.feature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mx} as a real process: the shaded jar with {@code java -jar} when it has been packaged from
 * the current classes, otherwise {@code io.metaxy.cli.Mx} on the test class path. Checks what only a process shows: the
 * exit code through {@code System.exit}, stream separation, and the DuckDB file shared between runs.
 */
class ProcessTest {
  @TempDir
  Path dir;

  private static List<String> command() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "metaxy-cli-*-all.jar")) {
        for (Path jar : jars) {
          if (!upToDate(jar)) {
            continue; // left from an earlier package: it would test old code
          }
          // No --add-opens: the jar's manifest must open java.nio for Arrow itself.
          return new ArrayList<>(List.of(java, "-jar", jar.toAbsolutePath().toString()));
        }
      }
    }
    return new ArrayList<>(List.of(
        java,
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-cp",
        System.getProperty("java.class.path"),
        "io.metaxy.cli.Mx"));
  }

  /** Whether the jar is newer than every compiled class (so it holds the code under test). */
  private static boolean upToDate(Path jar) throws IOException {
    long built = Files.getLastModifiedTime(jar).toMillis();
    try (var files = Files.walk(Path.of("target", "classes"))) {
      return files.filter(Files::isRegularFile).allMatch(f -> {
        try {
          return Files.getLastModifiedTime(f).toMillis() <= built;
        } catch (IOException e) {
          return false;
        }
      });
    }
  }

  private ProcessRun mx(String... args) throws Exception {
    List<String> cmd = command();
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("METAXY_"));
    return ProcessRun.of(pb, dir, 120);
  }

  @Test
  void pushStatusAndAssertInSyncAcrossProcesses() throws Exception {
    StoreProject project = new StoreProject(dir);
    project.graph(feature("video/files_root"), feature("video/files", "video/files_root"));
    ProcessRun push = mx("push");
    assertEquals(0, push.rc(), push.toString());
    assertTrue(push.out().matches("[0-9a-f]{8}\n"), push.toString());
    assertTrue(
        push.err().startsWith("Recorded at: {'name': 'dev'")
            && push.err().contains("✓ Recorded feature graph"),
        push.toString());

    project.writeRoot("dev", "video/files_root", 1, 2, 3);
    ProcessRun status =
        mx("metadata", "status", "video/files", "--assert-in-sync", "--progress-bar");
    assertEquals(1, status.rc(), status.toString());
    assertTrue(
        status.out().contains("✗") && status.out().contains("video/files"), status.toString());
    // The forced bar redraws in place with carriage returns and clears itself.
    assertTrue(
        status.err().contains("\rChecking status [") && status.err().endsWith("\r"),
        status.toString());

    ProcessRun history = mx("history");
    assertEquals(0, history.rc(), history.toString());
    assertTrue(
        history.err().contains(push.out().strip()) && history.out().isEmpty(), history.toString());
  }
}
