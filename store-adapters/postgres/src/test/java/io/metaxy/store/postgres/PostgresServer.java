package io.metaxy.store.postgres;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Starts a private PostgreSQL cluster ({@code scripts/pg-test-server.sh start}) once per test run and
 * stops it when the run ends. Without PostgreSQL binaries the tests are skipped, unless
 * {@code METAXY_REQUIRE_POSTGRES=1}, in which case they fail with installation instructions.
 */
public final class PostgresServer implements ExecutionCondition, BeforeAllCallback {
  private static final Path SCRIPT = Path.of("scripts", "pg-test-server.sh");
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static volatile String url;

  /** The running cluster; closing it (at the end of the run) stops the server. */
  private static final class Cluster
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final String url;
    final String unavailable;
    volatile boolean reported;

    Cluster(String url, String unavailable) {
      this.url = url;
      this.unavailable = unavailable;
    }

    @Override
    public void close() throws Exception {
      if (url != null) {
        run(Map.of(), "stop");
      }
    }
  }

  private static Cluster cluster(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(PostgresServer.class))
        .getOrComputeIfAbsent("cluster", k -> start(), Cluster.class);
  }

  /** Disables the test class, with the reason, when there is no PostgreSQL (unless it is required). */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Cluster c = cluster(context);
    if (c.unavailable == null) {
      return ConditionEvaluationResult.enabled("PostgreSQL test cluster at " + c.url);
    }
    try {
      onUnavailable(c.unavailable, System.getenv("METAXY_REQUIRE_POSTGRES"));
    } catch (TestAbortedException e) {
      if (!c.reported) {
        // Surefire shows only a skip count; say once per run why.
        c.reported = true;
        System.err.println("[metaxy-store-postgres] " + e.getMessage());
      }
      return ConditionEvaluationResult.disabled(e.getMessage());
    }
    throw new IllegalStateException("unreachable");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    url = cluster(context).url;
  }

  /**
   * Without a server: skips the calling tests, or fails them when {@code requirePostgres} is {@code "1"}
   * (CI), with installation instructions either way.
   */
  static void onUnavailable(String reason, String requirePostgres) {
    if ("1".equals(requirePostgres)) {
      throw new IllegalStateException(
          reason
              + "\nMETAXY_REQUIRE_POSTGRES=1 is set, so this is an error. Install PostgreSQL with "
              + "`apt-get install -y postgresql` or `store-adapters/postgres/scripts/pg-test-server.sh --install`.");
    }
    Assumptions.abort(
        "PostgreSQL tests skipped: " + reason
            + " (install with `apt-get install -y postgresql`; set METAXY_REQUIRE_POSTGRES=1 to fail instead)");
  }

  private static Cluster start() {
    try {
      Result r = run(Map.of(), "start");
      if (r.code == 0) {
        return new Cluster(r.stdout.strip(), null);
      }
      if (r.code == 3) {
        return new Cluster(null, "PostgreSQL binaries not found: " + r.stderr.strip());
      }
      throw new IllegalStateException(
          "pg-test-server.sh start failed with exit code " + r.code + ":\n" + r.stderr);
    } catch (IOException e) {
      return new Cluster(null, "cannot run " + SCRIPT.toAbsolutePath() + ": " + e.getMessage());
    }
  }

  /** The outcome of one script run. */
  record Result(int code, String stdout, String stderr) {}

  /** Runs the script with extra environment variables and waits for it. */
  static Result run(Map<String, String> env, String... args) throws IOException {
    if (!Files.isRegularFile(SCRIPT)) {
      throw new IOException("script not found (tests must run from the module directory)");
    }
    Path err = Files.createTempFile("pg-test-server", ".log");
    try {
      List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().putAll(env);
      Process p = pb.redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(
            "pg-test-server.sh " + String.join(" ", args) + " did not finish within 120 s");
      }
      return new Result(p.exitValue(), out, Files.readString(err));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** The JDBC URL of the cluster's {@code postgres} database (user {@code metaxy}, no password). */
  public static String url() {
    if (url == null) {
      throw new IllegalStateException("PostgresServer extension not active on this test class");
    }
    return url;
  }

  /** Creates an empty schema and returns a JDBC URL whose current schema it is. */
  public static String freshSchema() {
    String schema = "t_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    sql("CREATE SCHEMA " + schema);
    return url() + "&currentSchema=" + schema;
  }

  /** Drops the schema of a URL made by {@link #freshSchema()}, with everything in it. */
  public static void dropSchema(String schemaUrl) {
    String schema =
        schemaUrl.substring(schemaUrl.indexOf("currentSchema=") + "currentSchema=".length());
    sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  /** Runs one statement as the cluster's superuser. */
  public static void sql(String statement) {
    try (Connection c = DriverManager.getConnection(url());
        Statement st = c.createStatement()) {
      st.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(statement + ": " + e.getMessage(), e);
    }
  }
}
