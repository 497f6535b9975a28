package io.metaxy.store.duckdb.ddl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.LayoutFixture;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import io.metaxy.store.duckdb.DuckDbTables;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DuckDB DDL of a feature table, computed from its companion (it used to be compiled into every
 * companion as {@code CREATE_TABLE_SQL}): the layout the store itself creates, and a table the store
 * and the companion's codec both work with.
 */
@SuppressWarnings("try") // store scopes are held open, not referenced
class DuckDbTablesTest {
  private static final String BY_FIELD = "STRUCT(\"audio\" VARCHAR, \"frames_raw\" VARCHAR)";

  private final BufferAllocator allocator = new RootAllocator();

  @TempDir
  Path tmp;

  @AfterEach
  void close() {
    allocator.close();
  }

  private static final Clip CLIP = new Clip(
      "c1",
      42L,
      null,
      true,
      Instant.parse("2024-01-02T03:04:05.000006Z"),
      LocalDate.of(2024, 1, 2),
      new byte[] {7, 8},
      List.of("x", "y"));

  @Test
  void ddlOfUserColumnsThenSystemColumns() {
    assertEquals(
        "CREATE TABLE IF NOT EXISTS \"media__clip\" (\"clip_id\" VARCHAR NOT NULL, \"frames\" BIGINT NOT NULL, "
            + "\"score\" DOUBLE, \"ok\" BOOLEAN NOT NULL, \"seen_at\" TIMESTAMPTZ, \"day\" DATE NOT NULL, "
            + "\"thumbnail\" BLOB NOT NULL, \"labels\" VARCHAR[] NOT NULL, "
            + "\"metaxy_provenance_by_field\" " + BY_FIELD
            + ", \"metaxy_feature_version\" VARCHAR, "
            + "\"metaxy_project_version\" VARCHAR, \"metaxy_provenance\" VARCHAR, \"metaxy_created_at\" TIMESTAMPTZ, "
            + "\"metaxy_updated_at\" TIMESTAMPTZ, \"metaxy_deleted_at\" TIMESTAMPTZ, \"metaxy_materialization_id\" VARCHAR, "
            + "\"metaxy_data_version_by_field\" " + BY_FIELD + ", \"metaxy_data_version\" VARCHAR)",
        DuckDbTables.createTableSql(MetaxyClip.COMPANION));
  }

  private static List<String> columns(String db) throws Exception {
    return LayoutFixture.rows(
            "jdbc:duckdb:" + db,
            "SELECT column_name || ' ' || data_type || ' ' || is_nullable"
                + " FROM information_schema.columns WHERE table_name = 'media__clip' ORDER BY ordinal_position")
        .stream()
        .map(r -> r.get(0))
        .toList();
  }

  private DuckDbMetadataStore store(String db) {
    return new DuckDbMetadataStore(
        StoreOptions.of(FeatureGraph.of(List.of(MetaxyClip.COMPANION.definition())))
            .allocator(allocator),
        db);
  }

  private void writeClip(DuckDbMetadataStore store) {
    try (var scope = store.open(AccessMode.WRITE)) {
      store.write(Clip.class, List.of(CLIP), List.of(Map.of("audio", "a1", "frames_raw", "f1")));
    }
  }

  @Test
  void sameLayoutAsTheStoreCreatesAndTheStoreWritesIntoIt() throws Exception {
    String created = tmp.resolve("created.duckdb").toString();
    String byStore = tmp.resolve("by-store.duckdb").toString();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + created);
        Statement st = c.createStatement()) {
      st.execute(DuckDbTables.createTableSql(MetaxyClip.COMPANION));
    }
    writeClip(store(byStore));
    List<String> expected = columns(byStore).stream()
        // The store never declares NOT NULL; the DDL does for non-nullable user columns.
        .map(s -> s.replaceFirst(" YES$", ""))
        .toList();
    List<String> actual =
        columns(created).stream().map(s -> s.replaceFirst(" (YES|NO)$", "")).toList();
    assertEquals(expected, actual);
    assertEquals(
        List.of(
            "clip_id NO",
            "frames NO",
            "score YES",
            "ok NO",
            "seen_at YES",
            "day NO",
            "thumbnail NO",
            "labels NO"),
        columns(created).subList(0, 8).stream()
            .map(s -> s.replaceFirst(" .* ", " "))
            .toList());
    assertEquals(
        MetaxyClip.COMPANION.tableSchema().getFields().stream()
            .map(f -> f.getName())
            .toList(),
        actual.stream().map(s -> s.substring(0, s.indexOf(' '))).toList());

    // The store appends to the table the DDL created, and the companion reads its rows back.
    DuckDbMetadataStore store = store(created);
    writeClip(store);
    try (var scope = store.open(AccessMode.READ);
        VectorSchemaRoot rows = store.read(MetaxyClip.COMPANION.key())) {
      assertEquals(1, rows.getRowCount());
      assertSameClip(CLIP, MetaxyClip.COMPANION.fromArrow(rows, 0));
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + created);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM media__clip")) {
      rs.next();
      assertSameClip(CLIP, MetaxyClip.COMPANION.fromResultSet(rs));
    }
  }

  private static void assertSameClip(Clip expected, Clip actual) {
    assertArrayEquals(expected.thumbnail(), actual.thumbnail());
    assertEquals(
        expected,
        new Clip(
            actual.clipId(),
            actual.frames(),
            actual.score(),
            actual.ok(),
            actual.seenAt(),
            actual.day(),
            expected.thumbnail(),
            actual.labels()));
  }
}
