package io.metaxy.spark;

import static io.metaxy.spark.RoundTrips.CLIP;
import static io.metaxy.spark.RoundTrips.VIDEO;
import static io.metaxy.spark.RoundTrips.ids;
import static io.metaxy.spark.RoundTrips.samples;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.ResolveOptions;
import io.metaxy.store.RowFilter;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.delta.DeltaMetadataStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ResolveOptions} through the Spark store give the embedded store's answer on the same Delta
 * tables: filters per feature, global and target-only filters, staleness predicates, skipping the
 * comparison, and samples narrowed by the target's filters. The state has every kind of row: clips up
 * to date, clips stale after an upstream change, videos with no clip yet and clips with no video.
 */
class SparkResolveOptionsTest {
  private static SparkSession spark;
  private static Path root;
  private static SparkMetadataStore store;
  private static DeltaMetadataStore embedded;
  private static final FeatureGraph GRAPH = ClusterData.graph();

  @BeforeAll
  static void state(@TempDir Path dir) {
    spark = Sessions.local();
    root = dir;
    store = SparkMetadataStore.delta(spark, dir.toString(), SparkStoreOptions.of(GRAPH));
    embedded = new DeltaMetadataStore(StoreOptions.of(GRAPH), dir);
    // Videos 0..29 with clips (quality = id % 10), then videos 30..39 without; clips 90..94 have no
    // video; videos 0..9 change their audio, so their clips are stale.
    store.write(VIDEO, store.resolveUpdate(VIDEO, samples(spark, 0, 30, "a")).toProcess());
    store.write(
        CLIP,
        store
            .resolveUpdate(CLIP)
            .toProcess()
            .withColumn("quality", col("sample_uid").mod(10).cast("int")));
    store.write(VIDEO, store.resolveUpdate(VIDEO, samples(spark, 30, 40, "a")).toProcess());
    store.write(
        CLIP,
        spark
            .range(90, 95)
            .select(
                col("id").as("sample_uid"),
                lit(9).as("quality"),
                struct(lit("orphan").as("embedding")).as("metaxy_provenance_by_field")));
    store.write(VIDEO, store.resolveUpdate(VIDEO, samples(spark, 0, 10, "b")).toProcess());
  }

  /** New, stale and orphaned sample ids of both engines, for one set of options. */
  private static void sameAnswer(ResolveOptions options, String what) {
    List<TreeSet<Long>> spark = idSets(store.resolveUpdate(CLIP, options));
    TreeSet<Long> toProcess = new TreeSet<>(spark.get(0));
    toProcess.addAll(spark.get(1));
    assertEquals(toProcess, spark.get(3), what + ": toProcess is new and stale");
    try (var scope = embedded.open(AccessMode.READ);
        Increment inc = embedded.resolveUpdate(CLIP, options)) {
      List<TreeSet<Long>> jvm =
          List.of(ids(inc.newSamples()), ids(inc.stale()), ids(inc.orphaned()));
      assertEquals(jvm, spark.subList(0, 3), what + ": new, stale, orphaned");
    }
  }

  /** The ids of new, stale, orphaned and toProcess, collected in one Spark job. */
  private static List<TreeSet<Long>> idSets(SparkIncrement inc) {
    List<Dataset<Row>> parts =
        List.of(inc.newSamples(), inc.stale(), inc.orphaned(), inc.toProcess());
    Dataset<Row> tagged = null;
    for (int i = 0; i < parts.size(); i++) {
      Dataset<Row> t = parts.get(i).select(lit(i).as("part"), col("sample_uid"));
      tagged = tagged == null ? t : tagged.union(t);
    }
    List<TreeSet<Long>> out = new ArrayList<>();
    parts.forEach(p -> out.add(new TreeSet<>()));
    for (Row r : tagged.collectAsList()) {
      out.get(r.getInt(0)).add(r.getLong(1));
    }
    return out;
  }

