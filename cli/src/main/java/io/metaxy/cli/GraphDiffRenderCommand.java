package io.metaxy.cli;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mx graph-diff render FROM [TO]}: what changed between two graph snapshots (CLI spec §1.7,
 * §2.4). A snapshot is {@code current} (the current graph, pushed or not), {@code latest} (the newest
 * project version pushed to the store), a pushed project version, or a graph JSON file (as {@code
 * --graph} takes).
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = "Render the differences between two graph snapshots.")
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
    Snapshot resolve(String ref, @Nullable String project);
  }

  @Parameters(
      index = "0",
      paramLabel = "FROM",
      description = "latest, current, a pushed project version, or a graph JSON file.")
  String from;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "TO",
      defaultValue = "current",
      description = "current (default), latest, a pushed project version, or a graph JSON file.")
  String to;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "The store snapshots are read from.")
  @Nullable
  String store;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "terminal",
      description = "terminal, cards, mermaid, graphviz, json or yaml (default: terminal).")
  Format format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "PATH",
      description = "Write to this file instead of stdout.")
  @Nullable
  Path output;

  @Mixin
  RenderOptions options;

  private final RootCommand root;

  GraphDiffRenderCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    if (root.globals().allProjects) {
      throw CliFailure.error(
          "This command requires a specific project. Cannot use --all-projects flag.");
    }
    options.validate();
    String project = root.effectiveProject();
    if (project == null) {
      throw CliFailure.error(
          "This command requires a project. Set 'project' in metaxy.toml or use --project flag.");
    }
    GraphData merged;
    try (StoreSnapshots source = new StoreSnapshots()) {
      merged = GraphDiff.merge(source.resolve(from, project), source.resolve(to, project));
    }
    String focus = options.focusKey();
    if (focus != null) {
      if (merged.node(focus) == null) {
        throw CliFailure.error("Feature '" + options.feature + "' not found in graph");
      }
      merged = merged.filter(null, focus, options.up, options.down);
    }
    RenderConfig config = options.config();
    String text = switch (format) {
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

  /**
   * Snapshots from the current graph, graph JSON files, and pushed project versions; the store is opened
   * (read-only) the first time a pushed version is needed.
   */
  private final class StoreSnapshots implements SnapshotSource, AutoCloseable {
    private @Nullable MetadataStore store;
    private MetadataStore.@Nullable Scope scope;

    private MetadataStore store() {
      if (store == null) {
        store = root.store(GraphDiffRenderCommand.this.store);
        scope = store.open(AccessMode.READ);
      }
      return store;
    }

    @Override
    public Snapshot resolve(String ref, @Nullable String project) {
      if (ref.equals("current")) {
        FeatureGraph graph = root.graph().graph();
        if (graph.keys().isEmpty()) {
          NoFeatures.explain(root, project);
          throw CliFailure.error(
              "Cannot resolve 'current': active graph is empty. Ensure features are loaded before using 'current'.");
        }
        return Snapshot.of(graph, project, root.truncation());
      }
      if (!ref.equals("latest") && Files.isRegularFile(root.cwd().resolve(ref))) {
        FeatureGraph graph =
            LoadedGraph.fromPaths(List.of(Path.of(ref)), root.cwd()).graph();
        return Snapshot.of(graph, project, root.truncation());
      }
      if (root.settings().config().stores().isEmpty()) {
        if (ref.equals("latest")) {
          throw CliFailure.error(
              "Cannot resolve 'latest': no metadata store is configured to read pushed snapshots from.");
        }
        throw CliFailure.error("No features recorded for snapshot " + ref + " in project " + project
            + " (no such graph file, and no metadata store is configured)");
      }
      String version = ref;
      if (ref.equals("latest")) {
        version = Snapshots.latest(store(), project);
        if (version == null) {
          throw CliFailure.error(
              "No snapshots found in store. Cannot resolve 'latest'. Run 'metaxy push' to record a snapshot.");
        }
      }
      List<FeatureDefinition> defs = Snapshots.load(store(), version, project);
      if (defs.isEmpty()) {
        throw CliFailure.error(
            "No features recorded for snapshot " + version + " in project " + project);
      }
      Snapshot snap =
          Snapshot.of(Snapshots.graph(defs, root.graph().graph()), project, root.truncation());
      return new Snapshot(version, snap.features());
    }

    @Override
    public void close() {
      if (scope != null) {
        scope.close();
      }
      if (store != null) {
        store.close();
      }
    }
  }
}
