package io.metaxy.spark;

import static io.metaxy.spark.RoundTrips.CLIP;
import static io.metaxy.spark.RoundTrips.VIDEO;
import static io.metaxy.spark.RoundTrips.assertCounts;
import static io.metaxy.spark.RoundTrips.ids;
import static io.metaxy.spark.RoundTrips.samples;
import static io.metaxy.spark.RoundTrips.writeVideos;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldsMapping;
import io.metaxy.spec.Lineage;
import io.metaxy.store.AccessMode;
import io.metaxy.store.FeatureNotFoundException;
import io.metaxy.store.Increment;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.delta.DeltaMetadataStore;
import io.metaxy.store.delta.LinkLogStore;
import io.metaxy.versioning.HashAlgorithm;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.storage.DelegatingLogStore;
import org.apache.spark.sql.delta.storage.LogStore;
import org.apache.spark.sql.delta.storage.LogStoreAdaptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SparkMetadataStore} on Delta tables, and round trips with the embedded Delta store on the same
 * tables: what one engine writes, the other resolves as nothing to do, and both find the same stale
 * samples after an upstream change.
 */
class SparkDeltaStoreTest {

  private static SparkSession spark;
  private final FeatureGraph graph = ClusterData.graph();

  @BeforeAll
  static void start() {
    spark = Sessions.local();
  }

  @Test
  void sparkWritesAndTheEmbeddedStoreFindsNothingToDo(@TempDir Path root) {
    SparkMetadataStore store =
        SparkMetadataStore.delta(spark, root.toString(), SparkStoreOptions.of(graph));
    assertThrows(FeatureNotFoundException.class, () -> store.read(VIDEO));

    SparkIncrement videos = store.resolveUpdate(VIDEO, samples(spark, 0, 50, "a"));
    assertEquals(50, videos.newSamples().count());
    store.write(VIDEO, videos.toProcess());
    assertTrue(Files.isDirectory(root.resolve("video.delta/_delta_log")), "nested layout on disk");
    assertEquals(
        0, store.resolveUpdate(VIDEO, samples(spark, 0, 50, "a")).toProcess().count());

    SparkIncrement clips = store.resolveUpdate(CLIP);
    assertEquals(50, clips.newSamples().count());
    store.write(CLIP, clips.toProcess().withColumn("embedding_path", lit("s3://clips/x")));
    assertCounts(store.resolveUpdate(CLIP), 0, 0, 0);

    DeltaMetadataStore embedded = new DeltaMetadataStore(StoreOptions.of(graph), root);
    RoundTrips.embeddedFindsNothingToDo(embedded, store);
  }

  @Test
  void theEmbeddedStoreWritesAndSparkFindsTheSameWork(@TempDir Path root) {
    DeltaMetadataStore embedded = new DeltaMetadataStore(StoreOptions.of(graph), root);
    SparkMetadataStore store =
        SparkMetadataStore.delta(spark, root.toString(), SparkStoreOptions.of(graph));
    RoundTrips.embeddedWritesThenSpark(embedded, store);
  }

  /**
   * Spark's Delta commits local tables through the Delta store's log store when configured so (as
   * docs/stores.md advises), so that a Spark job and an embedded store writing one table at once never
   * replace each other's commits.
   */
  @Test
  void sparkCommitsLocalTablesThroughTheDeltaStoresLogStore(@TempDir Path root) throws Exception {
    SparkMetadataStore store =
        SparkMetadataStore.delta(spark, root.toString(), SparkStoreOptions.of(graph));
    store.write(VIDEO, store.resolveUpdate(VIDEO, samples(spark, 0, 3, "a")).toProcess());
    LogStore delegating = DeltaLog.forTable(spark, store.tablePath(VIDEO)).store();
    LogStore local =
        ((DelegatingLogStore) delegating).getDelegate(new org.apache.hadoop.fs.Path(root.toUri()));
    // The adaptor keeps the Java log store in a private field.
    Field impl = LogStoreAdaptor.class.getDeclaredField("logStoreImpl");
    impl.setAccessible(true);
    assertEquals(LinkLogStore.class, impl.get(local).getClass());
  }

  @Test
  void theFlatLayoutNamesTablesAsTheEmbeddedStoreDoes(@TempDir Path root) {
    FeatureKey nested = FeatureKey.of("media/video");
    SparkStoreOptions options = SparkStoreOptions.of(graph).withFlatLayout(true);
    SparkMetadataStore flat = SparkMetadataStore.delta(spark, root.toString(), options);
    assertEquals(root + "/media__video.delta", flat.tablePath(nested));
    SparkMetadataStore deep =
        SparkMetadataStore.delta(spark, root + "/", SparkStoreOptions.of(graph));
    assertEquals(root + "/media/video.delta", deep.tablePath(nested));
  }

