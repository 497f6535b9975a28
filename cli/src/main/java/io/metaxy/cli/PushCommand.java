package io.metaxy.cli;

import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.SystemTables;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mx push [STORE]}: records the configured project's feature definitions in the store's
 * {@code feature_versions} system table (CLI spec §1.8, §5) and prints the project version on stdout.
 * Pushing an unchanged graph again records nothing; a definition-only change of an already pushed
 * version records just the changed features.
 */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    description = "Record the project's feature graph in a store.")
final class PushCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "STORE",
      description = "The store (default: the default store).")
  @Nullable
  String storeArg;

  @Option(names = "--store", paramLabel = "NAME", description = "The store (same as STORE).")
  @Nullable
  String store;

  @Option(
      names = {"-t", "--tags"},
      paramLabel = "KEY=VALUE",
      description =
          "User tags recorded with the push (repeatable; also --tags.KEY VALUE). 'metaxy' is reserved.")
  Map<String, String> tags = new LinkedHashMap<>();

  private final RootCommand root;

  PushCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    String project = root.configuredProject("metaxy push");
    if (tags.containsKey("metaxy")) {
      throw CliFailure.error("The tag 'metaxy' is reserved for Metaxy's own information.");
    }
    boolean hasFeatures = root.graph().graph().definitions().stream()
        .anyMatch(d -> !d.external() && d.project().equals(project));
    if (!hasFeatures) {
      NoFeatures.explain(root, project);
      throw CliFailure.error(
          "No features found for project '" + project + "' in the active graph.");
    }
    PrintWriter err = root.err();
    SystemTables.PushResult result;
    try (MetadataStore s = root.store(store != null ? store : storeArg);
        var scope = s.open(AccessMode.WRITE)) {
      result = new SystemTables(s).pushGraphSnapshot(project, new TreeMap<>(tags));
      err.println(
          "Recorded at: " + PyRepr.of(s.storeMetadata(SystemTables.FEATURE_VERSIONS, false)));
    }
    if (!result.alreadyPushed()) {
      err.println("✓ Recorded feature graph");
    } else if (!result.updatedFeatures().isEmpty()) {
      err.println("ℹ Updated feature information (no topological changes)");
      err.println("  Updated features:");
      result.updatedFeatures().forEach(k -> err.println("    - " + k));
    } else {
      err.println("✓ Snapshot already recorded (no changes)");
    }
    root.out().println(result.projectVersion());
    return 0;
  }
}
