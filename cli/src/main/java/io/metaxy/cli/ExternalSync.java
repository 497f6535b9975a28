package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.MetaxyException;
import io.metaxy.config.FeatureSelection;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import io.metaxy.versioning.DefinitionVersions;
import io.metaxy.versioning.Truncation;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code --sync} (CLI spec §4.5): replaces the graph's external placeholders (and the configured {@code
 * extra_features}) with the latest definitions pushed to the default store, with their transitive
 * dependencies, and reports placeholders whose versions disagree with what was pushed.
 */
final class ExternalSync {
  private ExternalSync() {}

  /**
   * The synced graph.
   *
   * @param error whether a version mismatch is an error ({@code --locked} or {@code locked = true})
   * @throws CliFailure on a version mismatch when {@code error}
   */
  static LoadedGraph run(
      LoadedGraph code,
      MetadataStore store,
      List<FeatureSelection> extra,
      boolean error,
      Truncation truncation,
      PrintWriter err) {
    FeatureGraph graph = code.graph();
    Set<String> local = new TreeSet<>();
    Set<String> externals = new TreeSet<>();
    for (FeatureDefinition d : graph.definitions()) {
      (d.external() ? externals : local).add(d.spec().key().toString());
    }
    Map<String, StoredDefinitions.Stored> stored;
    try (MetadataStore.Scope s = store.open(AccessMode.READ)) {
      stored = StoredDefinitions.latest(store, p -> true, err);
    }
    Set<String> wanted = new TreeSet<>(externals);
    wanted.addAll(select(extra, stored, local));
    Map<String, FeatureDefinition> loaded = new TreeMap<>();
    Deque<String> queue = new ArrayDeque<>(wanted);
    while (!queue.isEmpty()) {
      String k = queue.poll();
      if (loaded.containsKey(k) || local.contains(k) || !stored.containsKey(k)) {
        continue;
      }
      FeatureDefinition d = stored.get(k).definition();
      // Marked external: they belong to other projects and must stay out of this project's version.
      loaded.put(
          k,
          new FeatureDefinition(
              d.spec(), d.project(), d.featureSchema(), true, Map.of(), d.className()));
      for (FeatureDep dep : d.spec().deps()) {
        queue.add(dep.feature().toString());
      }
    }
    List<FeatureDefinition> all = new ArrayList<>();
    Map<FeatureKey, String> sources = new LinkedHashMap<>(code.sources());
    for (FeatureDefinition d : graph.definitions()) {
      if (!loaded.containsKey(d.spec().key().toString())) {
        all.add(d);
      }
    }
    for (FeatureDefinition d : loaded.values()) {
      all.add(d);
      sources.put(d.spec().key(), store.toString());
    }
    LoadedGraph synced = LoadedGraph.of(all, sources);
    checkVersions(graph, synced.graph(), externals, loaded.keySet(), error, truncation, err);
    List<String> unresolved =
        externals.stream().filter(k -> !loaded.containsKey(k)).toList();
    if (!unresolved.isEmpty()) {
      err.println("Warning: After syncing, " + unresolved.size()
          + " external feature(s) could not be resolved from the" + " metadata store: "
          + String.join(", ", unresolved));
    }
    return synced;
  }

  /** The stored keys {@code extra_features} selects (the OR of all entries), local keys excluded. */
  static Set<String> select(
      List<FeatureSelection> extra,
      Map<String, StoredDefinitions.Stored> stored,
      Set<String> local) {
    Set<String> out = new TreeSet<>();
    for (FeatureSelection s : extra) {
      for (Map.Entry<String, StoredDefinitions.Stored> e : stored.entrySet()) {
        boolean hit = Boolean.TRUE.equals(s.all())
            || (s.projects() != null
                && s.projects().contains(e.getValue().definition().project()))
            || (s.keys() != null
                && s.keys().stream().anyMatch(k -> k.toString().equals(e.getKey())));
        if (hit && !local.contains(e.getKey())) {
          out.add(e.getKey());
        }
      }
      if (s.keys() != null) {
        s.keys().forEach(k -> {
          if (!local.contains(k.toString())) {
            out.add(k.toString());
          }
        });
      }
    }
    return out;
  }

  private static void checkVersions(
      FeatureGraph before,
      FeatureGraph after,
      Set<String> externals,
      Set<String> replaced,
      boolean error,
      Truncation truncation,
      PrintWriter err) {
    DefinitionVersions old = before.versions(truncation);
    DefinitionVersions fresh = after.versions(truncation);
    StringBuilder details = new StringBuilder();
    int count = 0;
    for (String k : externals) {
      if (!replaced.contains(k)) {
        continue;
      }
      FeatureKey key = FeatureKey.of(k);
      String expected;
      Map<FieldKey, String> expectedFields;
      try {
        expected = old.featureVersion(key);
        expectedFields = old.fieldVersions(key);
      } catch (MetaxyException e) {
        continue; // the placeholder's own upstream was unknown before the sync: nothing to compare
      }
      String got = fresh.featureVersion(key);
      if (expected.equals(got)) {
        continue;
      }
      count++;
      details
          .append("\n  ")
          .append(k)
          .append(":\n    feature version: expected '")
          .append(expected)
          .append("', got '")
          .append(got)
          .append("'");
      Map<FieldKey, String> gotFields = fresh.fieldVersions(key);
      StringBuilder fields = new StringBuilder();
      expectedFields.forEach((f, v) -> {
        String g = gotFields.get(f);
        if (!v.equals(g)) {
          fields
              .append("\n      ")
              .append(f)
              .append(": expected '")
              .append(v)
              .append("', got '")
              .append(g)
              .append("'");
        }
      });
      if (fields.length() > 0) {
        details.append("\n    field mismatches:").append(fields);
      }
    }
    if (count == 0) {
      return;
    }
    String text = "Version mismatch detected for " + count
        + " external feature(s). The definitions pushed to the"
        + " metadata store differ from the external placeholders:" + details;
    if (error) {
      throw CliFailure.error(text);
    }
    err.println("Warning: " + text);
  }
}