  @Test
  void dependencyFiltersUseRenamedColumnsAsOnTheEmbeddedStore(@TempDir Path root) {
    FeatureSpec video = graph.spec(VIDEO);
    FeatureSpec clip = FeatureSpec.builder("clip", "sample_uid")
        .dep(new FeatureDep(
            VIDEO,
            null,
            Map.of("path", "video_path"),
            FieldsMapping.DEFAULT,
            List.of("video_path != 'video-3' AND sample_uid < 20"),
            Lineage.IDENTITY,
            false))
        .field("embedding", "1")
        .build();
    FeatureGraph filtered = FeatureGraph.of(List.of(
        FeatureDefinition.of(video, "cluster", Map.of()),
        FeatureDefinition.of(clip, "cluster", Map.of())));
    DeltaMetadataStore embedded = new DeltaMetadataStore(StoreOptions.of(filtered), root);
    SparkMetadataStore store =
        SparkMetadataStore.delta(spark, root.toString(), SparkStoreOptions.of(filtered));
    try (var scope = embedded.open(AccessMode.WRITE)) {
      writeVideos(embedded, 0, 30, "a");
      TreeSet<Long> sparkNew = ids(store.resolveUpdate(CLIP).newSamples());
      try (Increment inc = embedded.resolveUpdate(CLIP)) {
        assertEquals(19, inc.newCount());
        assertEquals(ids(inc.newSamples()), sparkNew);
      }
    }
    assertEquals(
        List.of(3L),
        ids(store.read(VIDEO, List.of("path = 'video-3'"))).stream().toList());
  }

  @Test
  @SuppressWarnings("try") // the scope keeps the embedded store open
  void upstreamsComeFromFallbackStores(@TempDir Path shared, @TempDir Path own) {
    SparkMetadataStore prod =
        SparkMetadataStore.delta(spark, shared.toString(), SparkStoreOptions.of(graph));
    prod.write(VIDEO, prod.resolveUpdate(VIDEO, samples(spark, 0, 20, "a")).toProcess());
    SparkMetadataStore alone =
        SparkMetadataStore.delta(spark, own.toString(), SparkStoreOptions.of(graph));
    assertThrows(FeatureNotFoundException.class, () -> alone.resolveUpdate(CLIP));

    SparkMetadataStore dev = alone.withFallbacks(prod);
    assertFalse(dev.hasFeature(VIDEO));
    assertTrue(dev.hasFeature(VIDEO, true));
    assertEquals(RoundTrips.provenance(prod.read(VIDEO)), RoundTrips.provenance(dev.read(VIDEO)));
    SparkIncrement inc = dev.resolveUpdate(CLIP);
    assertEquals(20, inc.newSamples().count());
    dev.write(CLIP, inc.toProcess());
    // The clips are written here, the videos stay in the fallback only.
    assertTrue(dev.hasFeature(CLIP));
    assertFalse(prod.hasFeature(CLIP));
    assertFalse(dev.hasFeature(VIDEO));
    assertCounts(dev.resolveUpdate(CLIP), 0, 0, 0);
    // The target is never read from a fallback: prod has no clips of its own to compare with.
    assertThrows(
        FeatureNotFoundException.class, () -> prod.withFallbacks(dev).read(FeatureKey.of("nope")));
    assertEquals(20, prod.withFallbacks(dev).resolveUpdate(CLIP).newSamples().count());

    // The embedded store with the same fallback agrees that nothing is left to do.
    DeltaMetadataStore embeddedProd = new DeltaMetadataStore(StoreOptions.of(graph), shared);
    DeltaMetadataStore embeddedDev =
        new DeltaMetadataStore(StoreOptions.of(graph).fallbackStores(embeddedProd), own);
    try (var scope = embeddedDev.open(AccessMode.READ);
        Increment done = embeddedDev.resolveUpdate(CLIP)) {
      assertTrue(done.isEmpty());
    }
    // A fallback hashing differently could never agree with this store: refused.
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class,
        () -> alone.withFallbacks(SparkMetadataStore.delta(
            spark,
            shared.toString(),
            SparkStoreOptions.of(graph).withHashAlgorithm(HashAlgorithm.MD5))));
    assertTrue(e.getMessage().contains("MD5"), e.getMessage());
  }
}
