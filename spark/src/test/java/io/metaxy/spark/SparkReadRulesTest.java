package io.metaxy.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link SparkVersioning#current}: the store's default read (version scope, latest per id, tombstones). */
class SparkReadRulesTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = Sessions.local();
  }

  @Test
  void currentRowsAreTheLatestLiveRowOfTheCurrentVersionPerId() {
    SparkVersioning v =
        new SparkVersioning(spark, ClusterData.graph(), HashAlgorithm.XXHASH32, Truncation.DEFAULT);
    FeatureKey video = FeatureKey.of("video");
    String now = v.featureVersion(video);
    List<Map<String, Object>> rows = new ArrayList<>();
    // id 1: two live rows, the later one wins.
    rows.add(row(1, now, "old", "2026-01-01T00:00:00", null));
    rows.add(row(1, now, "new", "2026-01-02T00:00:00", null));
    // id 2: a later row of another feature version does not count.
    rows.add(row(2, now, "current", "2026-01-01T00:00:00", null));
    rows.add(row(2, "0ther", "other-version", "2026-01-05T00:00:00", null));
    // id 3: a tombstone newer than its row deletes the sample.
    rows.add(row(3, now, "gone", "2026-01-01T00:00:00", null));
    rows.add(row(3, now, "tombstone", "2026-01-01T00:00:00", "2026-01-03T00:00:00"));
    // id 4: a row written after the tombstone brings the sample back.
    rows.add(row(4, now, "tombstone", "2026-01-01T00:00:00", "2026-01-02T00:00:00"));
    rows.add(row(4, now, "back", "2026-01-04T00:00:00", null));
    // id 5: a row without an update time loses to one with.
    rows.add(row(5, now, "no time", null, null));
    rows.add(row(5, now, "timed", "2026-01-01T00:00:00", null));
    Map<String, String> schema = Map.of(
        "metaxy_updated_at", "Datetime(time_unit='us', time_zone=None)",
        "metaxy_deleted_at", "Datetime(time_unit='us', time_zone=None)",
        "sample_uid", "Int64");
    Dataset<Row> stored = JsonRows.dataset(spark, rows, schema);
    Map<Long, String> got = new TreeMap<>();
    for (Row r : v.current(video, stored).select("sample_uid", "note").collectAsList()) {
      got.put(r.getLong(0), r.getString(1));
    }
    assertEquals(Map.of(1L, "new", 2L, "current", 4L, "back", 5L, "timed"), got);
  }

  @Test
  void storedRowsWithoutTheSystemColumnsAreRejectedByName() {
    SparkVersioning v =
        new SparkVersioning(spark, ClusterData.graph(), HashAlgorithm.XXHASH32, Truncation.DEFAULT);
    Dataset<Row> rows = JsonRows.dataset(spark, List.of(Map.of("sample_uid", 1L)), Map.of());
    MetaxyException e =
        assertThrows(MetaxyException.class, () -> v.current(FeatureKey.of("video"), rows));
    assertEquals(
        "stored rows of video have no 'metaxy_feature_version' column; columns: [sample_uid]",
        e.getMessage());
  }

  private static Map<String, Object> row(
      long id, String version, String note, String updated, String deleted) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("sample_uid", id);
    r.put("note", note);
    r.put("metaxy_feature_version", version);
    r.put(
        "metaxy_updated_at",
        updated == null ? null : LocalDateTime.parse(updated).toString());
    r.put(
        "metaxy_deleted_at",
        deleted == null ? null : LocalDateTime.parse(deleted).toString());
    return r;
  }
}
