package io.metaxy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.postgres.PostgresMetadataStore;
import java.time.Duration;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Area crash-postgres: a child process writing to PostgreSQL (a cluster with fsync and synchronous commit
 * on) is SIGKILLed again and again ({@code reliability.kills}, default 20); in
 * {@code reliability.backendKills} of the rounds (default 4) the server process serving the child's
 * connection is SIGKILLed instead, after which the postmaster ends every connection and recovers. After
 * every kill every reported batch is there whole and no batch in part.
 */
@ExtendWith(PgCluster.class)
class CrashPostgresTest {
  private static final String APPLICATION = "metaxy-crash-child";

  @Test
  void killedWriterOrServerProcessLosesNoReportedBatchAndTearsNone() throws Exception {
    String url = PgCluster.freshSchema("crash");
    int k = Knobs.integer("batchRows", 1000);
    CrashRun run = new CrashRun(
        new CrashRun.Target() {
          @Override
          public List<String> childArgs(long first, int round, int rows) {
            return List.of(
                "postgres",
                url + "&ApplicationName=" + APPLICATION,
                String.valueOf(first),
                String.valueOf(rows),
                "1000000",
                "120");
          }

          @Override
          public MetadataStore store(BufferAllocator allocator) {
            return new PostgresMetadataStore(
                StoreOptions.of(Rows.graph()).allocator(allocator), url);
          }

          @Override
          public boolean killBackend() throws Exception {
            for (long pid : PgCluster.backends(APPLICATION)) {
              ProcessHandle backend = ProcessHandle.of(pid).orElse(null);
              if (backend != null && backend.destroyForcibly()) {
                long end = System.nanoTime() + 10_000_000_000L;
                while (backend.isAlive() && System.nanoTime() < end) {
                  Thread.sleep(5);
                }
                return !backend.isAlive();
              }
            }
            return false;
          }

          @Override
          public void awaitRecovery() throws Exception {
            PgCluster.awaitAccepting(Duration.ofSeconds(60));
          }
        },
        Knobs.seed(),
        k);
    try (BufferAllocator allocator = new RootAllocator()) {
      try {
        run.run(Knobs.integer("kills", 20), Knobs.integer("backendKills", 4), allocator);
      } finally {
        System.out.println(run.closingLine("crash-postgres"));
      }
    }
    assertEquals(List.of(), run.problems());
  }
}
