package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mx describe graph}: statistics of the current graph (CLI spec §1.4). Everything goes to stderr,
 * like the reference. {@code --snapshot} describes a project version pushed to the store.
 */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = "Show statistics of the feature graph.")
final class DescribeGraphCommand implements Callable<Integer> {
  private static final int LISTED = 10;

  @Option(
      names = "--snapshot",
      paramLabel = "VERSION",
      description = "A project version pushed to the store.")
  @Nullable
  String snapshot;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "The store to read --snapshot from.")
  @Nullable
  String store;

  private final RootCommand root;

  DescribeGraphCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    PrintWriter err = root.err();
    LoadedGraph loaded = root.graph();
    FeatureGraph graph = loaded.graph();
    String project = root.effectiveProject();
    String version;
    if (snapshot != null) {
      // Unlike the reference (which then describes the current graph), the statistics are the
      // snapshot's.
      List<FeatureDefinition> defs;
      try (MetadataStore s = root.store(store);
          var scope = s.open(AccessMode.READ)) {
        defs = Snapshots.load(s, snapshot, project);
      }
      if (defs.isEmpty()) {
        err.println("✗ No features found for snapshot " + snapshot);
        if (project != null) {
          err.println("  (filtered by project: " + project + ")");
        }
        return 0;
      }
      err.println("Describing feature graph snapshot: " + snapshot);
      graph = FeatureGraph.of(defs);
      version = snapshot;
    } else {
      err.println("Describing current feature graph...");
      version = loaded.projectVersion(project, root.truncation());
    }
    List<FeatureDefinition> all = new ArrayList<>(graph.definitions());
    List<FeatureDefinition> shown = new ArrayList<>();
    for (FeatureDefinition d : all) {
      if (project == null || project.equals(d.project())) {
        shown.add(d);
      }
    }
    if (shown.isEmpty() && snapshot == null) {
      NoFeatures.explain(root, project);
    }
    List<String> roots = new ArrayList<>();
    List<String> leaves = new ArrayList<>();
    Set<String> hasDownstream = new LinkedHashSet<>();
    for (FeatureDefinition d : shown) {
      d.spec().deps().forEach(dep -> hasDownstream.add(dep.feature().toString()));
    }
    Map<String, Integer> depth = new HashMap<>();
    for (FeatureDefinition d : shown) {
      String k = d.spec().key().toString();
      if (d.spec().isRoot()) {
        roots.add(k);
      }
      if (!hasDownstream.contains(k)) {
        leaves.add(k);
      }
    }
    int maxDepth = 0;
    for (FeatureDefinition d : shown) {
      maxDepth = Math.max(maxDepth, depth(graph, d.spec().key(), depth, new LinkedHashSet<>()));
    }
    roots.sort(GraphDiff.KEY_ORDER);
    leaves.sort(GraphDiff.KEY_ORDER);

    if (version == null) {
      version = "(" + graph.projects().size() + " projects)";
    }
    String title =
        "Graph Snapshot: " + version + (project != null ? " (Project: " + project + ")" : "");
    Table table = new Table(title, "Metric", "Value");
    table.row("Total Features", String.valueOf(all.size()));
    if (shown.size() != all.size()) {
      table.row("Features in " + project, String.valueOf(shown.size()));
    }
    table.row("Graph Depth", String.valueOf(maxDepth));
    table.row("Root Features", String.valueOf(roots.size()));
    table.row("Leaf Features", String.valueOf(leaves.size()));
    table.lines().forEach(err::println);

    Map<String, Integer> byProject = new TreeMap<>();
    all.forEach(d -> byProject.merge(d.project(), 1, Integer::sum));
    if (byProject.size() > 1) {
      err.println();
      err.println("Features by Project:");
      byProject.forEach((p, n) -> err.println("  • " + p + ": " + n + " features"));
    }
    bullets(err, "Root Features:", roots);
    bullets(err, "Leaf Features:", leaves);
    return 0;
  }

  /** Longest chain ending at {@code key}, a root counting 1; upstream features outside the graph count 0. */
  private static int depth(
      FeatureGraph graph, FeatureKey key, Map<String, Integer> memo, Set<FeatureKey> path) {
    Integer known = memo.get(key.toString());
    if (known != null) {
      return known;
    }
    if (!graph.contains(key) || !path.add(key)) {
      return 0;
    }
    int best = 0;
    for (FeatureKey up : graph.upstream(key)) {
      best = Math.max(best, depth(graph, up, memo, path));
    }
    path.remove(key);
    memo.put(key.toString(), best + 1);
    return best + 1;
  }

  private static void bullets(PrintWriter err, String heading, List<String> keys) {
    err.println();
    err.println(heading);
    if (keys.isEmpty()) {
      err.println("  (none)");
    }
    for (int i = 0; i < Math.min(LISTED, keys.size()); i++) {
      err.println("  • " + keys.get(i));
    }
    if (keys.size() > LISTED) {
      err.println("  ... and " + (keys.size() - LISTED) + " more");
    }
  }
}
