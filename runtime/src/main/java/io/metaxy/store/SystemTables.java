package io.metaxy.store;

import io.metaxy.FeatureKey;
import io.metaxy.json.CanonicalJson;
import io.metaxy.json.Json;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.SpecJson;
import io.metaxy.store.support.ArrowBatches;
import io.metaxy.versioning.DefinitionVersions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;

/**
 * The {@code metaxy_system__feature_versions} table (store spec §2.4): graph snapshots pushed by
 * {@link #pushGraphSnapshot}, read back as snapshots or feature definitions. The store must be open
 * (in write mode for pushes).
 */
public final class SystemTables {
  /** The version recorded in the reserved {@code metaxy} tag. */
  public static final String METAXY_VERSION = "0.1.0-java";

  /** The first key part of system tables. */
  public static final String SYSTEM_PART = "metaxy-system";

  /** The feature-versions system table ({@code metaxy_system__feature_versions}). */
  public static final FeatureKey FEATURE_VERSIONS =
      new FeatureKey(List.of(SYSTEM_PART, "feature_versions"));

  /** The events system table (reserved; nothing writes it yet). */
  public static final FeatureKey EVENTS = new FeatureKey(List.of(SYSTEM_PART, "events"));

  /** Whether a key names a system table. */
  public static boolean isSystem(FeatureKey key) {
    return key.parts().get(0).equals(SYSTEM_PART);
  }

  private final MetadataStore store;

  /** System-table access through an (open) store. */
  public SystemTables(MetadataStore store) {
    this.store = store;
  }

  /**
   * The result of a push.
   *
   * @param projectVersion the pushed project version
   * @param alreadyPushed whether the latest snapshot of the project already had this version
   * @param updatedFeatures when already pushed, the features whose definitions changed and were
   *     recorded again (sorted); otherwise empty
   */
  public record PushResult(
      String projectVersion, boolean alreadyPushed, List<String> updatedFeatures) {}

  /**
   * Records the active graph's features of a project (spec §2.4 push algorithm).
   *
   * @param project the project, or {@code null} when the graph has exactly one project
   * @param tags user tags merged into the {@code tags} JSON ({@code metaxy} is reserved)
   * @throws IllegalArgumentException when the project cannot be inferred or a tag is reserved
   */
  public PushResult pushGraphSnapshot(@Nullable String project, Map<String, String> tags) {
    // Read, compare, write as one operation of the store: two pushes from threads sharing it record
    // once.
    return store.locked(() -> push(project, tags));
  }

