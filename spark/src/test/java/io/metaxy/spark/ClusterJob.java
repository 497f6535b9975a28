package io.metaxy.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The driver of {@link SparkClusterTest}, run as its own process against a standalone master: builds
 * {@link ClusterData}'s upstream rows with {@code spark.range} (so executors produce them), resolves the
 * expected rows of the leaf with {@link SparkVersioning} and writes {@code id,provenance} lines.
 *
 * <p>Arguments: master URL, output file, the jars executors load Metaxy from (comma-separated).
 */
public final class ClusterJob {
  private ClusterJob() {}

  /** Runs the job. */
  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession.builder()
        .appName("metaxy-cluster-test")
        .master(args[0])
        .config("spark.jars", args[2])
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.memory", "512m")
        .config("spark.cores.max", "2")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate();
    try {
      FeatureGraph graph = ClusterData.graph();
      SparkVersioning versioning =
          new SparkVersioning(spark, graph, HashAlgorithm.XXHASH32, Truncation.DEFAULT);
      Dataset<Row> root = spark
          .range(0, ClusterData.ROWS, 1, 4)
          .select(
              col("id").as("sample_uid"),
              struct(
                      concat(lit("a"), col("id").multiply(7919).mod(1000).cast("string"))
                          .as("audio"),
                      concat(lit("f"), col("id").multiply(104729).mod(977).cast("string"))
                          .as("frames"))
                  .as("metaxy_data_version_by_field"));
      Dataset<Row> expected =
          versioning.expected(FeatureKey.of("clip"), Map.of(FeatureKey.of("video"), root));
      List<String> lines = new ArrayList<>();
      for (Row r : expected.select("sample_uid", "metaxy_provenance").collectAsList()) {
        lines.add(r.getLong(0) + "," + r.getString(1));
      }
      Files.write(Path.of(args[1]), lines, StandardCharsets.UTF_8);
    } finally {
      spark.stop();
    }
  }
}
