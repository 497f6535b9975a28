package io.metaxy.cli;

import io.metaxy.MetaxyException;
import io.metaxy.json.Json;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.SpecJson;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.SystemDataNotFoundException;
import io.metaxy.store.SystemTables;
import io.metaxy.store.support.ArrowBatches;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;

/**
 * The latest pushed definition of each feature in a store's {@code feature_versions} system table (the
 * view {@code --sync} and {@code mx lock} use, CLI spec §4.4–§4.5): rows sorted by {@code recorded_at},
 * the newest per feature key, across all project versions.
 */
final class StoredDefinitions {
  private StoredDefinitions() {}

  /**
   * One stored feature.
   *
   * @param definition the definition rebuilt from the row (not external)
   * @param featureVersion the recorded {@code metaxy_feature_version} (null when the row has none)
   * @param definitionVersion the recorded {@code metaxy_definition_version} (null when the row has none)
   * @param recordedAt when it was pushed (null when the row has no time)
   */
  record Stored(
      FeatureDefinition definition,
      @Nullable String featureVersion,
      @Nullable String definitionVersion,
      @Nullable Instant recordedAt) {}

  /**
   * The newest row per feature key among the rows whose project passes {@code projects}, by key. Rows
   * that cannot be read back are skipped with a warning on {@code err}. Empty before any push. The store
   * must be open.
   */
  static Map<String, Stored> latest(
      MetadataStore store, Predicate<String> projects, PrintWriter err) {
    Map<String, Stored> out = new TreeMap<>();
    VectorSchemaRoot rows;
    try {
      rows = store.read(SystemTables.FEATURE_VERSIONS, ReadOptions.DEFAULT.featureHistory());
    } catch (SystemDataNotFoundException e) {
      return out;
    }
    try (rows) {
      for (int i = 0; i < rows.getRowCount(); i++) {
        String project = string(rows, "project", i);
        String key = string(rows, "feature_key", i);
        if (project == null || key == null || !projects.test(project)) {
          continue;
        }
        Instant at = (Instant) ArrowBatches.value(rows.getVector("recorded_at"), i);
        Stored previous = out.get(key);
        if (previous != null && at != null && !at.isAfter(previous.recordedAt())) {
          continue;
        }
        try {
          Object schema =
              Json.parse(required(rows, "feature_schema", i), "feature_schema of " + key);
          @SuppressWarnings("unchecked")
          Map<String, Object> schemaMap =
              schema instanceof Map ? (Map<String, Object>) schema : Map.of();
          String cls = string(rows, "feature_class_path", i);
          FeatureDefinition d = new FeatureDefinition(
              SpecJson.specFromTree(
                  Json.parse(required(rows, "feature_spec", i), "feature_spec of " + key)),
              project,
              schemaMap,
              false,
              Map.of(),
              cls == null || cls.isEmpty() ? null : cls);
          out.put(
              key,
              new Stored(
                  d,
                  string(rows, "metaxy_feature_version", i),
                  string(rows, "metaxy_definition_version", i),
                  at));
        } catch (MetaxyException | IllegalArgumentException e) {
          err.println("Warning: skipping stored definition of " + key + " (project " + project
              + "): " + e.getMessage());
        }
      }
    }
    return out;
  }

  /** A column the row cannot be read back without: a null one skips the row, as a malformed value does. */
  private static String required(VectorSchemaRoot rows, String column, int row) {
    String s = string(rows, column, row);
    if (s == null) {
      throw new IllegalArgumentException(column + " is null");
    }
    return s;
  }

  private static @Nullable String string(VectorSchemaRoot rows, String column, int row) {
    FieldVector v = rows.getVector(column);
    Object o = v == null ? null : ArrowBatches.value(v, row);
    return o == null ? null : o.toString();
  }
}
