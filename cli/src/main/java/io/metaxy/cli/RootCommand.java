package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.Stores;
import io.metaxy.store.memory.InMemoryConnector;
import io.metaxy.store.support.BufferPool;
import io.metaxy.versioning.Truncation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mx} itself: the global options, and the state every subcommand shares (streams, environment,
 * working directory, the lazily loaded graph and settings). Without a subcommand it is a usage error.
 */
@Command(
    name = "mx",
    mixinStandardHelpOptions = true,
    versionProvider = RootCommand.Version.class,
    description =
        "Metaxy for Java: feature graphs, graph snapshots, lock files and sample metadata.",
    footer = {"", "Learn more in the Metaxy docs (docs/cli.md)."},
    synopsisSubcommandLabel = "COMMAND")
final class RootCommand implements Callable<Integer> {
  /** The global options; picocli leaves the field null when none is given. */
  static final class Globals {
    @Option(names = "--config-file", paramLabel = "PATH", description = "Explicit metaxy.toml.")
    @Nullable
    Path configFile;

    @Option(
        names = "--project",
        paramLabel = "NAME",
        description = "Operate on this project instead of the configured one.")
    @Nullable
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
  @Nullable
  Globals globals;

  @Spec
  CommandSpec spec;

  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> env;
  private final Path cwd;
  private @Nullable LoadedGraph graph;
  private @Nullable Settings settings;
  private boolean interactive;
  private boolean ignoreLockFile;
  private @Nullable BufferAllocator allocator;
  private final List<MetadataStore> built = new ArrayList<>();

  RootCommand(PrintWriter out, PrintWriter err, Map<String, String> env, Path cwd) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.cwd = cwd;
  }

  /** {@code mx} without a command: the usage on stderr, exit 2 (a script that lost its command must not pass). */
  @Override
  public Integer call() {
    return Commands.missingCommand(spec);
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
  @Nullable
  String effectiveProject() {
    Globals g = globals();
    if (g.allProjects) {
      return null;
    }
    return g.project != null ? g.project : settings().project();
  }

  /**
   * The feature graph, loaded once: the {@code --graph} files, else what {@code metaxy.toml} names, plus
   * the external features pinned in {@code metaxy.lock} (a feature defined here wins over a locked one);
   * with {@code --sync}, externals are then replaced by the definitions pushed to the default store.
   */
  LoadedGraph graph() {
    if (graph == null) {
      List<Path> paths = globals().graphs;
      // Without --graph, metaxy.toml decides: its graph.classpath entries, else this JVM's class
      // path.
      LoadedGraph code = paths.isEmpty()
          ? LoadedGraph.of(settings().config().loadGraph())
          : LoadedGraph.fromPaths(paths, cwd);
      if (!ignoreLockFile) {
        code = withLockFile(code);
      }
      if (globals().sync) {
        boolean error = globals().locked || settings().config().locked().orElse(false);
        try (MetadataStore store = store(null, code.graph())) {
          code = ExternalSync.run(
              code, store, settings().config().extraFeatures(), error, truncation(), err);
        }
      }
      graph = code;
    }
    return graph;
  }

  /** The code graph plus the lock file's entries for keys the code does not define. */
  private LoadedGraph withLockFile(LoadedGraph code) {
    MetaxyConfig config = settings().config();
    Path lock = config.lockFile().orElse(null);
    if (lock == null || !Files.exists(lock)) {
      if (lock != null && config.metaxyLockPath().isPresent()) {
        err.println("Warning: Lock file not found at " + lock
            + ". External features from the lock file will not be"
            + " loaded. Run `metaxy lock` to generate it.");
      }
      return code;
    }
    List<FeatureDefinition> all = new ArrayList<>(code.graph().definitions());
    Map<FeatureKey, String> sources = new LinkedHashMap<>(code.sources());
    for (LockFile.Entry e : LockFile.read(lock).values()) {
      FeatureKey key = e.definition().spec().key();
      if (!code.graph().contains(key)) {
        all.add(e.definition());
        sources.put(key, MetaxyConfig.LOCK_FILE_NAME);
      }
    }
    return all.size() == code.graph().definitions().size() ? code : LoadedGraph.of(all, sources);
  }

  /**
   * A new, unopened store from the configuration for the current graph ({@link #graph()}); the default
   * store when {@code name} is null. Configuration errors (unknown store, bad setting) fail the command.
   */
  MetadataStore store(@Nullable String name) {
    return store(name, graph().graph());
  }

  /** {@link #store(String)} for another graph. */
  MetadataStore store(@Nullable String name, FeatureGraph g) {
    MetaxyConfig config = settings().config();
    if (allocator == null) {
      // One root for every store of the run: copying between stores moves buffers between them.
      allocator = BufferPool.newRootAllocator();
    }
    MetadataStore s = Stores.open(config, name == null ? config.store() : name, g, allocator);
    built.add(s);
    return s;
  }

  /**
   * The configured project, for the commands that refuse {@code --project}/{@code --all-projects}
   * ({@code push}, {@code lock}).
   *
   * @param command the command name used in the message ({@code "metaxy push"})
   */
  String configuredProject(String command) {
    String configured = settings().project();
    if (globals().project != null || globals().allProjects) {
      throw CliFailure.error(
          "This command can only be used with the project from Metaxy configuration: "
              + (configured == null ? "(not configured)." : configured + "."));
    }
    if (configured == null) {
      throw CliFailure.error(
          "The 'project' field must be set in metaxy.toml for '" + command + "'.");
    }
    return configured;
  }

  /**
   * Releases the run's Arrow allocator. Every batch must have been closed by now; a leak is reported on
   * stderr (it is a bug in mx, not in the user's input) rather than failing a command that succeeded.
   */
  void close() {
    // In-memory stores keep their tables after closing (by design); their data ends with the run.
    ArrayDeque<MetadataStore> todo = new ArrayDeque<>(built);
    while (!todo.isEmpty()) {
      MetadataStore s = todo.poll();
      s.close();
      if (s.connector() instanceof InMemoryConnector m) {
        m.clear();
      }
      todo.addAll(s.fallbackStores());
    }
    built.clear();
    if (allocator != null) {
      try {
        allocator.close();
      } catch (IllegalStateException e) {
        String leak =
            String.valueOf(e.getMessage()); // a message-less exception must not fail the run here
        err.println("Warning: mx leaked Arrow memory (please report): "
            + leak.lines().findFirst().orElse(""));
      }
      allocator = null;
    }
  }

  /** Makes {@link #graph()} leave out {@code metaxy.lock} ({@code mx lock} rebuilds it from the store). */
  void ignoreLockFile() {
    this.ignoreLockFile = true;
  }

  /** Whether stderr is an interactive terminal (progress bars redraw in place). */
  boolean interactive() {
    return interactive;
  }

  void interactive(boolean on) {
    this.interactive = on;
  }

  /** Prints {@code mx --version}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Mx.class.getPackage().getImplementationVersion();
      return new String[] {v != null ? v : "0.1.0-SNAPSHOT"};
    }
  }
}
