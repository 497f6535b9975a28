package io.metaxy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Areas crash-iceberg and crash-delta: a child process appending to an Iceberg warehouse (the
 * reference's default SQLite catalog) or a Delta root is SIGKILLed again and again ({@code
 * reliability.lakehouseKills}, default 8: each round starts a JVM that loads the format's library);
 * after every kill the table opens and holds every reported batch whole and no batch in part. A kill
 * between writing a data file and committing it leaves an unreferenced file, which readers never see.
 */
class CrashLakehouseTest {
  @TempDir
  Path dir;

  @Test
  void killedIcebergWriterLosesNoReportedBatchAndTearsNone() throws Exception {
    crashRounds("iceberg", dir.resolve("warehouse").toString());
  }

  @Test
  void killedDeltaWriterLosesNoReportedBatchAndTearsNone() throws Exception {
    // A Delta store opened for reading refuses a root that does not exist; a child killed before
    // its
    // first write leaves none.
    crashRounds("delta", Files.createDirectories(dir.resolve("delta")).toString());
  }

  private static void crashRounds(String kind, String location) throws Exception {
    int k = Knobs.integer("batchRows", 1000);
    CrashRun run = new CrashRun(
        new CrashRun.Target() {
          @Override
          public List<String> childArgs(long first, int round, int rows) {
            return List.of(
                kind, location, String.valueOf(first), String.valueOf(rows), "1000000", "120");
          }

          @Override
          public MetadataStore store(BufferAllocator allocator) {
            return StoreKinds.open(
                kind, location, Map.of(), StoreOptions.of(Rows.graph()).allocator(allocator));
          }
        },
        Knobs.seed(),
        k);
    try (BufferAllocator allocator = new RootAllocator()) {
      try {
        run.run(Knobs.integer("lakehouseKills", 8), 0, allocator);
      } finally {
        System.out.println(run.closingLine("crash-" + kind));
      }
    }
    assertEquals(List.of(), run.problems());
  }
}