  private PushResult push(@Nullable String project, Map<String, String> tags) {
    if (tags.containsKey("metaxy")) {
      throw new IllegalArgumentException("tag \"metaxy\" is reserved");
    }
    List<FeatureDefinition> defs = new ArrayList<>();
    if (project == null) {
      project = onlyProject();
    }
    for (FeatureDefinition d : store.graph().definitions()) {
      if (!d.external() && d.project().equals(project)) {
        defs.add(d);
      }
    }
    if (defs.isEmpty()) {
      throw new IllegalArgumentException("project " + project + " has no features in the graph");
    }
    defs.sort(Comparator.comparing(d -> d.spec().key()));
    String pv = store.graph().projectVersion(project, store.truncation());
    List<Map<String, @Nullable Object>> recorded = rows(project);
    String latest = null;
    Instant latestAt = null;
    for (Map<String, @Nullable Object> r : recorded) {
      Instant at = (Instant) r.get("recorded_at");
      if (latestAt == null || (at != null && at.isAfter(latestAt))) {
        latestAt = at;
        latest = (String) r.get("metaxy_project_version");
      }
    }
    boolean already = pv.equals(latest);
    Map<String, String> pushedDefinition = new TreeMap<>();
    if (already) {
      Map<String, @Nullable Instant> at = new TreeMap<>();
      for (Map<String, @Nullable Object> r : recorded) {
        if (pv.equals(r.get("metaxy_project_version"))) {
          String k = text(r, "feature_key");
          Instant t = (Instant) r.get("recorded_at");
          // A row without a time is tolerated, as in the scan above, until two rows of its key must
          // be ordered.
          if (!at.containsKey(k) || !Objects.requireNonNull(t, "recorded_at").isBefore(at.get(k))) {
            at.put(k, t);
            pushedDefinition.put(k, (String) r.get("metaxy_definition_version"));
          }
        }
      }
    }
    Map<String, String> tagMap = new TreeMap<>(tags);
    tagMap.put("metaxy", CanonicalJson.write(Map.of("version", METAXY_VERSION)));
    String tagJson = CanonicalJson.write(tagMap);
    List<Map<String, Object>> out = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    for (FeatureDefinition d : defs) {
      String key = d.spec().key().toString();
      String dv = DefinitionVersions.definitionVersion(d, store.truncation());
      if (already && dv.equals(pushedDefinition.get(key))) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("project", project);
      row.put("feature_key", key);
      row.put(
          "metaxy_feature_version",
          store.graph().versions(store.truncation()).featureVersion(d.spec().key()));
      row.put("metaxy_definition_version", dv);
      row.put("feature_spec", CanonicalJson.write(SpecJson.toTree(d.spec())));
      row.put("feature_schema", CanonicalJson.write(d.featureSchema()));
      row.put("feature_class_path", d.className() == null ? "" : d.className());
      row.put("metaxy_project_version", pv);
      row.put("tags", tagJson);
      out.add(row);
      updated.add(key);
    }
    if (!out.isEmpty()) {
      try (VectorSchemaRoot b = batch(out)) {
        store.write(SystemTables.FEATURE_VERSIONS, b);
      }
    }
    return new PushResult(pv, already, already ? updated : List.of());
  }

  private VectorSchemaRoot batch(List<Map<String, Object>> rows) {
    var a = store.allocator();
    List<FieldVector> vs = new ArrayList<>();
    for (String c :
        List.of("project", "feature_key", "metaxy_feature_version", "metaxy_definition_version")) {
      vs.add(ArrowBatches.strings(c, rows.stream().map(r -> (String) r.get(c)).toList(), a));
    }
    long now = store
        .stamping()
        .nextTimestamp(); // strictly increasing per store, so snapshots order by push
    // The reference's schema of this table has naive timestamps here (pl.Datetime("us"),
    // metadata_store/system/models.py): UTC wall clock, as the table it would create holds them.
    vs.add(ArrowBatches.utcWallClockTimestamps(
        "recorded_at", rows.stream().map(r -> now).toList(), a));
    for (String c : List.of(
        "feature_spec", "feature_schema", "feature_class_path", "metaxy_project_version", "tags")) {
      vs.add(ArrowBatches.strings(c, rows.stream().map(r -> (String) r.get(c)).toList(), a));
    }
    List<@Nullable Long> nulls = new ArrayList<>();
    rows.forEach(r -> nulls.add(null));
    vs.add(ArrowBatches.utcWallClockTimestamps("deleted_at", nulls, a));
    return ArrowBatches.of(vs, rows.size());
  }

