package io.metaxy.cli;

import static io.metaxy.cli.StoreProject.feature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.store.ReadOptions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mx} on a real PostgreSQL store (a private cluster started by the PostgreSQL module's {@code
 * pg-test-server.sh}; skipped when PostgreSQL is not installed): push, history, status, and a copy to
 * DuckDB.
 */
class PostgresCliTest {
  private static final Path SCRIPT =
      Path.of("..", "store-adapters", "postgres", "scripts", "pg-test-server.sh");
  private static final Path DATA = Path.of("target", "pgdata-cli");
  private static String url;

  @TempDir
  Path dir;

  private static String script(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(
            "bash", SCRIPT.toString(), "--dir", DATA.toAbsolutePath().toString(), command)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("pg-test-server.sh " + command + " timed out");
    }
    if (p.exitValue() == 3) {
      return null;
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          "pg-test-server.sh " + command + " failed with exit code " + p.exitValue());
    }
    return out;
  }

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(SCRIPT), "no " + SCRIPT);
    url = script("start");
    Assumptions.assumeTrue(url != null, "PostgreSQL is not installed");
  }

  @AfterAll
  static void stop() throws Exception {
    if (url != null) {
      script("stop");
    }
  }

  @Test
  void pushHistoryStatusAndCopyToDuckDb() throws Exception {
    String schema = "cli_" + ProcessHandle.current().pid();
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      st.execute("CREATE SCHEMA " + schema);
    }
    StoreProject p = new StoreProject(dir);
    p.write("metaxy.toml", """
        project = "test"
        store = "dev"
        auto_create_tables = true
        [stores.dev]
        type = "postgres"
        [stores.dev.config]
        connection_string = "%s&currentSchema=%s"
        table_prefix = "mx_"
        [stores.staging]
        type = "duckdb"
        [stores.staging.config]
        database = "staging.duckdb"
        [graph]
        classpath = ["classes"]
        """.formatted(url, schema));
    p.graph(feature("video/files_root"), feature("video/files", "video/files_root"));

    MxHarness.Result push = p.ok("push");
    String v = push.out().strip();
    assertTrue(v.matches("[0-9a-f]{8}"), push.toString());
    assertTrue(
        push.err().contains("PostgresMetadataStore(url=jdbc:postgresql://127.0.0.1"),
        push.toString());
    assertTrue(p.ok("push").err().contains("already recorded"));
    assertTrue(p.ok("history").err().contains(v));

    p.writeRoot("dev", "video/files_root", 1, 2, 3);
    String status = p.ok("metadata", "status", "video/files").out();
    assertTrue(status.matches("(?s).*│ ✗ +│ video/files +│ 0 +│ 3 +│ 0 +│ 0 +│.*"), status);
    p.materialize("dev", "video/files");
    assertEquals(
        0, p.run("metadata", "status", "--all-features", "--assert-in-sync").rc());

    assertEquals(
        "✓ Copy complete: 2 feature(s), 6 row(s) copied\n",
        p.ok("metadata", "copy", "--all-features", "--from", "dev", "--to", "staging")
            .out());
    assertEquals(3, p.count("staging", "video/files", ReadOptions.DEFAULT));
    p.ok("metadata", "delete", "video/files", "--filter", "sample_uid = 2");
    assertEquals(2, p.count("dev", "video/files", ReadOptions.DEFAULT));
    assertTrue(p.ok("graph-diff", "render", "latest", "current").out().contains("video/files"));
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      var rs = st.executeQuery(
          "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema
              + "' AND table_name IN ('mx_video__files', 'mx_video__files_root', 'mx_metaxy_system__feature_versions')");
      rs.next();
      assertEquals(3, rs.getInt(1), "prefixed tables in " + schema);
    }
  }
}
