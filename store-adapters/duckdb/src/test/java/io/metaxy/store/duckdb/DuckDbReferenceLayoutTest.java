package io.metaxy.store.duckdb;

import static io.metaxy.store.LayoutFixture.CLIP;
import static io.metaxy.store.LayoutFixture.RAW;
import static io.metaxy.store.LayoutFixture.assertResolveMatches;
import static io.metaxy.store.LayoutFixture.change;
import static io.metaxy.store.LayoutFixture.graph;
import static io.metaxy.store.LayoutFixture.ids;
import static io.metaxy.store.LayoutFixture.pipeline;
import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.cell;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static io.metaxy.store.TestRows.rowOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.FeatureNotFoundException;
import io.metaxy.store.Increment;
import io.metaxy.store.LayoutFixture;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.SystemTables;
import io.metaxy.store.spi.ByFieldLayout;
import io.metaxy.versioning.HashAlgorithm;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables this store creates have the Python reference's default DuckDB layout (issue 21): the column
 * types and order its write path leaves, by-field columns as {@code STRUCT}s, so that the reference's
 * default engine, which reads them with struct-field access, finds what it expects. The resolve query
 * below is the shape the reference's Ibis engine runs on DuckDB, written out in SQL over our tables.
 */
@SuppressWarnings("try") // store scopes are held open, not referenced
class DuckDbReferenceLayoutTest {
  private static final String TSTZ = "TIMESTAMP WITH TIME ZONE";
  private static final String AUDIO_FRAMES = "STRUCT(audio VARCHAR, frames VARCHAR)";

  private final BufferAllocator allocator = new RootAllocator();

  @TempDir
  Path tmp;

  @AfterEach
  void close() {
    allocator.close();
  }

  private DuckDbMetadataStore store(String db, FeatureGraph graph, boolean map) {
    return new DuckDbMetadataStore(
        StoreOptions.of(graph)
            .allocator(allocator)
            .hashAlgorithm(HashAlgorithm.MD5)
            .enableMapDatatype(map),
        db);
  }

  private List<List<String>> sql(String db, String query) throws Exception {
    return LayoutFixture.rows("jdbc:duckdb:" + db, query);
  }

  private List<String> columns(String db, String table) throws Exception {
    return sql(
            db,
            "SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE table_name = '"
                + table + "' ORDER BY ordinal_position")
        .stream()
        .map(r -> r.get(0))
        .toList();
  }

  @Test
  void newTablesHaveTheReferenceColumnsTypesAndOrder() throws Exception {
    String db = tmp.resolve("layout.duckdb").toString();
    DuckDbMetadataStore s = store(db, graph(), false);
    try (var scope = s.open(AccessMode.WRITE)) {
      pipeline(s, 2, allocator);
      assertEquals(Optional.of(ByFieldLayout.STRUCT), s.byFieldLayout(RAW));
    }
    // A root feature written with its ids and provenance_by_field: the order _add_system_columns
    // leaves.
    assertEquals(
        List.of(
            "video_id VARCHAR",
            "metaxy_provenance_by_field " + AUDIO_FRAMES,
            "metaxy_feature_version VARCHAR",
            "metaxy_project_version VARCHAR",
            "metaxy_provenance VARCHAR",
            "metaxy_created_at " + TSTZ,
            "metaxy_updated_at " + TSTZ,
            "metaxy_deleted_at " + TSTZ,
            "metaxy_materialization_id VARCHAR",
            "metaxy_data_version_by_field " + AUDIO_FRAMES,
            "metaxy_data_version VARCHAR"),
        columns(db, "video__raw"));
    // A downstream feature written from resolve_update's rows: the engine's columns, then the
    // versions moved to the end and the rest appended; struct children in spec order.
    String clipStruct = "STRUCT(audio VARCHAR, summary VARCHAR)";
    assertEquals(
        List.of(
            "video_id VARCHAR",
            "metaxy_provenance_by_field " + clipStruct,
            "metaxy_provenance VARCHAR",
            "metaxy_data_version_by_field " + clipStruct,
            "metaxy_data_version VARCHAR",
            "metaxy_feature_version VARCHAR",
            "metaxy_project_version VARCHAR",
            "metaxy_created_at " + TSTZ,
            "metaxy_updated_at " + TSTZ,
            "metaxy_deleted_at " + TSTZ,
            "metaxy_materialization_id VARCHAR"),
        columns(db, "video__clip"));
  }

