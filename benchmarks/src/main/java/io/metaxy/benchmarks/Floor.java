package io.metaxy.benchmarks;

import io.metaxy.FeatureKey;
import io.metaxy.SystemColumns;
import io.metaxy.store.support.BufferPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToDoubleFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * What DuckDB alone costs for a configuration: the least any implementation must read, handed to the
 * JVM as Arrow and dropped, against one whole {@code resolveUpdate}. Each round copies the template to
 * a fresh file (cold DuckDB cache, as in the benchmark) and measures wall time and the process's CPU
 * time ({@code /proc/self/stat}).
 *
 * <p>The least to read: of every root, the id and the by-field data versions (the raw column in the
 * template's layout, its cheapest export: a {@code STRUCT} of one string per field by default, a
 * {@code MAP(VARCHAR, VARCHAR)} on a MAP template); of the target, the id and
 * {@code metaxy_provenance}. The queries name columns only, so they read either layout as it is. The
 * tables are read at the same time, one connection each, as
 * {@code resolveUpdate} reads them. Dividing the resolve's CPU time by the cores bounds its wall time
 * from below for this machine; the scans' share shows how much of that no engine can avoid.
 */
final class Floor {
  private static final int BATCH_ROWS = 1 << 16;

  private Floor() {}

  /** One measured round: wall and CPU seconds of the bare scans, then of a whole resolve. */
  record Round(double scanWall, double scanCpu, double resolveWall, double resolveCpu) {}

  static List<Round> run(
      Scenario sc, Path template, Path round, Map<String, String> storeSettings, int rounds) {
    List<Round> out = new ArrayList<>();
    List<String> queries = queries(sc);
    try (BufferAllocator allocator = BufferPool.newRootAllocator()) { // as the benchmark child
      for (int i = 0; i < rounds + 1; i++) {
        Templates.copy(template, round);
        long c0 = cpuMillis();
        long t0 = System.nanoTime();
        scanAll(round, queries, allocator);
        double scanWall = (System.nanoTime() - t0) / 1e9;
        double scanCpu = (cpuMillis() - c0) / 1e3;
        Templates.copy(template, round);
        c0 = cpuMillis();
        t0 = System.nanoTime();
        Counts got = MetaxyResolve.run(sc, round, storeSettings, allocator);
        double resolveWall = (System.nanoTime() - t0) / 1e9;
        double resolveCpu = (cpuMillis() - c0) / 1e3;
        if (!got.equals(sc.expectedCounts())) {
          throw new IllegalStateException(
              sc.label() + ": resolveUpdate returned " + got + ", expected " + sc.expectedCounts());
        }
        if (i > 0) { // the first round warms the JVM up
          out.add(new Round(scanWall, scanCpu, resolveWall, resolveCpu));
        }
      }
    } finally {
      Templates.delete(round);
    }
    return out;
  }

  /** Prints the medians of {@link #run} with the machine's lower bound. */
  static void print(Scenario sc, List<Round> rounds) {
    double scanWall = median(rounds, Round::scanWall);
    double scanCpu = median(rounds, Round::scanCpu);
    double resolveWall = median(rounds, Round::resolveWall);
    double resolveCpu = median(rounds, Round::resolveCpu);
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        Locale.ROOT, "floor of %s, median of %d rounds (s):%n", sc.label(), rounds.size());
    System.out.printf(
        Locale.ROOT, "  DuckDB scans alone     wall %7.3f  cpu %7.3f%n", scanWall, scanCpu);
    System.out.printf(
        Locale.ROOT, "  whole resolveUpdate    wall %7.3f  cpu %7.3f%n", resolveWall, resolveCpu);
    System.out.printf(
        Locale.ROOT,
        "  resolve cpu / %d cores      %7.3f  (its wall time cannot be lower on this machine)%n",
        cores,
        resolveCpu / cores);
    System.out.printf(
        Locale.ROOT,
        "  scans cpu / %d cores        %7.3f  (what reading alone needs even if both cores did nothing else)%n",
        cores,
        scanCpu / cores);
  }

  private static double median(List<Round> rounds, ToDoubleFunction<Round> f) {
    return Stats.of(rounds.stream().mapToDouble(f).toArray()).median();
  }

  /** The least each table must give up: roots' data versions by field, the target's provenance. */
  static List<String> queries(Scenario sc) {
    List<String> out = new ArrayList<>();
    for (FeatureKey root : sc.shape().roots()) {
      out.add(select(root, SystemColumns.DATA_VERSION_BY_FIELD));
    }
    out.add(select(sc.shape().leaf(), SystemColumns.PROVENANCE));
    return out;
  }

  private static String select(FeatureKey key, String column) {
    return "SELECT \"" + Shape.ID + "\", \"" + column + "\" FROM \"" + key.tableName() + "\"";
  }

  /** Runs every query at the same time on its own connection to one read-only database; rows are dropped. */
  private static void scanAll(Path file, List<String> queries, BufferAllocator allocator) {
    Properties p = new Properties();
    p.setProperty("duckdb.read_only", "true");
    p.setProperty("jdbc_stream_results", "true");
    try (Connection main = DriverManager.getConnection("jdbc:duckdb:" + file, p)) {
      List<CompletableFuture<Long>> running = new ArrayList<>();
      for (String q : queries) {
        Connection c = main.unwrap(DuckDBConnection.class).duplicate();
        running.add(CompletableFuture.supplyAsync(
            () -> {
              try (c) {
                return drain(c, q, allocator);
              } catch (SQLException e) {
                throw new IllegalStateException(q + ": " + e.getMessage(), e);
              }
            },
            r -> {
              Thread t = new Thread(r, "floor-scan");
              t.setDaemon(true);
              t.start();
            }));
      }
      running.forEach(CompletableFuture::join);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  private static long drain(Connection c, String query, BufferAllocator allocator)
      throws SQLException {
    long rows = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query);
        ArrowReader reader = (ArrowReader)
            rs.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, BATCH_ROWS)) {
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** User + system CPU time of this process so far, in milliseconds (Linux). */
  static long cpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name (which may contain spaces) start after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
      return ticks * 1000 / CLOCK_TICKS;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/stat (the floor mode needs Linux)", e);
    }
  }

  /** {@code sysconf(_SC_CLK_TCK)}: 100 on every Linux the JVM runs on. */
  private static final long CLOCK_TICKS = 100;
}
