package io.metaxy.store.postgres;

import static io.metaxy.store.LayoutFixture.CLIP;
import static io.metaxy.store.LayoutFixture.RAW;
import static io.metaxy.store.LayoutFixture.assertResolveMatches;
import static io.metaxy.store.LayoutFixture.change;
import static io.metaxy.store.LayoutFixture.graph;
import static io.metaxy.store.LayoutFixture.pipeline;
import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.cell;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.LayoutFixture;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.SystemTables;
import io.metaxy.store.spi.ByFieldLayout;
import io.metaxy.versioning.HashAlgorithm;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tables this store creates have the layout of the reference's PostgreSQL store (issue 21): the columns
 * its write path leaves, in its order, strings as {@code varchar} and timestamps as {@code timestamptz}
 * (what Ibis creates), by-field columns as {@code jsonb} objects (its {@code dt.JSON(binary=True)}), and
 * no column of ours. The reference reads those objects back as structs; here the same values are read
 * with PostgreSQL's JSON operators and the resolve is recomputed in SQL.
 */
@SuppressWarnings("try") // store scopes are held open, not referenced
@ExtendWith(PostgresServer.class)
class PostgresReferenceLayoutTest {
  private static final String TSTZ = "timestamp with time zone";

  private final BufferAllocator allocator = new RootAllocator();
  private String url;

  @BeforeEach
  void schema() {
    url = PostgresServer.freshSchema();
  }

  @AfterEach
  void close() {
    PostgresServer.dropSchema(url);
    allocator.close();
  }

  private PostgresMetadataStore store(FeatureGraph graph) {
    return new PostgresMetadataStore(
        StoreOptions.of(graph).allocator(allocator).hashAlgorithm(HashAlgorithm.MD5), url);
  }

  private List<List<String>> sql(String query) throws Exception {
    return LayoutFixture.rows(url, query);
  }

  private List<String> columns(String table) throws Exception {
    return sql(
            "SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE table_schema = current_schema()"
                + " AND table_name = '" + table + "' ORDER BY ordinal_position")
        .stream()
        .map(r -> r.get(0))
        .toList();
  }

  @Test
  void newTablesHaveTheReferenceColumnsTypesAndOrder() throws Exception {
    PostgresMetadataStore s = store(graph());
    try (var scope = s.open(AccessMode.WRITE)) {
      pipeline(s, 2, allocator);
      assertEquals(Optional.of(ByFieldLayout.STRUCT), s.byFieldLayout(RAW));
    }
    String varchar = " character varying";
    assertEquals(
        List.of(
            "video_id" + varchar,
            "metaxy_provenance_by_field jsonb",
            "metaxy_feature_version" + varchar,
            "metaxy_project_version" + varchar,
            "metaxy_provenance" + varchar,
            "metaxy_created_at " + TSTZ,
            "metaxy_updated_at " + TSTZ,
            "metaxy_deleted_at " + TSTZ,
            "metaxy_materialization_id" + varchar,
            "metaxy_data_version_by_field jsonb",
            "metaxy_data_version" + varchar),
        columns("video__raw"));
    assertEquals(
        List.of(
            "video_id" + varchar,
            "metaxy_provenance_by_field jsonb",
            "metaxy_provenance" + varchar,
            "metaxy_data_version_by_field jsonb",
            "metaxy_data_version" + varchar,
            "metaxy_feature_version" + varchar,
            "metaxy_project_version" + varchar,
            "metaxy_created_at " + TSTZ,
            "metaxy_updated_at " + TSTZ,
            "metaxy_deleted_at " + TSTZ,
            "metaxy_materialization_id" + varchar),
        columns("video__clip"));
    // JSON objects of one string per field (jsonb orders keys itself), what the reference writes
    // with struct.json_encode.
    assertEquals(
        List.of(List.of("object", "{\"audio\": \"a1\", \"frames\": \"f1\"}")),
        sql(
            "SELECT jsonb_typeof(metaxy_provenance_by_field), metaxy_provenance_by_field::text FROM video__raw WHERE video_id = 'v1'"));
  }

  /** The reference's schema of the system table (`metadata_store/system/models.py`): naive `Datetime("us")` timestamps. */
  @Test
  void theFeatureVersionsTableHasTheReferenceColumns() throws Exception {
    PostgresMetadataStore s = store(graph());
    try (var scope = s.open(AccessMode.WRITE)) {
      SystemTables system = new SystemTables(s);
      String version = system.pushGraphSnapshot("p", Map.of()).projectVersion();
      assertEquals(2, system.loadSnapshot(version).size());
    }
    String varchar = " character varying";
    String ts = " timestamp without time zone";
    assertEquals(
        List.of(
            "project" + varchar,
            "feature_key" + varchar,
            "metaxy_feature_version" + varchar,
            "metaxy_definition_version" + varchar,
            "recorded_at" + ts,
            "feature_spec" + varchar,
            "feature_schema" + varchar,
            "feature_class_path" + varchar,
            "metaxy_project_version" + varchar,
            "tags" + varchar,
            "deleted_at" + ts),
        columns("metaxy_system__feature_versions"));
  }

