package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.DeleteOptions;
import io.metaxy.store.FeatureNotFoundException;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.RowFilter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mx metadata delete FEATURE... | --all-features}: soft-deletes (tombstones, the default) or
 * hard-deletes the rows of the current feature version that match the filters (CLI spec §1.12). A hard
 * delete of everything needs {@code --yes}; {@code --dry-run} only counts.
 */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete feature metadata (soft by default).")
final class MetadataDeleteCommand implements Callable<Integer> {
  @Mixin
  MetadataOptions selection;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "The store (default: the default store).")
  @Nullable
  String store;

  @Option(
      names = "--filter",
      paramLabel = "SQL",
      description = "Delete only rows matching this filter (repeatable).")
  List<String> filters = new ArrayList<>();

  @Option(
      names = "--soft",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      arity = "0..1",
      paramLabel = "BOOL",
      description =
          "Soft delete: append tombstones, keep the rows (default). --soft=false or --hard removes rows.")
  boolean soft;

  @Option(names = "--hard", description = "Remove the rows physically (same as --soft=false).")
  boolean hard;

  @Option(
      names = "--with-feature-history",
      description = "Also delete rows of older feature versions.")
  boolean withFeatureHistory;

  @Option(names = "--yes", description = "Confirm a hard delete without --filter.")
  boolean yes;

  @Option(names = "--dry-run", description = "Only show what would be deleted.")
  boolean dryRun;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "plain",
      description = "plain or json, for errors (default: plain).")
  OutputFormat format;

  private final RootCommand root;

  MetadataDeleteCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    boolean json = format == OutputFormat.JSON;
    boolean softDelete = soft && !hard;
    if (!softDelete && filters.isEmpty() && !yes && !dryRun) {
      throw new StructuredError(
              StructuredError.Code.MISSING_CONFIRMATION,
              "Hard deleting all metadata requires --yes flag to prevent accidental deletion.",
              "Use --yes to confirm, or provide --filter to restrict deletion.")
          .failure(json);
    }
    List<RowFilter> parsed = MetadataOptions.filters(filters, "--filter");
    FeatureGraph graph = root.graph().graph();
    MetadataOptions.Selection sel = selection.select(root, graph, json, false);
    PrintWriter out = root.out();
    PrintWriter err = root.err();
    if (!sel.missing().isEmpty() && !json) {
      out.println("Warning: Feature(s) not found: " + String.join(", ", sel.missing()));
    }
    if (sel.keys().isEmpty()) {
      throw new StructuredError(
              StructuredError.Code.NO_FEATURES, "No valid features selected for deletion.", null)
          .failure(json);
    }
    DeleteOptions opts = new DeleteOptions(softDelete, withFeatureHistory, false);
    String kind = softDelete ? "soft delete" : "hard delete";
    try (MetadataStore s = root.store(store, graph);
        var scope = s.open(dryRun ? AccessMode.READ : AccessMode.WRITE)) {
      if (dryRun) {
        Map<FeatureKey, Long> counts = new LinkedHashMap<>();
        long total = 0;
        for (FeatureKey k : sel.keys()) {
          long n = count(s, k, parsed);
          counts.put(k, n);
          total += n;
        }
        err.println("Dry run (" + kind + ", with_feature_history="
            + (withFeatureHistory ? "yes" : "no") + ")");
        err.println("Store: " + (s.name() != null ? s.name() : s.display()));
        err.println("Features (" + counts.size() + "):");
        counts.forEach((k, n) -> err.println("  • " + k + " (" + n + " rows)"));
        err.println("Total rows to delete: " + total);
        err.println("Filters:");
        if (filters.isEmpty()) {
          err.println("  (none)");
        }
        filters.forEach(f -> err.println("  • " + f));
        return 0;
      }
      int failed = 0;
      try (Progress p = new Progress(err, "Deleting", sel.keys().size(), selection.bar(root))) {
        for (FeatureKey k : sel.keys()) {
          try {
            long n = count(s, k, parsed);
            s.delete(k, parsed, opts);
            p.step(k.toString(), n);
          } catch (RuntimeException e) {
            failed++;
            err.println("Error deleting " + k + ": " + e.getMessage());
          }
        }
      }
      err.println("✓ Deletion complete (" + kind + ")");
      return failed > 0 ? Mx.FAILURE : 0;
    }
  }

  /** Rows the delete targets: the current version (all versions with history), after the filters. */
  private long count(MetadataStore s, FeatureKey k, List<RowFilter> parsed) {
    ReadOptions ro = ReadOptions.DEFAULT.filters(parsed).noFallback();
    if (withFeatureHistory) {
      ro = ro.featureHistory();
    }
    try (VectorSchemaRoot rows = s.read(k, ro)) {
      return rows.getRowCount();
    } catch (FeatureNotFoundException e) {
      return 0;
    }
  }
}
