package io.metaxy.store;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static io.metaxy.store.TestRows.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.filter.Filters;
import io.metaxy.store.postgres.PostgresMetadataStore;
import io.metaxy.store.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Concurrency hazards of incremental resolves on PostgreSQL that only another connection can create:
 * a writer whose transaction began before a resolve and commits after it, rows inserted in a
 * subtransaction, and rows written by another tool (only the spec's columns, a clock years behind).
 */
@ExtendWith(PostgresServer.class)
class PostgresIncrementalHazardsTest {
  @Test
  void touchedKeyListsBeyondTheBindLimitAreRead() {
    String url = PostgresServer.freshSchema();
    try (BufferAllocator allocator = new RootAllocator();
        MetadataStore s = new PostgresMetadataStore(
            StoreOptions.of(IncrementalResolveSuite.graph("1")).allocator(allocator), url);
        var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> videos = new ArrayList<>();
      for (long id = 0; id < 1000; id++) {
        videos.add(row("vid", id, "metaxy_provenance_by_field", pbf("frames", "f", "audio", "a")));
      }
      try (VectorSchemaRoot b = batch(allocator, videos)) {
        s.write(IncrementalResolveSuite.VIDEO, b);
      }
      // 40,000 values: more than the 32,767 bind parameters a PostgreSQL statement may have.
      List<Long> keys = new ArrayList<>();
      for (long id = 0; id < 80_000; id += 2) {
        keys.add(id);
      }
      try (VectorSchemaRoot r = s.read(
          IncrementalResolveSuite.VIDEO,
          ReadOptions.DEFAULT.filters(List.of(RowFilter.of(Filters.in("vid", keys)))))) {
        assertEquals(500, r.getRowCount());
      }
    } finally {
      PostgresServer.dropSchema(url);
    }
  }

  @Test
  void aWriterCommittingAfterTheResolveIsSeenByTheNextOne() throws Exception {
    String url = PostgresServer.freshSchema();
    try (BufferAllocator allocator = new RootAllocator();
        MetadataStore s = new PostgresMetadataStore(
            StoreOptions.of(IncrementalResolveSuite.graph("1")).allocator(allocator), url);
        var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> videos = new ArrayList<>();
      for (long id = 0; id < 10; id++) {
        videos.add(row("vid", id, "metaxy_provenance_by_field", pbf("frames", "f", "audio", "a")));
      }
      try (VectorSchemaRoot b = batch(allocator, videos)) {
        s.write(IncrementalResolveSuite.VIDEO, b);
      }
      try (Increment first = s.resolveUpdate(IncrementalResolveSuite.AUDIO)) {
        assertEquals(10, first.newCount());
      }
      try (Connection other = DriverManager.getConnection(url)) {
        other.setAutoCommit(false);
        List<String> columns = new ArrayList<>();
        try (Statement st = other.createStatement();
            ResultSet rs = st.executeQuery("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = 'video'"
                + " AND column_name <> '_metaxy_seq' ORDER BY ordinal_position")) {
          while (rs.next()) {
            columns.add('"' + rs.getString(1) + '"');
          }
        }
        String cols = String.join(", ", columns);
        String copy = "INSERT INTO video (" + cols + ") SELECT "
            + cols.replace("\"vid\"", "%d")
                .replace("\"metaxy_updated_at\"", "TIMESTAMPTZ '2001-01-01 00:00:00+00'")
            + " FROM video WHERE vid = 1";
        try (Statement st = other.createStatement()) {
          st.execute(String.format(copy, 50));
          st.execute("SAVEPOINT sp");
          st.execute(String.format(copy, 51));
          st.execute("RELEASE SAVEPOINT sp");
        }
        // A transaction that begins after the writer's and commits before the resolve: the
        // snapshot's
        // upper bound then lies past the writer's id, which is only among the running ones.
        try (VectorSchemaRoot b = batch(
            allocator,
            List.of(
                row("vid", 60L, "metaxy_provenance_by_field", pbf("frames", "f", "audio", "a"))))) {
          s.write(IncrementalResolveSuite.VIDEO, b);
        }
        try (Increment during = s.resolveUpdate(IncrementalResolveSuite.AUDIO)) {
          assertTrue(during.resolution().incremental(), during.resolution().toString());
          assertEquals(11, during.newCount(), "uncommitted rows are not visible yet");
        }
        other.commit();
      }
      try (Increment after = s.resolveUpdate(IncrementalResolveSuite.AUDIO);
          Increment full = s.resolveUpdate(
              IncrementalResolveSuite.AUDIO, ResolveOptions.DEFAULT.fullResolve())) {
        assertTrue(after.resolution().incremental(), after.resolution().toString());
        assertEquals(sorted(full.newSamples(), "vid"), sorted(after.newSamples(), "vid"));
        assertTrue(sorted(after.newSamples(), "vid").containsAll(List.of("50", "51")));
      }
    } finally {
      PostgresServer.dropSchema(url);
    }
  }

  @Test
  void theLatestOrderIsExactToTheMicrosecondAndATombstoneCountsByItsDeletion() throws Exception {
    String url = PostgresServer.freshSchema();
    try (BufferAllocator allocator = new RootAllocator();
        MetadataStore s = new PostgresMetadataStore(
            StoreOptions.of(IncrementalResolveSuite.graph("1")).allocator(allocator), url);
        var scope = s.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot b = batch(
          allocator,
          List.of(
              row("vid", 1L, "metaxy_provenance_by_field", pbf("frames", "f", "audio", "a"))))) {
        s.write(IncrementalResolveSuite.VIDEO, b);
      }
      try (Connection other = DriverManager.getConnection(url);
          Statement st = other.createStatement()) {
        st.execute(
            "UPDATE video SET metaxy_updated_at = TIMESTAMPTZ '2999-01-02 03:04:05.678901+00'");
        st.execute(
            "INSERT INTO video (vid, metaxy_updated_at, metaxy_deleted_at) VALUES (2,"
                + " TIMESTAMPTZ '1999-01-01 00:00:00+00', TIMESTAMPTZ '3000-01-02 03:04:05.123457+00')");
      }
      Long latest = s.onBackend(
          AccessMode.READ,
          b -> b.latestOrder(IncrementalResolveSuite.VIDEO.tableName(), allocator));
      Instant want = Instant.parse("3000-01-02T03:04:05.123457Z");
      assertEquals(want.getEpochSecond() * 1_000_000 + want.getNano() / 1_000, latest);
    } finally {
      PostgresServer.dropSchema(url);
    }
  }
}
