package io.metaxy.cli;

import io.metaxy.graph.FeatureGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mx graph-diff render FROM [TO]}: what changed between two graph snapshots (CLI spec §1.7,
 * §2.4). A snapshot is {@code current} (the current graph) or a graph JSON file (as {@code --graph}
 * takes); pushed project versions and {@code latest} come with the metadata store, through another
 * {@link SnapshotSource}.
 */
@Command(name = "render", mixinStandardHelpOptions = true, description = "Render the differences between two graph snapshots.")
final class GraphDiffRenderCommand implements Callable<Integer> {
  /** Output formats of the diff. */
  enum Format {
    TERMINAL,
    CARDS,
    MERMAID,
    GRAPHVIZ,
    JSON,
    YAML
  }

  /** Resolves a snapshot reference ({@code current}, {@code latest}, a version, a file) for a project. */
  interface SnapshotSource {
    Snapshot resolve(String ref, String project);
  }

  @Parameters(index = "0", paramLabel = "FROM", description = "current, or a graph JSON file.")
  String from;

  @Parameters(index = "1", arity = "0..1", paramLabel = "TO", defaultValue = "current", description = "current (default), or a graph JSON file.")
  String to;

  @Option(names = "--store", paramLabel = "NAME", description = "The store snapshots are read from.")
  String store;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "terminal",
      description = "terminal, cards, mermaid, graphviz, json or yaml (default: terminal).")
  Format format;

  @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Write to this file instead of stdout.")
  Path output;

  @Mixin RenderOptions options;

  private final RootCommand root;

  GraphDiffRenderCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    if (root.globals().allProjects) {
      throw CliFailure.error("This command requires a specific project. Cannot use --all-projects flag.");
    }
    options.validate();
    if (store != null) {
      throw CliFailure.error("--store needs a metadata store, which this version of mx does not support yet.");
    }
    String project = root.effectiveProject();
    SnapshotSource source = new FileSnapshots();
    GraphData merged = GraphDiff.merge(source.resolve(from, project), source.resolve(to, project));
    String focus = options.focusKey();
    if (focus != null) {
      if (merged.node(focus) == null) {
        throw CliFailure.error("Feature '" + options.feature + "' not found in graph");
      }
      merged = merged.filter(null, focus, options.up, options.down);
    }
    RenderConfig config = options.config();
    String text =
        switch (format) {
          case TERMINAL -> DiffFormatter.terminal(merged);
          case JSON -> DiffFormatter.json(merged);
          case YAML -> DiffFormatter.yaml(merged);
          case MERMAID -> DiffFormatter.mermaid(merged);
          case CARDS -> CardsRenderer.render(merged, config);
          case GRAPHVIZ -> GraphvizRenderer.render(merged, config);
        };
    if (output != null) {
      try {
        Files.writeString(root.cwd().resolve(output), text);
      } catch (IOException e) {
        throw CliFailure.error("cannot write " + output + ": " + e);
      }
      root.err().println("Success: Diff rendered to: " + output);
    } else {
      root.out().print(text);
      root.out().flush();
    }
    return 0;
  }

  /** Snapshots from the current graph and from graph JSON files. */
  private final class FileSnapshots implements SnapshotSource {
    @Override
    public Snapshot resolve(String ref, String project) {
      FeatureGraph graph;
      if (ref.equals("current")) {
        graph = root.graph().graph();
        if (graph.keys().isEmpty()) {
          throw CliFailure.error(
              "Cannot resolve 'current': active graph is empty. Ensure features are loaded before using 'current'.");
        }
      } else if (ref.equals("latest")) {
        throw CliFailure.error(
            "Cannot resolve 'latest': reading snapshots from a metadata store is not supported by this version of mx"
                + " yet. Pass graph JSON files instead.");
      } else if (Files.exists(root.cwd().resolve(ref))) {
        graph = LoadedGraph.fromPaths(List.of(Path.of(ref)), root.cwd()).graph();
      } else {
        throw CliFailure.error(
            "No features recorded for snapshot " + ref + (project != null ? " in project " + project : "")
                + " (no such graph file; pushed snapshots need a metadata store, not supported yet)");
      }
      return Snapshot.of(graph, project, root.truncation());
    }
  }
}
