package io.metaxy.store.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.memory.InMemoryMetadataStore;
import io.metaxy.store.support.ArrowBatches;
import io.metaxy.versioning.HashAlgorithm;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures where provenance should be computed for the DuckDB store: in the JVM engine (scan as Arrow,
 * hash in Java) or inside DuckDB (SQL with {@code md5}; DuckDB has no built-in xxhash). Prints timings;
 * asserts only that both give the same provenance. Run with {@code -Dmetaxy.bench=true}
 * ({@code -Dmetaxy.bench.rows=N}, default 1,000,000).
 */
class DuckDbProvenanceBenchmark {
  @TempDir
  Path tmp;

  private static FeatureGraph graph() {
    return FeatureGraph.of(List.of(
        FeatureDefinition.of(
            FeatureSpec.builder("example/video", "video_id")
                .field("audio", "1")
                .field("frames", "1")
                .build(),
            "bench",
            Map.of()),
        FeatureDefinition.of(
            FeatureSpec.builder("example/crop", "video_id")
                .dep("example/video")
                .field("audio", "1")
                .field("frames", "1")
                .build(),
            "bench",
            Map.of())));
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  @Test
  void provenanceInJvmVersusInDuckDb() throws Exception {
    Assumptions.assumeTrue(
        Boolean.getBoolean("metaxy.bench"), "benchmark: run with -Dmetaxy.bench=true");
    int n = Integer.getInteger("metaxy.bench.rows", 1_000_000);
    FeatureKey video = FeatureKey.of("example/video");
    FeatureKey crop = FeatureKey.of("example/crop");
    String db = tmp.resolve("bench.duckdb").toString();
    try (BufferAllocator a = new RootAllocator()) {
      DuckDbMetadataStore s = new DuckDbMetadataStore(
          StoreOptions.of(graph()).hashAlgorithm(HashAlgorithm.MD5).allocator(a), db);
      List<String> ids = new ArrayList<>(n);
      List<Map<String, String>> pbf = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ids.add(String.format("v%08d", i));
        pbf.add(Map.of("audio", "a" + i, "frames", "f" + i));
      }
      Map<String, String> jvm = new HashMap<>();
      try (var scope = s.open(AccessMode.WRITE)) {
        List<FieldVector> vs = new ArrayList<>();
        vs.add(ArrowBatches.strings("video_id", ids, a));
        vs.add(ArrowBatches.byFieldStruct(
            "metaxy_provenance_by_field", List.of("audio", "frames"), pbf, a));
        long t0;
        try (VectorSchemaRoot b = ArrowBatches.of(vs, n)) {
          // The same write into the in-memory store isolates the JVM side (system columns + a
          // copy).
          InMemoryMetadataStore mem = new InMemoryMetadataStore(
              StoreOptions.of(graph()).hashAlgorithm(HashAlgorithm.MD5).allocator(a));
          try (var m = mem.open(AccessMode.WRITE)) {
            t0 = System.nanoTime();
            mem.write(video, b);
            System.out.printf(
                "write %d rows into the in-memory store (JVM side only): %.2f s%n", n, secs(t0));
          }
          mem.clear();
          t0 = System.nanoTime();
          s.write(video, b);
        }
        System.out.printf(
            "write %d rows (system columns + Arrow C stream INSERT): %.2f s%n", n, secs(t0));
        t0 = System.nanoTime();
        try (VectorSchemaRoot r = s.read(video)) {
          System.out.printf(
              "read current rows (dedup in DuckDB, Arrow out): %d rows in %.2f s%n",
              r.getRowCount(), secs(t0));
        }
        t0 = System.nanoTime();
        try (Increment inc = s.resolveUpdate(crop)) {
          System.out.printf(
              "resolveUpdate(crop), JVM engine: %d new in %.2f s%n",
              inc.newSamples().getRowCount(), secs(t0));
          FieldVector id = inc.newSamples().getVector("video_id");
          FieldVector prov = inc.newSamples().getVector("metaxy_provenance");
          for (int i = 0; i < inc.newSamples().getRowCount(); i += 997) {
            jvm.put((String) ArrowBatches.value(id, i), (String) ArrowBatches.value(prov, i));
          }
        }
      }
      // The same expected provenance computed inside DuckDB (md5; the xxhash family needs an
      // extension).
      String fv = s.featureVersion(video);
      String sql =
          "WITH cur AS (SELECT * FROM example__video WHERE metaxy_feature_version = '" + fv + "' "
              + "QUALIFY row_number() OVER (PARTITION BY video_id ORDER BY coalesce(metaxy_deleted_at, metaxy_updated_at) DESC) = 1), "
              + "f AS (SELECT video_id, "
              + "left(md5('audio|1|example/video.audio|' || coalesce(metaxy_data_version_by_field['audio'], '')), 8) AS audio, "
              + "left(md5('frames|1|example/video.frames|' || coalesce(metaxy_data_version_by_field['frames'], '')), 8) AS frames "
              + "FROM cur WHERE metaxy_deleted_at IS NULL) "
              + "SELECT video_id, left(md5(audio || '|' || frames), 8) AS metaxy_provenance FROM f";
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
          Statement st = c.createStatement()) {
        long t0 = System.nanoTime();
        int rows = 0;
        int checked = 0;
        try (ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            rows++;
            String expected = jvm.get(rs.getString(1));
            if (expected != null) {
              assertEquals(expected, rs.getString(2), "provenance of " + rs.getString(1));
              checked++;
            }
          }
        }
        System.out.printf(
            "same provenance in DuckDB SQL (md5, JDBC rows out): %d rows in %.2f s (%d compared)%n",
            rows, secs(t0), checked);
        t0 = System.nanoTime();
        try (ResultSet rs = st.executeQuery(sql);
            ArrowReader reader =
                (ArrowReader) rs.unwrap(DuckDBResultSet.class).arrowExportStream(a, 1 << 16)) {
          long total = 0;
          while (reader.loadNextBatch()) {
            total += reader.getVectorSchemaRoot().getRowCount();
          }
          System.out.printf(
              "same provenance in DuckDB SQL (md5, Arrow out): %d rows in %.2f s%n",
              total, secs(t0));
        }
        t0 = System.nanoTime();
        try (ResultSet rs = st.executeQuery(
            "SELECT count(*), count(DISTINCT metaxy_provenance) FROM (" + sql + ")")) {
          rs.next();
          System.out.printf(
              "same provenance in DuckDB SQL, computed only (count): %.2f s%n", secs(t0));
        }
      }
    }
  }
}
