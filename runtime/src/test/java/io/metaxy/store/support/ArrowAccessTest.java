package io.metaxy.store.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A user's first store or allocator in a JVM started with and without the flag Arrow needs. */
class ArrowAccessTest {
  private static final String FLAG = "--add-opens=java.base/java.nio=ALL-UNNAMED";

  @TempDir
  Path dir;

  private record Run(int rc, String out) {}

  private Run child(boolean withFlag, String mode) throws Exception {
    List<String> cmd = new ArrayList<>(
        List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    if (withFlag) {
      cmd.add(FLAG);
    }
    cmd.addAll(List.of(
        "-cp", System.getProperty("java.class.path"), ArrowAccessChild.class.getName(), mode));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // Options from the environment would add the flag behind the test's back.
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    Path out = dir.resolve(mode + withFlag + ".txt");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish in 60 s");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"store", "pool"})
  void withoutTheFlagTheErrorGivesTheFlagAndWhereToPutIt(String mode) throws Exception {
    Run r = child(false, mode);
    assertEquals(3, r.rc(), r.out());
    assertTrue(r.out().startsWith("io.metaxy.ArrowMemoryUnavailableException: "), r.out());
    for (String expected : List.of(
        "Start Java with\n    " + FLAG,
        "Add-Opens: java.base/java.nio",
        "<argLine>" + FLAG + "</argLine>",
        ".mvn/jvm.config or MAVEN_OPTS",
        "<argument>" + FLAG + "</argument>",
        "applicationDefaultJvmArgs = listOf(\"" + FLAG + "\")",
        "tasks.test { jvmArgs(\"" + FLAG + "\") }")) {
      assertTrue(r.out().contains(expected), "missing <" + expected + "> in:\n" + r.out());
    }
    // Checked before Arrow initializes: none of Arrow's own stack trace.
    assertFalse(r.out().contains("Failed to initialize MemoryUtil"), r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"store", "pool"})
  void withTheFlagArrowMemoryWorks(String mode) throws Exception {
    Run r = child(true, mode);
    assertEquals(0, r.rc(), r.out());
    assertTrue(r.out().contains("allocated 42"), r.out());
  }
}
