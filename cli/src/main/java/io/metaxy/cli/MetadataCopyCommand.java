package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.RowFilter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mx metadata copy FEATURE... | --all-features --from STORE --to STORE}: copies rows between
 * stores, keeping their versions and timestamps (CLI spec §1.14).
 */
@Command(
    name = "copy",
    mixinStandardHelpOptions = true,
    description = "Copy feature metadata between stores.")
final class MetadataCopyCommand implements Callable<Integer> {
  @Mixin
  MetadataOptions selection;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "STORE",
      description = "The source store.")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "STORE",
      description = "The destination store.")
  String to;

  @Option(
      names = "--filter",
      paramLabel = "SQL",
      description = "Copy only rows matching this filter (repeatable).")
  List<String> filters = new ArrayList<>();

  @Option(
      names = "--with-feature-history",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      arity = "0..1",
      paramLabel = "BOOL",
      description = "Copy every feature version (default: true).")
  boolean withFeatureHistory;

  @Option(
      names = "--with-sample-history",
      negatable = true,
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1",
      paramLabel = "BOOL",
      description = "Copy every row, not only the latest per sample (default: false).")
  boolean withSampleHistory;

  private final RootCommand root;

  MetadataCopyCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    List<RowFilter> parsed = MetadataOptions.filters(filters, "--filter");
    FeatureGraph graph = root.graph().graph();
    MetadataOptions.Selection sel = selection.select(root, graph, false, false);
    PrintWriter out = root.out();
    PrintWriter err = root.err();
    if (!sel.missing().isEmpty()) {
      out.println("Warning: Feature(s) not found: " + String.join(", ", sel.missing()));
    }
    if (sel.keys().isEmpty()) {
      out.println("Warning: No valid features to copy.");
      return 0;
    }
    if (from.equals(to)) {
      throw CliFailure.error("--from and --to name the same store '" + from
          + "'; copying a store onto itself does nothing.");
    }
    err.println("Copying metadata for " + sel.keys().size() + " feature(s) from '" + from + "' to '"
        + to + "'...");
    int features = 0;
    long rows = 0;
    try (MetadataStore source = root.store(from, graph);
        MetadataStore dest = root.store(to, graph);
        var s1 = source.open(AccessMode.READ);
        var s2 = dest.open(AccessMode.WRITE);
        Progress p = new Progress(err, "Copying", sel.keys().size(), selection.bar(root))) {
      for (FeatureKey k : sel.keys()) {
        MetadataStore.CopyResult r =
            dest.copyMetadata(source, List.of(k), parsed, withFeatureHistory, withSampleHistory);
        features += r.featuresCopied();
        rows += r.rowsCopied();
        p.step(k.toString(), r.rowsCopied());
      }
    }
    out.println("✓ Copy complete: " + features + " feature(s), " + rows + " row(s) copied");
    return 0;
  }
}
