package io.metaxy.cli;

import io.metaxy.versioning.Truncation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mx} itself: the global options, and the state every subcommand shares (streams, environment,
 * working directory, the lazily loaded graph and settings). Without a subcommand it prints the help.
 */
@Command(
    name = "mx",
    mixinStandardHelpOptions = true,
    versionProvider = RootCommand.Version.class,
    description = "Metaxy for Java: inspect, render and diff feature graphs.",
    footer = {"", "Learn more in the Metaxy docs (docs/cli.md)."},
    synopsisSubcommandLabel = "COMMAND")
final class RootCommand implements Callable<Integer> {
  /** The global options; picocli leaves the field null when none is given. */
  static final class Globals {
    @Option(names = "--config-file", paramLabel = "PATH", description = "Explicit metaxy.toml.")
    Path configFile;

    @Option(names = "--project", paramLabel = "NAME", description = "Operate on this project instead of the configured one.")
    String project;

    @Option(
        names = "--all-projects",
        negatable = true,
        arity = "0..1",
        paramLabel = "BOOL",
        fallbackValue = "true",
        description = "Operate on every project.")
    boolean allProjects;

    @Option(
        names = "--sync",
        negatable = true,
        arity = "0..1",
        paramLabel = "BOOL",
        fallbackValue = "true",
        description = "Load external feature definitions from the default store first.")
    boolean sync;

    @Option(
        names = "--locked",
        negatable = true,
        arity = "0..1",
        paramLabel = "BOOL",
        fallbackValue = "true",
        description = "With --sync, a version mismatch of an external feature is an error.")
    boolean locked;

    @Option(
        names = "--graph",
        paramLabel = "PATH",
        description =
            "Feature graph to use: a graph.json, a classes directory or a jar holding META-INF/metaxy/graph.json"
                + " (repeatable). Default: graph.classpath of metaxy.toml, else the class path.")
    List<Path> graphs = new ArrayList<>();
  }

  @ArgGroup(validate = false, heading = "Global:%n")
  Globals globals;

  @Spec CommandSpec spec;

  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> env;
  private final Path cwd;
  private LoadedGraph graph;
  private Settings settings;

  RootCommand(PrintWriter out, PrintWriter err, Map<String, String> env, Path cwd) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.cwd = cwd;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(out);
    return 0;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  Map<String, String> env() {
    return env;
  }

  Path cwd() {
    return cwd;
  }

  Globals globals() {
    if (globals == null) {
      globals = new Globals();
    }
    return globals;
  }

  /** The settings (configured project, hash truncation), loaded once. */
  Settings settings() {
    if (settings == null) {
      settings = Settings.load(this);
    }
    return settings;
  }

  /** The hash truncation in force. */
  Truncation truncation() {
    return settings().truncation();
  }

  /**
   * The project commands operate on: {@code null} with {@code --all-projects} (every project), else
   * {@code --project}, else the configured project ({@code null} when none is configured, which also
   * means every project).
   */
  String effectiveProject() {
    Globals g = globals();
    if (g.allProjects) {
      return null;
    }
    return g.project != null ? g.project : settings().project();
  }

  /** The feature graph, loaded once (after {@code --sync}, which needs a store). */
  LoadedGraph graph() {
    if (graph == null) {
      if (globals().sync) {
        throw CliFailure.error(
            "--sync needs a metadata store, and metadata stores are not available in this version of mx yet.");
      }
      List<Path> paths = globals().graphs;
      // Without --graph, metaxy.toml decides: its graph.classpath entries, else this JVM's class path.
      graph = paths.isEmpty() ? LoadedGraph.of(settings().config().loadGraph()) : LoadedGraph.fromPaths(paths, cwd);
    }
    return graph;
  }

  /** Prints {@code mx --version}. */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Mx.class.getPackage().getImplementationVersion();
      return new String[] {v != null ? v : "0.1.0-SNAPSHOT"};
    }
  }
}
