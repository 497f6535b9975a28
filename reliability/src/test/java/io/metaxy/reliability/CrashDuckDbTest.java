package io.metaxy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Area crash-duckdb: a child process writing to a DuckDB file is SIGKILLed again and again
 * ({@code reliability.kills}, default 20); after every kill the file opens and holds every reported batch
 * whole and no batch in part.
 */
class CrashDuckDbTest {
  @TempDir
  Path dir;

  @Test
  void killedWriterLosesNoReportedBatchAndTearsNone() throws Exception {
    String db = dir.resolve("crash.duckdb").toString();
    int k = Knobs.integer("batchRows", 1000);
    CrashRun run = new CrashRun(
        new CrashRun.Target() {
          @Override
          public List<String> childArgs(long first, int round, int rows) {
            List<String> args = new ArrayList<>(List.of(
                "duckdb",
                db,
                String.valueOf(first),
                String.valueOf(rows),
                "1000000",
                "120",
                "threads=1"));
            if (round % 3 == 2) {
              // A tiny WAL limit makes DuckDB checkpoint after almost every write, so kills also
              // land inside checkpoints (the default 16 MB is never reached by these batches).
              args.add("checkpoint_threshold=64KB");
            }
            return args;
          }

          @Override
          public MetadataStore store(BufferAllocator allocator) {
            return new DuckDbMetadataStore(StoreOptions.of(Rows.graph()).allocator(allocator), db);
          }
        },
        Knobs.seed(),
        k);
    try (BufferAllocator allocator = new RootAllocator()) {
      try {
        run.run(Knobs.integer("kills", 20), 0, allocator);
      } finally {
        System.out.println(run.closingLine("crash-duckdb"));
      }
    }
    assertEquals(List.of(), run.problems());
  }
}
