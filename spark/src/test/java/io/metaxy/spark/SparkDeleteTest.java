package io.metaxy.spark;

import static io.metaxy.spark.RoundTrips.CLIP;
import static io.metaxy.spark.RoundTrips.VIDEO;
import static io.metaxy.spark.RoundTrips.ids;
import static io.metaxy.spark.RoundTrips.samples;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.SystemColumns;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.DeleteOptions;
import io.metaxy.store.FeatureNotFoundException;
import io.metaxy.store.Increment;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.RowFilter;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.delta.DeltaMetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soft and hard deletes and history reads through the Spark store on Delta tables (store spec §3,
 * §6.1), each checked against what the embedded Delta store reads from the same tables.
 */
class SparkDeleteTest {
  private static SparkSession spark;
  private final FeatureGraph graph = ClusterData.graph();

  @BeforeAll
  static void start() {
    spark = Sessions.local();
  }

  private static TreeSet<Long> range(long from, long to) {
    return new TreeSet<>(LongStream.range(from, to).boxed().toList());
  }

  /** The number of commits of the video table. */
  private static long commits(SparkMetadataStore store) {
    try (Stream<Path> log = Files.list(Path.of(store.tablePath(VIDEO), "_delta_log"))) {
      return log.filter(p -> p.getFileName().toString().endsWith(".json")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sample ids the embedded store reads with these options. */
  @SuppressWarnings("try") // the scope keeps the embedded store open
  private static TreeSet<Long> embeddedIds(DeltaMetadataStore embedded, ReadOptions options) {
    try (var scope = embedded.open(AccessMode.READ);
        VectorSchemaRoot rows = embedded.read(VIDEO, options)) {
      return ids(rows);
    }
  }

  @Test
  @SuppressWarnings("try") // the scope keeps the embedded store open
  void softDeletesHideSamplesUntilTheyAreWrittenAgain(@TempDir Path root) {
    SparkMetadataStore store =
        SparkMetadataStore.delta(spark, root.toString(), SparkStoreOptions.of(graph));
    DeltaMetadataStore embedded = new DeltaMetadataStore(StoreOptions.of(graph), root);
    store.write(VIDEO, store.resolveUpdate(VIDEO, samples(spark, 0, 20, "a")).toProcess());
    store.delete(VIDEO, List.of(RowFilter.sql("sample_uid < 5")), DeleteOptions.SOFT);
    // A delete that matches nothing commits nothing.
    long commits = commits(store);
    store.delete(VIDEO, List.of(RowFilter.sql("sample_uid > 100")), DeleteOptions.SOFT);
    assertEquals(commits, commits(store));

    assertEquals(range(5, 20), ids(store.read(VIDEO)));
    assertEquals(range(5, 20), embeddedIds(embedded, ReadOptions.DEFAULT));
    ReadOptions withTombstones = ReadOptions.DEFAULT.softDeleted();
    assertEquals(range(0, 20), ids(store.read(VIDEO, withTombstones)));
    assertEquals(embeddedIds(embedded, withTombstones), ids(store.read(VIDEO, withTombstones)));
    assertEquals(
        5,
        store
            .read(VIDEO, withTombstones)
            .where(col(SystemColumns.DELETED_AT).isNotNull())
            .count());
    // The tombstones keep the rows' provenance: a write of the same samples undoes the delete.
    assertEquals(
        5, store.resolveUpdate(VIDEO, samples(spark, 0, 20, "a")).newSamples().count());
    try (var scope = embedded.open(AccessMode.READ);
        Increment inc = embedded.resolveUpdate(CLIP)) {
      assertEquals(15, inc.newCount(), "deleted videos are not expected downstream");
    }
    store.write(VIDEO, store.resolveUpdate(VIDEO, samples(spark, 3, 4, "a")).toProcess());
    TreeSet<Long> back = range(5, 20);
    back.add(3L);
    assertEquals(back, ids(store.read(VIDEO)));
    // Sample history: every non-tombstone row, the deleted samples' originals included.
    ReadOptions history = ReadOptions.DEFAULT.sampleHistory();
    assertEquals(21, store.read(VIDEO, history).count());
    assertEquals(embeddedIds(embedded, history), ids(store.read(VIDEO, history)));
  }

  @Test
  void hardDeletesRemoveEveryRowOfTheMatchingSamples(@TempDir Path root) {
    SparkMetadataStore store =
        SparkMetadataStore.delta(spark, root.toString(), SparkStoreOptions.of(graph));
    DeltaMetadataStore embedded = new DeltaMetadataStore(StoreOptions.of(graph), root);
    store.write(VIDEO, store.resolveUpdate(VIDEO, samples(spark, 0, 20, "a")).toProcess());
    // A second version of 10..14 and a video whose path needs quoting in SQL.
    store.write(VIDEO, store.resolveUpdate(VIDEO, samples(spark, 10, 15, "b")).toProcess());
    String odd = "it's a \\ path";
    store.write(
        VIDEO,
        spark
            .range(30, 31)
            .select(
                col("id").as("sample_uid"),
                lit(odd).as("path"),
                struct(lit("a30").as("audio"), lit("f30").as("frames"))
                    .as(SystemColumns.PROVENANCE_BY_FIELD)));

    store.delete(VIDEO, List.of(RowFilter.eq("path", odd)), DeleteOptions.HARD);
    store.delete(VIDEO, List.of(RowFilter.sql("sample_uid IN (10, 11)")), DeleteOptions.HARD);
    ReadOptions history = ReadOptions.DEFAULT.sampleHistory();
    TreeSet<Long> left = range(0, 20);
    left.removeAll(List.of(10L, 11L));
    assertEquals(left, ids(store.read(VIDEO, history)), "no row of a deleted sample is left");
    assertEquals(left.size() + 3, store.read(VIDEO, history).count());
    assertEquals(embeddedIds(embedded, history), ids(store.read(VIDEO, history)));

    // A timestamp literal: nothing was created before 2000.
    store.delete(
        VIDEO,
        List.of(RowFilter.lt(SystemColumns.CREATED_AT, Instant.parse("2000-01-01T00:00:00Z"))),
        DeleteOptions.HARD);
    assertEquals(left, ids(store.read(VIDEO)));
    store.delete(
        VIDEO,
        List.of(RowFilter.gt(SystemColumns.CREATED_AT, Instant.parse("2000-01-01T00:00:00Z"))),
        DeleteOptions.HARD.featureHistory());
    assertEquals(0, store.read(VIDEO, history).count());
    assertTrue(store.hasFeature(VIDEO), "the table stays, empty");
  }

  @Test
  void deletesSparkCannotRunAreRefused(@TempDir Path root) {
    SparkMetadataStore store =
        SparkMetadataStore.delta(spark, root.toString(), SparkStoreOptions.of(graph));
    assertThrows(
        FeatureNotFoundException.class,
        () -> store.delete(VIDEO, List.of(), DeleteOptions.HARD.featureHistory()));
    store.write(VIDEO, store.resolveUpdate(VIDEO, samples(spark, 0, 3, "a")).toProcess());
    IllegalArgumentException lambda = assertThrows(
        IllegalArgumentException.class,
        () -> store.delete(VIDEO, List.of(batch -> new BitSet()), DeleteOptions.HARD));
    assertTrue(lambda.getMessage().contains("JVM predicate"), lambda.getMessage());
    IllegalArgumentException missing = assertThrows(
        IllegalArgumentException.class,
        () -> store.delete(VIDEO, List.of(RowFilter.eq("nope", 1)), DeleteOptions.HARD));
    assertTrue(missing.getMessage().contains("'nope'"), missing.getMessage());
    assertEquals(3, store.read(VIDEO).count(), "a refused delete removes nothing");
  }
}
