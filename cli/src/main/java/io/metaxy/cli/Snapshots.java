package io.metaxy.cli;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.SystemDataNotFoundException;
import io.metaxy.store.SystemTables;
import io.metaxy.store.support.ArrowBatches;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;

/** Pushed graph snapshots read back from an open store, for the commands that take a project version. */
final class Snapshots {
  private Snapshots() {}

  /**
   * The definitions recorded for a project version (of {@code project}, when not null).
   *
   * @return the definitions, empty when nothing was recorded
   */
  static List<FeatureDefinition> load(
      MetadataStore store, String version, @Nullable String project) {
    List<FeatureDefinition> defs;
    try {
      defs = new SystemTables(store).loadSnapshot(version);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    return project == null
        ? defs
        : defs.stream().filter(d -> d.project().equals(project)).toList();
  }

  /**
   * A graph of a snapshot's definitions; features the snapshot depends on but did not record (other
   * projects' features) come from {@code current}, marked external so that they never count as part of
   * the snapshot.
   */
  static FeatureGraph graph(List<FeatureDefinition> snapshot, FeatureGraph current) {
    List<FeatureDefinition> all = new ArrayList<>(snapshot);
    Set<String> have = new TreeSet<>();
    snapshot.forEach(d -> have.add(d.spec().key().toString()));
    Deque<FeatureDefinition> todo = new ArrayDeque<>(snapshot);
    while (!todo.isEmpty()) {
      for (var dep : todo.poll().spec().deps()) {
        FeatureDefinition d = current.find(dep.feature()).orElse(null);
        if (d != null && have.add(dep.feature().toString())) {
          FeatureDefinition ext = new FeatureDefinition(
              d.spec(),
              d.project(),
              d.featureSchema(),
              true,
              d.provenanceOverride(),
              d.className());
          all.add(ext);
          todo.add(ext);
        }
      }
    }
    return FeatureGraph.of(all);
  }

  /**
   * The graph of {@code --snapshot-id}.
   *
   * @throws CliFailure {@code SNAPSHOT_ERROR} when the version was never pushed
   */
  static FeatureGraph graph(
      MetadataStore store, String version, FeatureGraph current, boolean json) {
    List<FeatureDefinition> defs = load(store, version, null);
    if (defs.isEmpty()) {
      throw new StructuredError(
              StructuredError.Code.SNAPSHOT_ERROR,
              "No features recorded for snapshot " + version,
              null)
          .failure(json);
    }
    try {
      return graph(defs, current);
    } catch (RuntimeException e) {
      throw new StructuredError(
              StructuredError.Code.SNAPSHOT_LOAD_FAILED,
              "Failed to load snapshot: " + e.getMessage(),
              "Feature classes may have been moved or deleted.")
          .failure(json);
    }
  }

  /**
   * The project version of the most recent push of {@code project} (all projects when null), or null.
   * The most recent push, not the newest first push: after a revert, {@code latest} is the reverted-to
   * version.
   */
  static @Nullable String latest(MetadataStore store, @Nullable String project) {
    VectorSchemaRoot rows;
    try {
      rows = store.read(SystemTables.FEATURE_VERSIONS, ReadOptions.DEFAULT.featureHistory());
    } catch (SystemDataNotFoundException e) {
      return null;
    }
    try (rows) {
      String best = null;
      Instant bestAt = null;
      for (int i = 0; i < rows.getRowCount(); i++) {
        Object p = ArrowBatches.value(rows.getVector("project"), i);
        if (project != null && !project.equals(p)) {
          continue;
        }
        Instant at = (Instant) ArrowBatches.value(rows.getVector("recorded_at"), i);
        if (bestAt == null || (at != null && at.isAfter(bestAt))) {
          bestAt = at;
          best = String.valueOf(ArrowBatches.value(rows.getVector("metaxy_project_version"), i));
        }
      }
      return best;
    }
  }
}