  @Test
  void everyOptionGivesTheEmbeddedStoresAnswer() {
    // The unfiltered answer, spelled out once so the comparisons below cannot all be empty.
    SparkIncrement all = store.resolveUpdate(CLIP);
    assertEquals(10, all.newSamples().count());
    assertEquals(10, all.stale().count());
    assertEquals(5, all.orphaned().count());

    sameAnswer(ResolveOptions.DEFAULT, "no options");
    sameAnswer(ResolveOptions.DEFAULT.globalFilters(RowFilter.sql("sample_uid < 35")), "global");
    sameAnswer(
        ResolveOptions.DEFAULT.filter(VIDEO, RowFilter.sql("path NOT IN ('video-3', 'video-33')")),
        "upstream filter");
    sameAnswer(ResolveOptions.DEFAULT.targetFilters(RowFilter.gt("sample_uid", 4)), "target only");
    sameAnswer(ResolveOptions.DEFAULT.filter(CLIP, RowFilter.sql("quality > 2")), "the target's");
    sameAnswer(
        ResolveOptions.DEFAULT.stalenessPredicates(
            RowFilter.sql("quality = 7"), RowFilter.eq("sample_uid", 12)),
        "staleness predicates");
    sameAnswer(ResolveOptions.DEFAULT.skippingComparison(), "skipping the comparison");
    sameAnswer(
        ResolveOptions.DEFAULT
            .globalFilters(RowFilter.sql("sample_uid >= 5"))
            .stalenessPredicates(RowFilter.sql("quality IS NULL OR quality >= 8")),
        "global filter and predicate");
  }

  @Test
  void predicatesAndFiltersChangeTheAnswer() {
    // Stale beyond the changed upstream: the clips of quality 7 (7, 17, 27) and sample 12.
    SparkIncrement p = store.resolveUpdate(
        CLIP,
        ResolveOptions.DEFAULT.stalenessPredicates(
            RowFilter.sql("quality = 7"), RowFilter.eq("sample_uid", 12)));
    assertEquals(
        new TreeSet<>(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 12L, 17L, 27L)),
        ids(p.stale()));
    // An upstream filter hides video 3: its clip is no longer expected, so it is orphaned.
    SparkIncrement u = store.resolveUpdate(
        CLIP, ResolveOptions.DEFAULT.filter(VIDEO, RowFilter.ne("path", "video-3")));
    assertTrue(ids(u.orphaned()).contains(3L));
    assertFalse(ids(u.stale()).contains(3L));
    // Skipping the comparison: every expected sample is new.
    SparkIncrement k = store.resolveUpdate(CLIP, ResolveOptions.DEFAULT.skippingComparison());
    assertEquals(40, k.newSamples().count());
    assertEquals(0, k.stale().count() + k.orphaned().count());
  }

  @Test
  void rootSamplesAreNarrowedByTheTargetsFilters() {
    ResolveOptions narrow = ResolveOptions.DEFAULT.targetFilters(RowFilter.sql("sample_uid < 15"));
    SparkIncrement s = store.resolveUpdate(VIDEO, samples(spark, 0, 50, "b"), narrow);
    assertEquals(new TreeSet<>(List.of()), ids(s.newSamples()));
    try (var scope = embedded.open(AccessMode.READ);
        VectorSchemaRoot batch = RoundTrips.videoBatch(embedded, 0, 50, "b");
        Increment inc = embedded.resolveUpdate(VIDEO, narrow.samples(batch))) {
      assertEquals(ids(inc.stale()), ids(s.stale()));
      assertEquals(ids(inc.newSamples()), ids(s.newSamples()));
    }
    // Videos 10..14 still have audio "a": stale under samples with "b".
    assertEquals(new TreeSet<>(List.of(10L, 11L, 12L, 13L, 14L)), ids(s.stale()));
  }

  @Test
  void filtersSparkCannotRunAreRefusedByName() {
    IllegalArgumentException lambda = assertThrows(
        IllegalArgumentException.class,
        () ->
            store.resolveUpdate(CLIP, ResolveOptions.DEFAULT.globalFilters(batch -> new BitSet())));
    assertTrue(lambda.getMessage().contains("JVM predicate"), lambda.getMessage());
    IllegalArgumentException missing = assertThrows(
        IllegalArgumentException.class,
        () -> store.resolveUpdate(
            CLIP, ResolveOptions.DEFAULT.globalFilters(RowFilter.sql("quality > 1"))));
    assertTrue(
        missing.getMessage().contains("'quality'") && missing.getMessage().contains("video"),
        missing.getMessage());
    IllegalArgumentException rootWithout =
        assertThrows(IllegalArgumentException.class, () -> store.resolveUpdate(VIDEO));
    assertTrue(rootWithout.getMessage().contains("root feature"), rootWithout.getMessage());
  }
}