  /**
   * The reference's resolve (latest current-version row per id, field strings {@code
   * key|code_version|fq(parent)|value...} hashed and truncated) recomputed in SQL from the JSON values
   * finds what our resolve finds, and the provenance it computes is the one our engine stores.
   */
  @Test
  void theReferenceResolveRecomputedFromTheJsonValuesAgrees() throws Exception {
    PostgresMetadataStore s = store(graph());
    String rawVersion;
    String clipVersion;
    try (var scope = s.open(AccessMode.WRITE)) {
      pipeline(s, 3, allocator);
      rawVersion = s.featureVersion(RAW);
      clipVersion = s.featureVersion(CLIP);
      change(s, allocator);
    }
    String latest = "SELECT DISTINCT ON (video_id) * FROM %s WHERE metaxy_feature_version = '%s'"
        + " ORDER BY video_id, coalesce(metaxy_deleted_at, metaxy_updated_at) DESC";
    String expected = "WITH up AS (" + latest.formatted("video__raw", rawVersion) + "), "
        + "fields AS (SELECT video_id, "
        + "left(md5('audio|2|video/raw.audio|' || (metaxy_data_version_by_field ->> 'audio')), 8) AS audio, "
        + "left(md5('summary|1|video/raw.audio|' || (metaxy_data_version_by_field ->> 'audio')"
        + " || '|video/raw.frames|' || (metaxy_data_version_by_field ->> 'frames')), 8) AS summary "
        + "FROM up WHERE metaxy_deleted_at IS NULL), "
        + "expected AS (SELECT video_id, jsonb_build_object('audio', audio, 'summary', summary) AS pbf,"
        + " left(md5(audio || '|' || summary), 8) AS provenance FROM fields), "
        + "current AS (" + latest.formatted("video__clip", clipVersion) + ") ";
    assertEquals(
        List.of(
            List.of("v1", "current"),
            List.of("v2", "stale"),
            List.of("v3", "current"),
            List.of("v4", "new")),
        sql(
            expected
                + "SELECT e.video_id, CASE WHEN c.video_id IS NULL THEN 'new' WHEN c.metaxy_provenance <> e.provenance"
                + " THEN 'stale' ELSE 'current' END FROM expected e LEFT JOIN current c USING (video_id) ORDER BY 1"));
    assertEquals(
        List.of(List.of("v1", "t"), List.of("v3", "t")),
        sql(
            expected
                + "SELECT e.video_id, c.metaxy_provenance_by_field = e.pbf AND c.metaxy_data_version_by_field = e.pbf"
                + " FROM expected e JOIN current c USING (video_id) WHERE e.video_id IN ('v1', 'v3') ORDER BY 1"));
    Map<String, String> theirs = new TreeMap<>();
    for (List<String> r : sql(
        expected + "SELECT video_id, provenance FROM expected WHERE video_id IN ('v2', 'v4')")) {
      theirs.put(r.get(0), r.get(1));
    }
    // Our new and stale rows carry the provenance the reference's query computes.
    assertResolveMatches(s, theirs);
  }

  /** JSON objects take any key set: a version that adds and drops a field writes its own keys; older rows keep theirs. */
  @Test
  void fieldSetChangesKeepEachRowsOwnKeys() throws Exception {
    String oldVersion;
    PostgresMetadataStore v1 = store(graph());
    try (var scope = v1.open(AccessMode.WRITE)) {
      pipeline(v1, 2, allocator);
      oldVersion = v1.featureVersion(RAW);
    }
    PostgresMetadataStore v2 = store(graph("audio", "1", "text", "1"));
    try (var scope = v2.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot b = batch(
          allocator,
          row("video_id", "v1", "metaxy_provenance_by_field", pbf("audio", "a1", "text", "t1")))) {
        v2.write(RAW, b);
      }
      try (VectorSchemaRoot r = v2.read(RAW)) {
        assertEquals(Map.of("audio", "a1", "text", "t1"), cell(r, "metaxy_provenance_by_field", 0));
      }
      try (VectorSchemaRoot r =
          v2.read(RAW, ReadOptions.DEFAULT.featureHistory().featureVersion(oldVersion))) {
        assertEquals(2, r.getRowCount());
      }
    }
    assertEquals(
        List.of(
            Arrays.asList("v1", "f1", null),
            Arrays.asList("v1", null, "t1"),
            Arrays.asList("v2", "f2", null)),
        sql(
            "SELECT video_id, metaxy_provenance_by_field ->> 'frames', metaxy_data_version_by_field ->> 'text' FROM video__raw"
                + " ORDER BY video_id, metaxy_created_at"));
  }
}
