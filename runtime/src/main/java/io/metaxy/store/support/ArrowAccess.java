package io.metaxy.store.support;

import io.metaxy.ArrowMemoryUnavailableException;
import java.nio.Buffer;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Checks, before Arrow's first allocation, that Arrow can reach direct buffers in this JVM.
 *
 * <p>Why: Arrow Java 18's {@code MemoryUtil} makes {@code java.nio.Buffer.address} accessible by
 * reflection in its static initializer, whatever the allocation manager (unsafe or netty); on JDK 16+
 * that needs {@code java.nio} opened to it. Without the opening Arrow prints a stack trace and fails
 * with "Failed to initialize MemoryUtil", after which every Arrow class that touches memory fails with
 * {@code NoClassDefFoundError}. Checking the opening first avoids both and says how to fix the launch.
 */
public final class ArrowAccess {
  private static volatile boolean ready;

  private ArrowAccess() {}

  /**
   * Returns when Arrow's memory layer can be used; initializes it on the first call.
   *
   * @throws ArrowMemoryUnavailableException when {@code java.nio} is not opened to Arrow (the message
   *     gives the JVM flag and where to put it), or when Arrow's memory layer fails to initialize
   */
  public static void require() {
    if (ready) {
      return;
    }
    synchronized (ArrowAccess.class) {
      if (ready) {
        return;
      }
      // A class literal loads MemoryUtil without running its static initializer.
      Module arrow = MemoryUtil.class.getModule();
      if (!Buffer.class.getModule().isOpen("java.nio", arrow)) {
        throw new ArrowMemoryUnavailableException(missingFlagMessage(flag(arrow)), null);
      }
      try {
        Class.forName(MemoryUtil.class.getName(), true, MemoryUtil.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new ArrowMemoryUnavailableException(
            "Arrow's memory layer (org.apache.arrow.memory.util.MemoryUtil) failed to initialize although "
                + "java.nio is open to it: " + e
                + "; check that arrow-memory-core and arrow-memory-unsafe are "
                + "on the class path in the same version as arrow-vector",
            e);
      }
      ready = true;
    }
  }

  /** The {@code --add-opens} flag that opens {@code java.nio} to Arrow's module. */
  static String flag(Module arrow) {
    return "--add-opens=java.base/java.nio=" + (arrow.isNamed() ? arrow.getName() : "ALL-UNNAMED");
  }

  static String missingFlagMessage(String flag) {
    return "Arrow, which Metaxy's stores use for metadata batches, needs java.nio opened to it, and this JVM "
        + "was started without it. Start Java with\n"
        + "    " + flag + "\n"
        + "Where to put it:\n"
        + "  java command:    java " + flag + " -cp ... your.Main\n"
        + "  executable jar:  manifest entry 'Add-Opens: java.base/java.nio' (maven-shade-plugin"
        + " ManifestResourceTransformer or maven-jar-plugin <manifestEntries>); then 'java -jar' needs no flag\n"
        + "  Maven tests:     maven-surefire-plugin <configuration><argLine>" + flag
        + "</argLine></configuration>\n"
        + "  Maven exec:java: runs in Maven's own JVM: put the flag in .mvn/jvm.config or MAVEN_OPTS\n"
        + "  Maven exec:exec: <argument>" + flag
        + "</argument> before <argument>-classpath</argument>\n"
        + "  Gradle run:      application { applicationDefaultJvmArgs = listOf(\"" + flag
        + "\") }\n"
        + "  Gradle tests:    tasks.test { jvmArgs(\"" + flag + "\") }";
  }
}
