package io.metaxy.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The machine a report was measured on.
 *
 * @param cores available processors (what {@code nproc} reports)
 * @param memory total memory, e.g. {@code "23.4 GiB"}
 * @param cpu the CPU model
 * @param jdk the JDK vendor and version
 * @param duckdb the DuckDB version
 * @param os the operating system
 * @param load the 1/5/15-minute load averages when described (a busy machine inflates wall-clock times)
 */
record Machine(
    int cores, String memory, String cpu, String jdk, String duckdb, String os, String load) {
  /** This machine. */
  public static Machine describe() {
    String memory = "unknown";
    String cpu = "unknown";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.substring(9).trim().split("\\s+")[0]);
          memory = String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave unknown
    }
    String jdk =
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    String duckdb = "unknown";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version()")) {
      if (rs.next()) {
        duckdb = rs.getString(1);
      }
    } catch (SQLException e) {
      duckdb = "unknown (" + e.getMessage() + ")";
    }
    String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch");
    return new Machine(
        Runtime.getRuntime().availableProcessors(), memory, cpu, jdk, duckdb, os, loadAverage());
  }

  /** The load averages from {@code /proc/loadavg}, or {@code "unknown"}. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
