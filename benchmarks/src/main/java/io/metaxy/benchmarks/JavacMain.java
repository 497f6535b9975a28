package io.metaxy.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.tools.ToolProvider;

/**
 * A fresh javac process as the JDK's {@code javac} launcher runs it ({@code -Xms8m}, the system compiler),
 * that also reports its CPU time: {@link CompileTimeBenchmark} forks it with this class alone on the
 * class path. Writes {@code <main thread CPU s> <process CPU s>} to the file named by the system
 * property {@code cpu.out}; the main thread's CPU time is javac's own work (what a quiet machine's
 * wall-clock follows), the process's adds the JIT compiler and GC threads.
 */
public final class JavacMain {
  private JavacMain() {}

  /** Runs javac with these arguments (argfiles allowed) and exits with its status. */
  public static void main(String[] args) throws Exception {
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, args);
    double main = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    double process =
        ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime()
            / 1e9;
    String out = System.getProperty("cpu.out");
    if (out != null) {
      Files.writeString(
          Path.of(out),
          String.format(Locale.ROOT, "%.3f %.3f%n", main, process),
          StandardCharsets.UTF_8);
    }
    System.exit(rc);
  }
}
