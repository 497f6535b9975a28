package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.LayoutConversion;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.spi.ByFieldLayout;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mx metadata convert-layout FEATURE... | --all-features [--to struct|map]}: rewrites feature
 * tables in place into the layout the store gives new tables: on DuckDB, by-field columns as STRUCTs
 * (the Python reference's default) or, with {@code --to map} or {@code enable_map_datatype}, as MAPs; on
 * PostgreSQL, without the append-order column of tables created by earlier versions. A Java-only
 * command: the reference has no such conversion. Each table is one transaction.
 */
@Command(
    name = "convert-layout",
    mixinStandardHelpOptions = true,
    description =
        "Convert feature tables to the layout the store creates (by-field STRUCT or MAP columns).")
final class MetadataConvertLayoutCommand implements Callable<Integer> {
  @Mixin
  MetadataOptions selection;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "The store (default: the default store).")
  @Nullable
  String store;

  @Option(
      names = "--to",
      paramLabel = "LAYOUT",
      description =
          "struct or map (default: map when enable_map_datatype is set, else struct, as for new tables).")
  @Nullable
  String to;

  @Option(names = "--dry-run", description = "Only show each table's layout and what would change.")
  boolean dryRun;

  private final RootCommand root;

  MetadataConvertLayoutCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    ByFieldLayout target = target();
    FeatureGraph graph = root.graph().graph();
    MetadataOptions.Selection sel = selection.select(root, graph, false, false);
    PrintWriter err = root.err();
    if (!sel.missing().isEmpty()) {
      err.println("Warning: Feature(s) not found: " + String.join(", ", sel.missing()));
    }
    if (sel.keys().isEmpty()) {
      throw CliFailure.error("No valid features selected.");
    }
    try (MetadataStore s = root.store(store, graph);
        var scope = s.open(dryRun ? AccessMode.READ : AccessMode.WRITE)) {
      Optional<LayoutConversion> layouts = s.layoutConversion();
      if (layouts.isEmpty()) {
        throw CliFailure.error("Store '" + (s.name() != null ? s.name() : s.display())
            + "' has a single table layout;" + " there is nothing to convert.");
      }
      LayoutConversion conversion = layouts.get();
      int failed = 0;
      for (FeatureKey k : sel.keys()) {
        Optional<ByFieldLayout> before = conversion.byFieldLayout(k);
        if (before.isEmpty()) {
          err.println("  • " + k + ": no table (skipped)");
          continue;
        }
        String change =
            before.get() == target ? before.get().name() : before.get() + " → " + target;
        if (dryRun) {
          err.println("  • " + k + ": " + change);
          continue;
        }
        try {
          long rows = conversion.convertLayout(k, target);
          err.println(
              "  ✓ " + k + ": " + change + " (" + rows + " row" + (rows == 1 ? "" : "s") + ")");
        } catch (RuntimeException e) {
          failed++;
          err.println("  ✗ " + k + ": " + e.getMessage());
        }
      }
      err.println(
          dryRun
              ? "Dry run: nothing was changed"
              : failed > 0 ? failed + " table(s) not converted" : "✓ Layout converted");
      return failed > 0 ? Mx.FAILURE : 0;
    }
  }

  private ByFieldLayout target() {
    if (to == null) {
      return root.settings().config().enableMapDatatype()
          ? ByFieldLayout.MAP
          : ByFieldLayout.STRUCT;
    }
    try {
      return ByFieldLayout.valueOf(to.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw CliFailure.error("--to must be struct or map, got '" + to + "'");
    }
  }
}