  /** Every recorded row of a project (all projects when null), as maps; empty before any push. */
  List<Map<String, @Nullable Object>> rows(@Nullable String project) {
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    VectorSchemaRoot r;
    try {
      r = store.read(SystemTables.FEATURE_VERSIONS, ReadOptions.DEFAULT.featureHistory());
    } catch (SystemDataNotFoundException e) {
      return out;
    }
    try (r) {
      for (int i = 0; i < r.getRowCount(); i++) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        for (FieldVector v : r.getFieldVectors()) {
          m.put(v.getName(), ArrowBatches.value(v, i));
        }
        if (project == null || project.equals(m.get("project"))) {
          out.add(m);
        }
      }
    }
    return out;
  }

  /**
   * The snapshots of a project (of every project when {@code project} is null): {@code
   * metaxy_project_version}, {@code recorded_at} (first push of that version) and {@code feature_count},
   * newest first; empty (with that schema) before any push.
   */
  public VectorSchemaRoot readGraphSnapshots(@Nullable String project) {
    Map<String, Instant> first = new LinkedHashMap<>();
    Map<String, Set<String>> features = new LinkedHashMap<>();
    for (Map<String, @Nullable Object> r : rows(project)) {
      String pv = (String) r.get("metaxy_project_version");
      Instant at = recordedAt(r);
      first.merge(pv, at, (x, y) -> x.isBefore(y) ? x : y);
      features.computeIfAbsent(pv, k -> new TreeSet<>()).add((String) r.get("feature_key"));
    }
    List<String> order = new ArrayList<>(first.keySet());
    order.sort(Comparator.comparing((String pv) -> first.get(pv))
        .reversed()
        .thenComparing(Comparator.naturalOrder()));
    var a = store.allocator();
    BigIntVector counts = new BigIntVector("feature_count", a);
    counts.allocateNew(order.size());
    for (int i = 0; i < order.size(); i++) {
      // Each row put its version into both maps, and order holds their keys.
      counts.set(i, Objects.requireNonNull(features.get(order.get(i))).size());
    }
    List<FieldVector> vs = new ArrayList<>();
    vs.add(ArrowBatches.strings("metaxy_project_version", order, a));
    vs.add(ArrowBatches.timestamps(
        "recorded_at",
        order.stream().map(pv -> micros(Objects.requireNonNull(first.get(pv)))).toList(),
        a));
    vs.add(counts);
    return ArrowBatches.of(vs, order.size());
  }

  /**
   * The recorded features of one snapshot: the latest row per {@code feature_key} among the rows with
   * {@code metaxy_project_version == projectVersion}, sorted by key; empty (same columns) when none.
   *
   * @param projectVersion the snapshot, or {@code null} for the active graph's version of {@code project}
   * @param project the project, or {@code null} when the graph has exactly one
   */
  public VectorSchemaRoot readFeatures(@Nullable String projectVersion, @Nullable String project) {
    if (projectVersion == null) {
      project = project != null ? project : onlyProject();
      projectVersion = store.graph().projectVersion(project, store.truncation());
    }
    VectorSchemaRoot all;
    try {
      all = store.read(SystemTables.FEATURE_VERSIONS, ReadOptions.DEFAULT.featureHistory());
    } catch (SystemDataNotFoundException e) {
      return batch(List.of());
    }
    try (all) {
      FieldVector pv = ArrowBatches.column(all, "metaxy_project_version", "feature_versions");
      FieldVector proj = ArrowBatches.column(all, "project", "feature_versions");
      FieldVector key = ArrowBatches.column(all, "feature_key", "feature_versions");
      FieldVector at = ArrowBatches.column(all, "recorded_at", "feature_versions");
      Map<String, Integer> latest = new TreeMap<>();
      for (int r = 0; r < all.getRowCount(); r++) {
        if (!projectVersion.equals(ArrowBatches.value(pv, r))
            || (project != null && !project.equals(ArrowBatches.value(proj, r)))) {
          continue;
        }
        String k = (String) ArrowBatches.value(key, r);
        Integer prev = latest.get(k);
        if (prev == null || recordedMicros(at, r) >= recordedMicros(at, prev)) {
          latest.put(k, r);
        }
      }
      return ArrowBatches.take(
          all, latest.values().stream().mapToInt(Integer::intValue).toArray(), store.allocator());
    }
  }

  private String onlyProject() {
    Set<String> projects = new TreeSet<>();
    for (FeatureDefinition d : store.graph().definitions()) {
      if (!d.external()) {
        projects.add(d.project());
      }
    }
    if (projects.size() != 1) {
      throw new IllegalArgumentException(
          "cannot infer the project: the graph has projects " + projects + "; name one");
    }
    return projects.iterator().next();
  }

  /** The project version recorded for a feature at a feature version, or {@code null}. */
  @Nullable
  String projectVersionOf(FeatureKey key, String featureVersion) {
    for (Map<String, @Nullable Object> r : rows(null)) {
      if (key.toString().equals(r.get("feature_key"))
          && featureVersion.equals(r.get("metaxy_feature_version"))) {
        return (String) r.get("metaxy_project_version");
      }
    }
    return null;
  }

  /**
   * The feature definitions recorded in a snapshot (latest row per feature).
   *
   * @throws IllegalArgumentException when nothing was recorded for it
   */
  public List<FeatureDefinition> loadSnapshot(String projectVersion) {
    Map<String, Map<String, @Nullable Object>> latest = new TreeMap<>();
    for (Map<String, @Nullable Object> r : rows(null)) {
      if (projectVersion.equals(r.get("metaxy_project_version"))) {
        latest.merge(
            text(r, "feature_key"), r, (x, y) -> recordedAt(y).isBefore(recordedAt(x)) ? x : y);
      }
    }
    if (latest.isEmpty()) {
      throw new IllegalArgumentException("No features recorded for snapshot " + projectVersion);
    }
    List<FeatureDefinition> out = new ArrayList<>();
    for (Map<String, @Nullable Object> r : latest.values()) {
      out.add(definitionOf(r));
    }
    return out;
  }

  /**
   * The latest recorded definition (by {@code recorded_at}, across every snapshot and project) of each
   * feature the selection matches, sorted by key (store spec §1.16 {@code resolve_selection}). The
   * selection is applied after picking the latest row, so a feature whose latest row belongs to
   * another project is not selected by its old project. Keys never recorded are silently omitted;
   * nothing recorded yet gives an empty list.
   */
  public List<FeatureDefinition> resolveSelection(FeatureSelection selection) {
    Objects.requireNonNull(selection, "selection");
    Map<FeatureKey, Map<String, @Nullable Object>> latest = new TreeMap<>();
    for (Map<String, @Nullable Object> r : rows(null)) {
      // Equal timestamps: the later row of the scan (the later append) wins, as for feature reads.
      latest.merge(
          FeatureKey.of(text(r, "feature_key")),
          r,
          (x, y) -> recordedAt(y).isBefore(recordedAt(x)) ? x : y);
    }
    List<FeatureDefinition> out = new ArrayList<>();
    latest.forEach((key, r) -> {
      if (selection.matches(text(r, "project"), key)) {
        out.add(definitionOf(r));
      }
    });
    return out;
  }

  /** A feature definition rebuilt from a {@code feature_versions} row. */
  private static FeatureDefinition definitionOf(Map<String, @Nullable Object> r) {
    Object schema =
        Json.parse(text(r, "feature_schema"), "feature_schema of " + r.get("feature_key"));
    @SuppressWarnings("unchecked")
    Map<String, Object> schemaMap = schema instanceof Map ? (Map<String, Object>) schema : Map.of();
    String cls = (String) r.get("feature_class_path");
    return new FeatureDefinition(
        SpecJson.specFromTree(
            Json.parse(text(r, "feature_spec"), "feature_spec of " + r.get("feature_key"))),
        text(r, "project"),
        schemaMap,
        false,
        Map.of(),
        cls == null || cls.isEmpty() ? null : cls);
  }

  // The columns below are written on every row by a push, here and by the reference implementation;
  // a null would be a corrupt table, reported as such rather than later as a bare
  // NullPointerException.

  private static String text(Map<String, @Nullable Object> row, String column) {
    return (String)
        Objects.requireNonNull(row.get(column), () -> "feature_versions row without " + column);
  }

  private static Instant recordedAt(Map<String, @Nullable Object> row) {
    return (Instant)
        Objects.requireNonNull(row.get("recorded_at"), "feature_versions row without recorded_at");
  }

  private static long recordedMicros(FieldVector recordedAt, int row) {
    return Objects.requireNonNull(
        ArrowBatches.micros(recordedAt, row), "feature_versions row without recorded_at");
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
