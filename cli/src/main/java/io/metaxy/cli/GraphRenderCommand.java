package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mx graph render}: the feature graph as a terminal tree, cards, Mermaid or Graphviz (CLI spec §1.6). */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = "Render the feature graph.")
final class GraphRenderCommand implements Callable<Integer> {
  static final List<String> FORMATS = List.of("terminal", "mermaid", "graphviz");

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "terminal",
      description = "terminal, mermaid or graphviz.")
  String format;

  @Option(
      names = {"-t", "--type"},
      paramLabel = "TYPE",
      description = "graph or cards (terminal format only; default: graph).")
  @Nullable
  String type;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "PATH",
      description = "Write to this file instead of stdout.")
  @Nullable
  Path output;

  @Option(
      names = "--snapshot",
      paramLabel = "VERSION",
      description = "Render a project version pushed to the store.")
  @Nullable
  String snapshot;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "The store to read --snapshot from.")
  @Nullable
  String store;

  @Mixin
  RenderOptions options;

  private final RootCommand root;

  GraphRenderCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    options.validate();
    if (!FORMATS.contains(format)) {
      throw CliFailure.error(
          "Invalid format '" + format + "'. Must be one of: " + String.join(", ", FORMATS));
    }
    if (type != null && !format.equals("terminal")) {
      throw CliFailure.error("--type can only be used with --format terminal");
    }
    if (type != null && !type.equals("graph") && !type.equals("cards")) {
      throw CliFailure.error("Invalid type '" + type + "'. Must be graph or cards.");
    }
    LoadedGraph loaded = root.graph();
    FeatureGraph graph = loaded.graph();
    String project = root.effectiveProject();
    String projectVersion;
    if (snapshot != null) {
      List<FeatureDefinition> defs;
      try (MetadataStore s = root.store(store);
          var scope = s.open(AccessMode.READ)) {
        defs = Snapshots.load(s, snapshot, null);
      }
      if (defs.isEmpty()) {
        throw CliFailure.stderr("✗ Snapshot error: No features recorded for snapshot " + snapshot);
      }
      try {
        graph = Snapshots.graph(defs, graph);
      } catch (RuntimeException e) {
        throw CliFailure.stderr("✗ Failed to load snapshot: " + e.getMessage()
            + "\nHint: Feature classes may have been moved or deleted.");
      }
      root.err().println("✓ Loaded " + defs.size() + " features from snapshot " + snapshot);
      // A snapshot is rendered whole, without the project filter.
      project = null;
      projectVersion = snapshot;
    } else {
      projectVersion = loaded.projectVersion(project, root.truncation());
    }
    String focus = options.focusKey();
    if (focus != null && !graph.contains(FeatureKey.of(focus))) {
      StringBuilder b = new StringBuilder("Error: Feature '")
          .append(options.feature)
          .append("' not found in graph\n");
      b.append("Available features:");
      Set<String> keys = new TreeSet<>(GraphDiff.KEY_ORDER);
      graph.keys().forEach(k -> keys.add(k.toString()));
      keys.forEach(k -> b.append("\n  • ").append(k));
      throw CliFailure.stderr(b.toString());
    }
    GraphData data = GraphData.of(graph, root.truncation(), projectVersion)
        .filter(project, focus, options.up, options.down);
    if (data.isEmpty()) {
      if (snapshot == null) {
        NoFeatures.explain(root, project);
      }
      root.err().println("Warning: Graph is empty (no features found)");
      if (output != null) {
        write("");
      }
      return 0;
    }
    RenderConfig config = options.config();
    String text = switch (format) {
      case "mermaid" -> MermaidRenderer.render(data, config);
      case "graphviz" -> GraphvizRenderer.render(data, config);
      default ->
        "cards".equals(type)
            ? CardsRenderer.render(data, config)
            : TerminalRenderer.render(data, config);
    };
    if (output != null) {
      write(text);
      root.err().println("✓ Rendered graph saved to: " + output);
    } else {
      root.out().print(text);
      root.out().flush();
    }
    return 0;
  }

  private void write(String text) {
    Path path = root.cwd().resolve(output);
    try {
      Files.writeString(path, text);
    } catch (IOException e) {
      throw CliFailure.error("cannot write " + output + ": " + e);
    }
  }
}
