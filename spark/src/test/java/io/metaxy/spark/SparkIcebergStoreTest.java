package io.metaxy.spark;

import static io.metaxy.spark.RoundTrips.CLIP;
import static io.metaxy.spark.RoundTrips.VIDEO;
import static io.metaxy.spark.RoundTrips.assertCounts;
import static io.metaxy.spark.RoundTrips.ids;
import static io.metaxy.spark.RoundTrips.samples;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.DeleteOptions;
import io.metaxy.store.FeatureNotFoundException;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.RowFilter;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.iceberg.IcebergMetadataStore;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SparkMetadataStore} on Iceberg tables through Spark's Iceberg catalog, and round trips with
 * the embedded Iceberg store on the same warehouse and SQLite catalog (the reference's default): what
 * one engine writes, the other resolves as nothing to do, and both find the same stale samples.
 */
class SparkIcebergStoreTest {
  private static final AtomicInteger CATALOGS = new AtomicInteger();
  private static SparkSession spark;
  private final FeatureGraph graph = ClusterData.graph();

  @BeforeAll
  static void start() {
    spark = Sessions.local();
  }

  /**
   * A Spark catalog on the embedded store's default catalog of {@code warehouse}. Each test gets its
   * own catalog name, so the shared session never sees another test's warehouse; the embedded store
   * takes the same name, as a JDBC catalog keeps each name's tables apart.
   */
  private static String catalog(Path warehouse) {
    String name = "ice" + CATALOGS.incrementAndGet();
    configure(name, warehouse);
    return name;
  }

  /** Spark catalog {@code name} on the SQLite catalog of {@code warehouse}. */
  private static void configure(String name, Path warehouse) {
    String prefix = "spark.sql.catalog." + name;
    spark.conf().set(prefix, "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set(prefix + ".type", "jdbc");
    spark.conf().set(prefix + ".uri", "jdbc:sqlite:" + warehouse + "/catalog.db");
    spark.conf().set(prefix + ".warehouse", "file://" + warehouse);
  }

  private IcebergMetadataStore embedded(Path warehouse, String catalog) {
    return new IcebergMetadataStore(
        StoreOptions.of(graph), warehouse.toString(), "metaxy", catalog, null, true);
  }

  @Test
  void sparkWritesAndTheEmbeddedStoreFindsNothingToDo(@TempDir Path warehouse) {
    String catalog = catalog(warehouse);
    SparkMetadataStore store =
        SparkMetadataStore.iceberg(spark, catalog, "metaxy", SparkStoreOptions.of(graph));
    assertFalse(store.hasFeature(VIDEO));
    assertThrows(FeatureNotFoundException.class, () -> store.read(VIDEO));
    assertEquals(catalog + ".metaxy.video", store.tablePath(VIDEO));

    store.write(VIDEO, store.resolveUpdate(VIDEO, samples(spark, 0, 40, "a")).toProcess());
    assertTrue(store.hasFeature(VIDEO));
    SparkIncrement clips = store.resolveUpdate(CLIP);
    assertEquals(40, clips.newSamples().count());
    store.write(CLIP, clips.toProcess().withColumn("embedding_path", lit("s3://clips/x")));
    assertCounts(store.resolveUpdate(CLIP), 0, 0, 0);

    IcebergMetadataStore embedded = embedded(warehouse, catalog);
    RoundTrips.embeddedFindsNothingToDo(embedded, store);
  }

  @Test
  void theEmbeddedStoreWritesAndSparkFindsTheSameWork(@TempDir Path warehouse) {
    String catalog = catalog(warehouse);
    IcebergMetadataStore embedded = embedded(warehouse, catalog);
    SparkMetadataStore store =
        SparkMetadataStore.iceberg(spark, catalog, "metaxy", SparkStoreOptions.of(graph));
    RoundTrips.embeddedWritesThenSpark(embedded, store);
    assertEquals(
        List.of(3L),
        ids(store.read(VIDEO, List.of("path = 'video-3'"))).stream().toList());
  }

  @Test
  @SuppressWarnings("try") // the scope keeps the embedded store open
  void softAndHardDeletesAreIcebergCommitsTheEmbeddedStoreReads(@TempDir Path warehouse) {
    // The embedded store's defaults (catalog and namespace "metaxy"), as docs/spark.md configures
    // them: the catalog name must not collide with Metaxy's own function catalog.
    String catalog = "metaxy";
    configure(catalog, warehouse);
    SparkMetadataStore store =
        SparkMetadataStore.iceberg(spark, catalog, "metaxy", SparkStoreOptions.of(graph));
    store.write(VIDEO, store.resolveUpdate(VIDEO, samples(spark, 0, 20, "a")).toProcess());
    store.delete(VIDEO, List.of(RowFilter.sql("sample_uid < 5")), DeleteOptions.SOFT);
    store.delete(VIDEO, List.of(RowFilter.eq("path", "video-7")), DeleteOptions.HARD);
    TreeSet<Long> left = new TreeSet<>(LongStream.range(5, 20).boxed().toList());
    left.remove(7L);
    assertEquals(left, ids(store.read(VIDEO)));
    IcebergMetadataStore embedded =
        new IcebergMetadataStore(StoreOptions.of(graph), warehouse.toString());
    // Hard-deleted rows are gone from the history too; soft-deleted ones are not.
    TreeSet<Long> history = new TreeSet<>(LongStream.range(0, 20).boxed().toList());
    history.remove(7L);
    assertEquals(history, ids(store.read(VIDEO, ReadOptions.DEFAULT.sampleHistory())));
    try (var scope = embedded.open(AccessMode.READ);
        VectorSchemaRoot current = embedded.read(VIDEO);
        VectorSchemaRoot all = embedded.read(VIDEO, ReadOptions.DEFAULT.sampleHistory())) {
      assertEquals(left, ids(current));
      assertEquals(history, ids(all));
    }
  }
}
