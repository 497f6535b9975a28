package io.metaxy.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.conformance.SampleVectors;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Rows and checks of the round trips between the Spark store and the embedded stores. */
final class RoundTrips {
  static final FeatureKey VIDEO = FeatureKey.of("video");
  static final FeatureKey CLIP = FeatureKey.of("clip");

  private RoundTrips() {}

  /** After Spark's writes the embedded store has nothing to do and reads the same provenance. */
  @SuppressWarnings("try") // the scope keeps the embedded store open
  static void embeddedFindsNothingToDo(MetadataStore embedded, SparkMetadataStore store) {
    try (var scope = embedded.open(AccessMode.READ);
        Increment inc = embedded.resolveUpdate(CLIP)) {
      assertTrue(inc.isEmpty(), "the embedded store has nothing to do after Spark's writes");
      assertEquals(provenance(store.read(VIDEO)), provenance(embedded.read(VIDEO)));
      assertEquals(provenance(store.read(CLIP)), provenance(embedded.read(CLIP)));
    }
  }

  /**
   * The embedded store writes and Spark has nothing to do; after an upstream change both find the same
   * stale samples; Spark recomputes them into the embedded store's table and then neither has work.
   */
  @SuppressWarnings("try") // the scope keeps the embedded store open
  static void embeddedWritesThenSpark(MetadataStore embedded, SparkMetadataStore store) {
    try (var scope = embedded.open(AccessMode.WRITE)) {
      writeVideos(embedded, 0, 30, "a");
      try (Increment inc = embedded.resolveUpdate(CLIP)) {
        assertEquals(30, inc.newCount());
        embedded.write(CLIP, inc.newSamples());
      }
      assertCounts(store.resolveUpdate(CLIP), 0, 0, 0);

      // Ten videos change upstream: both engines find the same ten clips stale.
      writeVideos(embedded, 0, 10, "b");
      TreeSet<Long> sparkStale = ids(store.resolveUpdate(CLIP).stale());
      try (Increment inc = embedded.resolveUpdate(CLIP)) {
        assertEquals(10, inc.staleCount());
        assertEquals(ids(inc.stale()), sparkStale);
      }
      // Spark recomputes them into the embedded store's table; both then have nothing to do.
      store.write(CLIP, store.resolveUpdate(CLIP).toProcess());
      assertCounts(store.resolveUpdate(CLIP), 0, 0, 0);
      try (Increment inc = embedded.resolveUpdate(CLIP)) {
        assertTrue(inc.isEmpty());
      }
      assertEquals(provenance(embedded.read(VIDEO)), provenance(store.read(VIDEO)));
    }
  }

  static void assertCounts(SparkIncrement inc, long n, long stale, long orphaned) {
    assertEquals(
        List.of(n, stale, orphaned),
        List.of(inc.newSamples().count(), inc.stale().count(), inc.orphaned().count()));
  }

  static Dataset<Row> samples(SparkSession spark, long from, long to, String version) {
    return spark
        .range(from, to)
        .select(
            col("id").as("sample_uid"),
            concat(lit("video-"), col("id").cast("string")).as("path"),
            struct(
                    concat(lit(version), col("id").cast("string")).as("audio"),
                    concat(lit("f"), col("id").cast("string")).as("frames"))
                .as("metaxy_provenance_by_field"));
  }

  static void writeVideos(MetadataStore store, long from, long to, String version) {
    try (VectorSchemaRoot batch = videoBatch(store, from, to, version)) {
      store.write(VIDEO, batch);
    }
  }

  /** The rows of {@link #samples} as an Arrow batch of the embedded store's allocator. */
  static VectorSchemaRoot videoBatch(MetadataStore store, long from, long to, String version) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (long id = from; id < to; id++) {
      Map<String, Object> pbf = new LinkedHashMap<>();
      pbf.put("audio", version + id);
      pbf.put("frames", "f" + id);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("sample_uid", id);
      r.put("path", "video-" + id);
      r.put("metaxy_provenance_by_field", pbf);
      rows.add(r);
    }
    return SampleVectors.batch(rows, Map.of(), store.allocator());
  }

  static Map<Long, String> provenance(Dataset<Row> rows) {
    Map<Long, String> out = new TreeMap<>();
    for (Row r : rows.select("sample_uid", "metaxy_provenance").collectAsList()) {
      out.put(r.getLong(0), r.getString(1));
    }
    return out;
  }

  static Map<Long, String> provenance(VectorSchemaRoot rows) {
    try (rows) {
      Map<Long, String> out = new TreeMap<>();
      for (Map<String, Object> r : SampleVectors.rows(rows)) {
        out.put((Long) r.get("sample_uid"), (String) r.get("metaxy_provenance"));
      }
      return out;
    }
  }

  static TreeSet<Long> ids(Dataset<Row> rows) {
    TreeSet<Long> out = new TreeSet<>();
    rows.select("sample_uid").collectAsList().forEach(r -> out.add(r.getLong(0)));
    return out;
  }

  static TreeSet<Long> ids(VectorSchemaRoot rows) {
    TreeSet<Long> out = new TreeSet<>();
    SampleVectors.rows(rows).forEach(r -> out.add((Long) r.get("sample_uid")));
    return out;
  }
}
