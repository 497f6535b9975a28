package io.metaxy.reliability;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The suite's PostgreSQL cluster: {@code pg-test-server.sh --durable} (fsync and synchronous commit on,
 * which the crash test is about) in {@code target/pgdata-durable}, started once per test run on first use
 * and stopped when the run ends. Without PostgreSQL binaries the annotated tests are skipped, unless
 * {@code METAXY_REQUIRE_POSTGRES=1} (CI), which makes them fail, as in the PostgreSQL adapter's tests.
 */
final class PgCluster implements ExecutionCondition {
  private static final Path SCRIPT =
      Path.of("..", "store-adapters", "postgres", "scripts", "pg-test-server.sh");
  private static final Path DIR = Path.of("target", "pgdata-durable");
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static volatile String url;

  // Closed by JUnit when the run ends (an AutoCloseable in the root store).
  private record Cluster(String url, String unavailable) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (url != null) {
        script("stop");
      }
    }
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Cluster c = context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(PgCluster.class))
        .getOrComputeIfAbsent("cluster", k -> start(), Cluster.class);
    if (c.unavailable == null) {
      url = c.url;
      return ConditionEvaluationResult.enabled("PostgreSQL at " + c.url);
    }
    if ("1".equals(System.getenv("METAXY_REQUIRE_POSTGRES"))) {
      throw new IllegalStateException(
          c.unavailable + "\nMETAXY_REQUIRE_POSTGRES=1 is set, so this is an error."
              + " Install PostgreSQL with `store-adapters/postgres/scripts/pg-test-server.sh --install`.");
    }
    return ConditionEvaluationResult.disabled(
        "PostgreSQL tests skipped: " + c.unavailable
            + " (install with `apt-get install -y postgresql`; set METAXY_REQUIRE_POSTGRES=1 to fail instead)");
  }

  private static Cluster start() {
    try {
      String[] r = script("start");
      if (r[0].equals("0")) {
        dropEarlierSchemas(r[1].strip());
        return new Cluster(r[1].strip(), null);
      }
      if (r[0].equals("3")) {
        return new Cluster(null, "PostgreSQL binaries not found: " + r[2].strip());
      }
      throw new IllegalStateException(
          "pg-test-server.sh start failed with exit code " + r[0] + ":\n" + r[2]);
    } catch (IOException e) {
      return new Cluster(null, "cannot run " + SCRIPT.toAbsolutePath() + ": " + e.getMessage());
    }
  }

  /** The data directory stays between runs; the schemas earlier runs left there are of no use. */
  private static void dropEarlierSchemas(String url) {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
              + " AND nspname NOT IN ('public', 'information_schema')")) {
        while (rs.next()) {
          schemas.add(rs.getString(1));
        }
      }
      for (String schema : schemas) {
        st.execute("DROP SCHEMA \"" + schema.replace("\"", "\"\"") + "\" CASCADE");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot drop the schemas of earlier runs: " + e.getMessage(), e);
    }
  }

  /** Runs the script on the suite's cluster; returns exit code, stdout and stderr. */
  private static String[] script(String command) throws IOException {
    if (!Files.isRegularFile(SCRIPT)) {
      throw new IOException("script not found (tests must run from the module directory)");
    }
    Path err = Files.createTempFile("pg-test-server", ".log");
    try {
      List<String> cmd = new ArrayList<>(
          List.of("bash", SCRIPT.toString(), "--dir", DIR.toAbsolutePath().toString()));
      if (command.equals("start")) {
        cmd.add("--durable");
      }
      cmd.add(command);
      Process p = new ProcessBuilder(cmd)
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("pg-test-server.sh " + command + " did not finish within 120 s");
      }
      return new String[] {String.valueOf(p.exitValue()), out, Files.readString(err)};
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** The JDBC URL of the {@code postgres} database (user {@code metaxy}, no password). */
  static String url() {
    if (url == null) {
      throw new IllegalStateException("PgCluster extension not active on this test");
    }
    return url;
  }

  /** Creates an empty schema and returns a JDBC URL whose current schema it is. */
  static String freshSchema(String prefix) {
    String schema = prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    sql("CREATE SCHEMA " + schema);
    return url() + "&currentSchema=" + schema;
  }

  /** Runs one statement as the cluster's superuser. */
  static void sql(String statement) {
    try (Connection c = DriverManager.getConnection(url());
        Statement st = c.createStatement()) {
      st.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(statement + ": " + e.getMessage(), e);
    }
  }

  /** The pids of the server processes serving connections with this application name. */
  static List<Long> backends(String applicationName) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url());
        PreparedStatement ps =
            c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, applicationName);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  /** Ends every connection with this application name (unblocks clients stuck on them). */
  static void terminate(String applicationName) {
    try (Connection c = DriverManager.getConnection(url());
        PreparedStatement ps = c.prepareStatement(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, applicationName);
      ps.executeQuery().close();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot terminate the connections of " + applicationName + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits until the server accepts connections again (after a backend was killed the postmaster ends every
   * connection and recovers from its WAL first); fails after {@code timeout}.
   */
  static void awaitAccepting(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    SQLException last = null;
    while (System.nanoTime() < end) {
      try (Connection c = DriverManager.getConnection(url());
          Statement st = c.createStatement()) {
        st.execute("SELECT 1");
        return;
      } catch (SQLException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw new AssertionError("PostgreSQL did not accept connections within " + timeout.toSeconds()
        + " s: " + (last == null ? "" : last.getMessage()));
  }
}
