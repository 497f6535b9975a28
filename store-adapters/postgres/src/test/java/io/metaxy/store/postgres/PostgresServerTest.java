package io.metaxy.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** The test-server script and the extension's handling of a machine without PostgreSQL. */
class PostgresServerTest {
  @TempDir
  Path tmp;

  @Test
  void scriptExitsWith3AndSaysHowToInstallWhenBinariesAreMissing() throws Exception {
    PostgresServer.Result r = PostgresServer.run(
        Map.of("METAXY_PG_BINDIR", tmp.resolve("no-such-bin").toString()),
        "--dir",
        tmp.toString(),
        "start");
    assertEquals(3, r.code(), r.stderr());
    assertEquals("", r.stdout());
    assertTrue(r.stderr().contains("apt-get install -y postgresql"), r.stderr());
  }

  @Test
  void scriptRejectsUnknownArguments() throws Exception {
    PostgresServer.Result r = PostgresServer.run(Map.of(), "--dir", tmp.toString(), "restart");
    assertEquals(2, r.code());
    assertTrue(r.stderr().contains("'restart'"), r.stderr());
  }

  @Test
  void withoutPostgresTestsAreSkippedUnlessRequired() {
    TestAbortedException skipped = assertThrows(
        TestAbortedException.class, () -> PostgresServer.onUnavailable("no initdb", null));
    assertTrue(skipped.getMessage().contains("no initdb")
        && skipped.getMessage().contains("METAXY_REQUIRE_POSTGRES"));
    IllegalStateException failed = assertThrows(
        IllegalStateException.class, () -> PostgresServer.onUnavailable("no initdb", "1"));
    assertTrue(failed.getMessage().contains("apt-get install -y postgresql"), failed.getMessage());
  }
}
