package io.metaxy.cli;

import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.SystemTables;
import io.metaxy.store.support.ArrowBatches;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mx history [STORE] [LIMIT]}: the pushed project versions, newest first (CLI spec §1.9). All
 * output goes to stderr, like the reference. Times are UTC.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Show the pushed graph snapshots.")
final class HistoryCommand implements Callable<Integer> {
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "STORE",
      description = "The store (default: the default store).")
  @Nullable
  String storeArg;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "LIMIT",
      description = "Show at most this many snapshots.")
  @Nullable
  Integer limitArg;

  @Option(names = "--store", paramLabel = "NAME", description = "The store (same as STORE).")
  @Nullable
  String store;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Show at most N snapshots (same as LIMIT).")
  @Nullable
  Integer limit;

  private final RootCommand root;

  HistoryCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    Integer max = limit != null ? limit : limitArg;
    if (max != null && max < 0) {
      throw CliFailure.error("--limit must not be negative, got " + max);
    }
    PrintWriter err = root.err();
    String project = root.effectiveProject();
    try (MetadataStore s = root.store(store != null ? store : storeArg);
        var scope = s.open(AccessMode.READ);
        VectorSchemaRoot snapshots = new SystemTables(s).readGraphSnapshots(project)) {
      int n = snapshots.getRowCount();
      if (n == 0) {
        err.println("No graph snapshots recorded yet");
        return 0;
      }
      int shown = max == null ? n : Math.min(n, max);
      Table table =
          new Table("Graph Snapshot History", "Project version", "Recorded At", "Feature Count");
      for (int i = 0; i < shown; i++) {
        Instant at = (Instant) ArrowBatches.value(snapshots.getVector("recorded_at"), i);
        table.row(
            String.valueOf(ArrowBatches.value(snapshots.getVector("metaxy_project_version"), i)),
            at == null ? "-" : TIME.format(at),
            String.valueOf(ArrowBatches.value(snapshots.getVector("feature_count"), i)));
      }
      table.lines().forEach(err::println);
      err.println();
      err.println("Total snapshots: " + shown);
    }
    return 0;
  }
}
