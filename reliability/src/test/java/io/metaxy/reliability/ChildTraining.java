package io.metaxy.reliability;

import io.metaxy.store.StoreOptions;
import io.metaxy.store.postgres.PostgresMetadataStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs what the children run, once, so that the JVM records the classes they load in a class-data
 * archive ({@link Child}): a few {@link CrashWriter} writes to a DuckDB file (argument), to an Iceberg
 * warehouse and a Delta root beside it, and the PostgreSQL classes that load without a server.
 */
public final class ChildTraining {
  private ChildTraining() {}

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    Files.deleteIfExists(db);
    Files.deleteIfExists(Path.of(args[0] + ".wal"));
    CrashWriter.main(new String[] {"duckdb", args[0], "0", "1000", "3", "60"});
    for (String kind : new String[] {"iceberg", "delta"}) {
      Path location = db.resolveSibling("training-" + kind + "-" + System.nanoTime());
      CrashWriter.main(new String[] {kind, location.toString(), "0", "1000", "3", "60"});
    }
    Class.forName("org.postgresql.Driver");
    new PostgresMetadataStore(
            StoreOptions.of(Rows.graph()), "jdbc:postgresql://127.0.0.1:1/postgres")
        .display();
    System.exit(0);
  }
}
