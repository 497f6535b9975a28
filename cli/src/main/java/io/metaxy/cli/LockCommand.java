package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.MetaxyException;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import io.metaxy.versioning.DefinitionVersions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mx lock [STORE]}: pins the external features the project depends on (and the configured {@code
 * extra_features}), with their transitive dependencies, in {@code metaxy.lock} (CLI spec §1.10, §4.3,
 * §4.4). Later runs load the lock file as external features, so the graph is complete without a store.
 */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    description = "Pin external feature definitions in metaxy.lock.")
final class LockCommand implements Callable<Integer> {
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
      names = {"-o", "--output"},
      paramLabel = "PATH",
      description = "Lock file to write (default: metaxy.lock next to metaxy.toml).")
  @Nullable
  Path output;

  private final RootCommand root;

  LockCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    long started = System.nanoTime();
    String project = root.configuredProject("metaxy lock");
    MetaxyConfig config = root.settings().config();
    Path file = output != null
        ? root.cwd().resolve(output)
        : config
            .lockFile()
            .orElse(
                root.cwd().resolve(config.metaxyLockPath().orElse(MetaxyConfig.LOCK_FILE_NAME)));
    root.ignoreLockFile();
    FeatureGraph graph = root.graph().graph();
    Map<String, FeatureDefinition> local = new TreeMap<>();
    for (FeatureDefinition d : graph.definitions()) {
      if (!d.external()) {
        local.put(d.spec().key().toString(), d);
      }
    }
    Set<String> needed = new TreeSet<>();
    local
        .values()
        .forEach(d -> d.spec().deps().forEach(dep -> needed.add(dep.feature().toString())));
    needed.removeAll(local.keySet());
    PrintWriter err = root.err();
    Map<String, LockFile.Entry> fresh = new TreeMap<>();
    String storeLabel;
    try (MetadataStore s = root.store(store != null ? store : storeArg)) {
      storeLabel = s.toString();
      err.println(
          "Updating " + file.getFileName() + " with external features from " + storeLabel + "...");
      if (!needed.isEmpty() || !config.extraFeatures().isEmpty()) {
        Map<String, StoredDefinitions.Stored> stored;
        try (var scope = s.open(AccessMode.READ)) {
          stored = StoredDefinitions.latest(s, p -> !p.equals(project), err);
        }
        needed.addAll(ExternalSync.select(config.extraFeatures(), stored, local.keySet()));
        fresh = resolve(needed, local, stored);
      }
    }
    Map<String, LockFile.Entry> old = Map.of();
    boolean exists = Files.exists(file);
    if (exists) {
      try {
        old = LockFile.read(file);
      } catch (CliFailure e) {
        err.println(
            "Warning: Could not parse existing lock file at " + file + "; treating as fresh.");
      }
    }
    boolean changed = report(old, fresh, err);
    String shown = display(file);
    double seconds = (System.nanoTime() - started) / 1e9;
    if (changed || !exists) {
      LockFile.save(file, LockFile.write(fresh.values()));
    }
    if (changed) {
      err.println(
          String.format(Locale.ROOT, "Updated %s from %s in %.2fs.", shown, storeLabel, seconds));
    } else {
      err.println(
          String.format(Locale.ROOT, "Lock file %s is up to date (%.2fs).", shown, seconds));
    }
    return 0;
  }

  /** The stored definitions of {@code needed} and their dependencies, with versions checked. */
  private Map<String, LockFile.Entry> resolve(
      Set<String> needed,
      Map<String, FeatureDefinition> local,
      Map<String, StoredDefinitions.Stored> stored) {
    Map<String, StoredDefinitions.Stored> resolved = new TreeMap<>();
    Set<String> missing = new TreeSet<>();
    Deque<String> queue = new ArrayDeque<>(needed);
    while (!queue.isEmpty()) {
      String k = queue.poll();
      if (resolved.containsKey(k) || local.containsKey(k) || missing.contains(k)) {
        continue;
      }
      StoredDefinitions.Stored s = stored.get(k);
      if (s == null) {
        missing.add(k);
        continue;
      }
      resolved.put(k, s);
      for (FeatureDep dep : s.definition().spec().deps()) {
        queue.add(dep.feature().toString());
      }
    }
    if (!missing.isEmpty()) {
      throw CliFailure.stderr(
          "Error: Features not found in metadata store: " + String.join(", ", missing)
              + "\nHint: Run `metaxy push` in the project that defines these features.");
    }
    List<FeatureDefinition> all = new ArrayList<>(local.values());
    resolved.values().forEach(s -> all.add(s.definition()));
    DefinitionVersions versions;
    try {
      versions = FeatureGraph.of(all).versions(root.truncation());
    } catch (MetaxyException e) {
      throw CliFailure.error(
          "cannot compute the versions of the locked features: " + e.getMessage());
    }
    Map<String, LockFile.Entry> out = new TreeMap<>();
    for (Map.Entry<String, StoredDefinitions.Stored> e : resolved.entrySet()) {
      FeatureKey key = FeatureKey.of(e.getKey());
      String computed = versions.featureVersion(key);
      if (!computed.equals(e.getValue().featureVersion())) {
        throw CliFailure.error("Version mismatch for feature '" + e.getKey() + "': computed="
            + computed + ", db=" + e.getValue().featureVersion());
      }
      Map<String, String> byField = new LinkedHashMap<>();
      for (Map.Entry<FieldKey, String> f : versions.fieldVersions(key).entrySet()) {
        byField.put(f.getKey().toString(), f.getValue());
      }
      FeatureDefinition d = e.getValue().definition();
      FeatureDefinition external = new FeatureDefinition(
          d.spec(), d.project(), d.featureSchema(), true, byField, d.className());
      out.put(
          e.getKey(),
          new LockFile.Entry(external, computed, versions.definitionVersion(key), byField));
    }
    return out;
  }

  /** Prints the change lines, grouped by project when several appear; whether anything changed. */
  private static boolean report(
      Map<String, LockFile.Entry> old, Map<String, LockFile.Entry> fresh, PrintWriter err) {
    Map<String, List<String>> byProject = new TreeMap<>();
    Set<String> keys = new TreeSet<>(old.keySet());
    keys.addAll(fresh.keySet());
    for (String k : keys) {
      LockFile.Entry o = old.get(k);
      LockFile.Entry n = fresh.get(k);
      // k is a key of one map or the other.
      LockFile.Entry current = Objects.requireNonNull(n != null ? n : o);
      String line;
      if (o == null) {
        line = " + " + k + " (" + current.version() + ")";
      } else if (n == null) {
        line = " - " + k + " (" + o.version() + ")";
      } else if (!o.definitionVersion().equals(n.definitionVersion())
          || !o.version().equals(n.version())) {
        line = o.version().equals(n.version())
            ? " ~ " + k + " (" + n.version() + ", non-versioning metadata update)"
            : " ~ " + k + " (" + o.version() + " -> " + n.version() + ")";
      } else {
        continue;
      }
      String p = current.definition().project();
      byProject.computeIfAbsent(p, x -> new ArrayList<>()).add(line);
    }
    for (Map.Entry<String, List<String>> e : byProject.entrySet()) {
      if (byProject.size() > 1) {
        err.println(" " + e.getKey());
      }
      e.getValue().forEach(err::println);
    }
    return !byProject.isEmpty();
  }

  private String display(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path cwd = root.cwd().toAbsolutePath().normalize();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }
}