  /** The reference's schema of the system table (`metadata_store/system/models.py`): naive `Datetime("us")` timestamps. */
  @Test
  void theFeatureVersionsTableHasTheReferenceColumns() throws Exception {
    String db = tmp.resolve("system.duckdb").toString();
    DuckDbMetadataStore s = store(db, graph(), false);
    try (var scope = s.open(AccessMode.WRITE)) {
      SystemTables system = new SystemTables(s);
      String version = system.pushGraphSnapshot("p", Map.of()).projectVersion();
      try (VectorSchemaRoot snapshots = system.readGraphSnapshots("p")) {
        assertEquals(1, snapshots.getRowCount(), "the snapshot reads back");
      }
      assertEquals(2, system.loadSnapshot(version).size());
    }
    assertEquals(
        List.of(
            "project VARCHAR",
            "feature_key VARCHAR",
            "metaxy_feature_version VARCHAR",
            "metaxy_definition_version VARCHAR",
            "recorded_at TIMESTAMP",
            "feature_spec VARCHAR",
            "feature_schema VARCHAR",
            "feature_class_path VARCHAR",
            "metaxy_project_version VARCHAR",
            "tags VARCHAR",
            "deleted_at TIMESTAMP"),
        columns(db, "metaxy_system__feature_versions"));

    // A system table created by earlier versions (TIMESTAMPTZ) takes the same pushes and reads as
    // UTC.
    String legacy = tmp.resolve("system-legacy.duckdb").toString();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + legacy);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE metaxy_system__feature_versions (project VARCHAR, feature_key VARCHAR,"
              + " metaxy_feature_version VARCHAR, metaxy_definition_version VARCHAR, recorded_at TIMESTAMPTZ, feature_spec VARCHAR,"
              + " feature_schema VARCHAR, feature_class_path VARCHAR, metaxy_project_version VARCHAR, tags VARCHAR,"
              + " deleted_at TIMESTAMPTZ)");
    }
    DuckDbMetadataStore old = store(legacy, graph(), false);
    Instant before = Instant.now().minusSeconds(1);
    try (var scope = old.open(AccessMode.WRITE)) {
      SystemTables system = new SystemTables(old);
      system.pushGraphSnapshot("p", Map.of());
      try (VectorSchemaRoot snapshots = system.readGraphSnapshots("p")) {
        Instant at = (Instant) cell(snapshots, "recorded_at", 0);
        Assertions.assertTrue(
            at.isAfter(before) && at.isBefore(before.plusSeconds(60)), at + " is now");
      }
    }
  }

  @Test
  void mapLayoutIsTheEnableMapDatatypeOption() throws Exception {
    String db = tmp.resolve("map.duckdb").toString();
    DuckDbMetadataStore s = store(db, graph(), true);
    try (var scope = s.open(AccessMode.WRITE)) {
      pipeline(s, 2, allocator);
      assertEquals(Optional.of(ByFieldLayout.MAP), s.byFieldLayout(CLIP));
    }
    assertEquals(
        List.of(
            List.of("metaxy_provenance_by_field", "MAP(VARCHAR, VARCHAR)"),
            List.of("metaxy_data_version_by_field", "MAP(VARCHAR, VARCHAR)")),
        sql(
            db,
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'video__raw'"
                + " AND column_name LIKE '%by_field' ORDER BY ordinal_position"));
    // A store without the option appends to a MAP table as it is (no migration forced).
    DuckDbMetadataStore plain = store(db, graph(), false);
    try (var scope = plain.open(AccessMode.WRITE);
        VectorSchemaRoot b = batch(
            allocator,
            row(
                "video_id",
                "v3",
                "metaxy_provenance_by_field",
                pbf("audio", "a3", "frames", "f3")))) {
      plain.write(RAW, b);
      try (Increment inc = plain.resolveUpdate(CLIP)) {
        assertEquals(1, inc.newSamples().getRowCount());
      }
      assertEquals(Optional.of(ByFieldLayout.MAP), plain.byFieldLayout(RAW));
    }
    assertEquals(
        List.of(List.of("a3")),
        sql(
            db,
            "SELECT metaxy_provenance_by_field['audio'] FROM video__raw WHERE video_id = 'v3'"));
  }

  /**
   * The reference's default engine reads by-field values with struct-field access, and its resolve on
   * DuckDB is one query: latest current-version row per id of each upstream, a join, the field strings
   * {@code key|code_version|fq(parent)|value...} hashed and truncated, compared with the target's rows.
   * Written over our tables, that query finds exactly what our resolve finds, and the provenance our
   * engine stored equals the one it computes.
   */
  @Test
  void theReferenceResolveQueryShapeRunsOnOurTables() throws Exception {
    String db = tmp.resolve("query.duckdb").toString();
    DuckDbMetadataStore s = store(db, graph(), false);
    String rawVersion;
    String clipVersion;
    try (var scope = s.open(AccessMode.WRITE)) {
      pipeline(s, 3, allocator);
      rawVersion = s.featureVersion(RAW);
      clipVersion = s.featureVersion(CLIP);
      change(s, allocator); // v2's frames change (stale: summary), v4 is new
    }
    assertEquals(
        List.of(List.of("a1", "f1")),
        sql(
            db,
            "SELECT metaxy_provenance_by_field.audio, struct_extract(metaxy_data_version_by_field, 'frames') FROM video__raw"
                + " WHERE video_id = 'v1'"));

    String latest = "SELECT * FROM %s WHERE metaxy_feature_version = '%s'"
        + " QUALIFY row_number() OVER (PARTITION BY video_id ORDER BY coalesce(metaxy_deleted_at, metaxy_updated_at) DESC) = 1";
    String expected = "WITH up AS (" + latest.formatted("video__raw", rawVersion) + "), "
        + "fields AS (SELECT video_id, "
        + "left(md5('audio|2|video/raw.audio|' || struct_extract(metaxy_data_version_by_field, 'audio')), 8) AS audio, "
        + "left(md5('summary|1|video/raw.audio|' || struct_extract(metaxy_data_version_by_field, 'audio')"
        + " || '|video/raw.frames|' || struct_extract(metaxy_data_version_by_field, 'frames')), 8) AS summary "
        + "FROM up WHERE metaxy_deleted_at IS NULL), "
        + "expected AS (SELECT video_id, struct_pack(audio := audio, summary := summary) AS metaxy_provenance_by_field,"
        + " left(md5(audio || '|' || summary), 8) AS metaxy_provenance FROM fields), "
        + "current AS (" + latest.formatted("video__clip", clipVersion) + ") ";
    List<List<String>> status = sql(
        db,
        expected
            + "SELECT e.video_id, CASE WHEN c.video_id IS NULL THEN 'new' WHEN c.metaxy_provenance <> e.metaxy_provenance"
            + " THEN 'stale' ELSE 'current' END FROM expected e LEFT JOIN current c USING (video_id) ORDER BY e.video_id");
    assertEquals(
        List.of(
            List.of("v1", "current"),
            List.of("v2", "stale"),
            List.of("v3", "current"),
            List.of("v4", "new")),
        status);
    // Field by field, the stored structs equal the reference's: unchanged rows completely.
    assertEquals(
        List.of(List.of("v1", "true", "true"), List.of("v3", "true", "true")),
        sql(
            db,
            expected
                + "SELECT e.video_id, (c.metaxy_provenance_by_field = e.metaxy_provenance_by_field)::VARCHAR,"
                + " (c.metaxy_data_version_by_field.summary = e.metaxy_provenance_by_field.summary)::VARCHAR"
                + " FROM expected e JOIN current c USING (video_id) WHERE e.video_id IN ('v1', 'v3') ORDER BY 1"));

    Map<String, String> theirs = new TreeMap<>();
    for (List<String> r : sql(
        db,
        expected
            + "SELECT video_id, metaxy_provenance FROM expected WHERE video_id IN ('v2', 'v4')")) {
      theirs.put(r.get(0), r.get(1));
    }
    // Our new and stale rows carry the provenance the reference's query computes.
    assertResolveMatches(s, theirs);
  }

  /**
   * A feature version that adds a field and drops one: the struct gains a child (older rows read it as
   * NULL) and keeps the dropped one (newer rows have NULL there); every row stays readable.
   */
  @Test
  void fieldSetChangesWidenTheStructAndKeepOlderRowsReadable() throws Exception {
    String db = tmp.resolve("fields.duckdb").toString();
    DuckDbMetadataStore v1 = store(db, graph(), false);
    String oldVersion;
    try (var scope = v1.open(AccessMode.WRITE)) {
      pipeline(v1, 2, allocator);
      oldVersion = v1.featureVersion(RAW);
    }
    // raw's frames are gone, text is new (clip's summary depends on every raw field).
    DuckDbMetadataStore v2 = store(db, graph("audio", "1", "text", "1"), false);
    try (var scope = v2.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot b = batch(
          allocator,
          row("video_id", "v1", "metaxy_provenance_by_field", pbf("audio", "a1", "text", "t1")))) {
        v2.write(RAW, b);
      }
      try (VectorSchemaRoot r = v2.read(RAW)) {
        assertEquals(1, r.getRowCount());
        assertEquals(Map.of("audio", "a1", "text", "t1"), cell(r, "metaxy_provenance_by_field", 0));
      }
      try (VectorSchemaRoot r =
          v2.read(RAW, ReadOptions.DEFAULT.featureHistory().featureVersion(oldVersion))) {
        assertEquals(2, r.getRowCount());
        assertEquals(
            "a2",
            ((Map<?, ?>) cell(r, "metaxy_provenance_by_field", rowOf(r, "video_id", "v2")))
                .get("audio"));
      }
      try (Increment inc = v2.resolveUpdate(CLIP)) {
        assertEquals(
            List.of("v1"), ids(inc.newSamples()), "clip's version changed with raw's fields");
        v2.write(CLIP, inc.newSamples());
      }
    }
    assertEquals(
        "metaxy_provenance_by_field STRUCT(audio VARCHAR, frames VARCHAR, \"text\" VARCHAR)",
        columns(db, "video__raw").get(1));
    assertEquals(
        List.of(
            Arrays.asList("v1", "f1", null),
            Arrays.asList("v1", null, "t1"),
            Arrays.asList("v2", "f2", null)),
        sql(
            db,
            "SELECT video_id, metaxy_provenance_by_field.frames, metaxy_data_version_by_field.\"text\" FROM video__raw"
                + " ORDER BY video_id, metaxy_created_at"));
    // The older version's rows still resolve as they did for a store on the older graph.
    try (var scope = v1.open(AccessMode.READ);
        Increment inc = v1.resolveUpdate(CLIP)) {
      assertEquals(0, inc.newSamples().getRowCount() + inc.stale().getRowCount());
    }
  }

  @Test
  void convertsTablesBetweenLayoutsWithoutLosingAValue() throws Exception {
    String db = tmp.resolve("convert.duckdb").toString();
    DuckDbMetadataStore map = store(db, graph(), true);
    try (var scope = map.open(AccessMode.WRITE)) {
      pipeline(map, 3, allocator);
    }
    // A row of another feature version, with a key the current spec lacks.
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO video__raw (video_id, metaxy_provenance_by_field, metaxy_feature_version, metaxy_updated_at)"
              + " VALUES ('old', MAP {'audio': 'ao', 'legacy': 'lo'}, 'oldversion', '2020-01-01 00:00:00+00')");
    }
    DuckDbMetadataStore s = store(db, graph(), false);
    List<String> before = snapshot(s);
    try (var scope = s.open(AccessMode.WRITE)) {
      assertEquals(4, s.convertLayout(RAW, ByFieldLayout.STRUCT));
      assertEquals(3, s.convertLayout(CLIP, ByFieldLayout.STRUCT));
      assertEquals(3, s.convertLayout(CLIP, ByFieldLayout.STRUCT), "a no-op the second time");
      assertEquals(Optional.of(ByFieldLayout.STRUCT), s.byFieldLayout(RAW));
      assertThrows(
          FeatureNotFoundException.class,
          () -> s.convertLayout(FeatureKey.of("video/none"), ByFieldLayout.MAP));
    }
    assertEquals(
        "metaxy_provenance_by_field STRUCT(audio VARCHAR, frames VARCHAR, legacy VARCHAR)",
        columns(db, "video__raw").get(1));
    assertEquals(
        List.of(Arrays.asList("ao", null, "lo")),
        sql(
            db,
            "SELECT metaxy_provenance_by_field.audio, metaxy_provenance_by_field.frames, metaxy_provenance_by_field.legacy"
                + " FROM video__raw WHERE video_id = 'old'"));
    assertEquals(before, snapshot(s));
    try (var scope = s.open(AccessMode.WRITE)) {
      s.convertLayout(RAW, ByFieldLayout.MAP);
    }
    assertEquals(
        List.of(List.of("{audio=ao, legacy=lo}")),
        sql(db, "SELECT metaxy_provenance_by_field FROM video__raw WHERE video_id = 'old'"));
    assertEquals(before, snapshot(s));
  }

  /** What a reader sees: every row of both tables and the resolve's answer. */
  private List<String> snapshot(DuckDbMetadataStore s) {
    List<String> out = new ArrayList<>();
    try (var scope = s.open(AccessMode.READ)) {
      for (FeatureKey k : List.of(RAW, CLIP)) {
        try (VectorSchemaRoot r = s.read(k, ReadOptions.DEFAULT.sampleHistory())) {
          out.add(r.contentToTSVString());
        }
      }
      try (Increment inc = s.resolveUpdate(CLIP)) {
        out.add(inc.newCount() + "/" + inc.staleCount() + "/" + inc.orphanedCount());
      }
    }
    return out;
  }
}
