package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.KeyParts;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.FeatureNotFoundException;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.WriteOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mx metadata rebase FEATURE --from VERSION [--to VERSION]}: moves a feature's rows recorded at one
 * feature version to another (default: the current one), recomputing their provenance from the current
 * upstream rows (CLI spec §1.13).
 */
@Command(
    name = "rebase",
    mixinStandardHelpOptions = true,
    description = "Move a feature's rows to another feature version.")
final class MetadataRebaseCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "FEATURE",
      description = "The feature key, e.g. video/files.")
  String feature;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "VERSION",
      description = "The feature version the rows have now.")
  String fromVersion;

  @Option(
      names = "--to",
      paramLabel = "VERSION",
      description = "The target feature version (default: the current one).")
  @Nullable
  String toVersion;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "The store (default: the default store).")
  @Nullable
  String store;

  @Option(names = "--dry-run", description = "Only count the rows that would be rebased.")
  boolean dryRun;

  private final RootCommand root;

  MetadataRebaseCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    String problem = KeyParts.problem(KeyParts.split(feature));
    if (problem != null) {
      throw CliFailure.error("Invalid feature key '" + feature + "': " + problem);
    }
    FeatureKey key = FeatureKey.of(feature);
    FeatureGraph graph = root.graph().graph();
    if (!graph.contains(key)) {
      throw CliFailure.error("Feature '" + feature + "' not found in graph");
    }
    PrintWriter err = root.err();
    try (MetadataStore s = root.store(store, graph);
        var scope = s.open(dryRun ? AccessMode.READ : AccessMode.WRITE)) {
      VectorSchemaRoot rows;
      try {
        rows = s.read(
            key,
            ReadOptions.DEFAULT.featureHistory().featureVersion(fromVersion).noFallback());
      } catch (FeatureNotFoundException e) {
        err.println("Warning: Feature '" + feature + "' not found in store.");
        err.println(dryRun ? "Dry run: 0 row(s) would be rebased" : "✓ Rebased 0 row(s)");
        return 0;
      }
      try (rows) {
        if (dryRun) {
          err.println("Dry run: " + rows.getRowCount() + " row(s) would be rebased");
          return 0;
        }
        long n;
        try (VectorSchemaRoot rebased = s.rebase(key, rows, toVersion)) {
          n = rebased.getRowCount();
          if (n > 0) {
            s.write(key, rebased, new WriteOptions(null, true));
          }
        } catch (IllegalArgumentException e) {
          throw CliFailure.error(e.getMessage());
        }
        err.println("✓ Rebased " + n + " row(s)");
      }
    }
    return 0;
  }
}
