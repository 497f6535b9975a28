package io.metaxy.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.conformance.SampleVectors;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.delta.DeltaMetadataStore;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.LongStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two jobs of docs/spark.md, taken from the page, compiled as a user's project would compile them
 * and run in {@code local[2]}: the store job over tables the embedded Delta store wrote, and the Parquet
 * job on 100 videos with clips stored for 80 of them (20 with an old provenance) and one clip whose
 * video is gone.
 */
class SparkDocTest {
  @Test
  void theDocsJobFindsTheNewAndStaleClips(@TempDir Path tmp) throws Exception {
    SparkSession spark = Sessions.local();
    SparkVersioning v =
        new SparkVersioning(spark, ClusterData.graph(), HashAlgorithm.XXHASH32, Truncation.DEFAULT);
    FeatureKey video = FeatureKey.of("video");
    FeatureKey clip = FeatureKey.of("clip");
    Dataset<Row> videos = spark
        .range(0, 100, 1, 2)
        .select(
            col("id").as("sample_uid"),
            struct(
                    concat(lit("a"), col("id").cast("string")).as("audio"),
                    concat(lit("f"), col("id").cast("string")).as("frames"))
                .as("metaxy_data_version_by_field"),
            lit(v.featureVersion(video)).as("metaxy_feature_version"),
            current_timestamp().as("metaxy_updated_at"),
            lit(null).cast("timestamp").as("metaxy_deleted_at"));
    videos.write().parquet(tmp.resolve("video").toString());
    Dataset<Row> expected = v.expected(clip, Map.of(video, videos));
    Dataset<Row> clips = expected
        .where(col("sample_uid").lt(80))
        .select(
            col("sample_uid"),
            when(col("sample_uid").geq(60), lit("old"))
                .otherwise(col("metaxy_provenance"))
                .as("metaxy_provenance"))
        .unionByName(spark
            .range(500, 501)
            .select(col("id").as("sample_uid"), lit("x").as("metaxy_provenance")))
        .withColumn("metaxy_feature_version", lit(v.featureVersion(clip)))
        .withColumn("metaxy_updated_at", current_timestamp())
        .withColumn("metaxy_deleted_at", lit(null).cast("timestamp"));
    clips.write().parquet(tmp.resolve("clip").toString());

    Class<?> job = compile("ClipsToEmbed", tmp.resolve("classes"));
    Method main = job.getMethod("main", String[].class);
    main.invoke(null, (Object) new String[] {
      tmp.resolve("video").toString(),
      tmp.resolve("clip").toString(),
      tmp.resolve("work").toString()
    });

    TreeSet<Long> work = new TreeSet<>();
    for (Row r : spark.read().parquet(tmp.resolve("work").toString()).collectAsList()) {
      work.add(r.getLong(r.fieldIndex("sample_uid")));
    }
    TreeSet<Long> want = new TreeSet<>();
    LongStream.range(60, 100).forEach(want::add);
    assertEquals(want, work, "20 stale clips (60..79) and 20 new ones (80..99)");
  }

  @Test
  void theDocsStoreJobEmbedsWhatTheEmbeddedStoreWrote(@TempDir Path tmp) throws Exception {
    SparkSession spark = Sessions.local();
    FeatureKey clip = FeatureKey.of("clip");
    Path root = tmp.resolve("metaxy");
    DeltaMetadataStore embedded =
        new DeltaMetadataStore(StoreOptions.of(ClusterData.graph()), root);
    try (var scope = embedded.open(AccessMode.WRITE)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (long id = 0; id < 30; id++) {
        rows.add(Map.of(
            "sample_uid",
            id,
            "metaxy_provenance_by_field",
            Map.of("audio", "a" + id, "frames", "f" + id)));
      }
      try (VectorSchemaRoot batch = SampleVectors.batch(rows, Map.of(), embedded.allocator())) {
        embedded.write(FeatureKey.of("video"), batch);
      }
    }

    Class<?> job = compile("EmbedClips", tmp.resolve("classes"));
    job.getMethod("main", String[].class)
        .invoke(null, (Object) new String[] {root.toString(), "s3://embeddings"});

    try (var scope = embedded.open(AccessMode.READ);
        Increment left = embedded.resolveUpdate(clip)) {
      assertTrue(left.isEmpty(), "the embedded store has nothing left to do");
    }
    SparkMetadataStore store =
        SparkMetadataStore.delta(spark, root.toString(), SparkStoreOptions.of(ClusterData.graph()));
    List<Row> paths = store.read(clip).select("embedding_path").distinct().collectAsList();
    assertEquals(30, paths.size());
    assertTrue(
        paths.get(0).getString(0).startsWith("s3://embeddings/"), paths.get(0).toString());
  }

  /** The Java block of docs/spark.md that declares {@code name}. */
  private static String jobSource(String name) throws IOException {
    Path doc = repoRoot().resolve("docs/spark.md");
    List<String> lines = Files.readAllLines(doc);
    List<String> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals("```java")) {
        StringBuilder b = new StringBuilder();
        for (i++; !lines.get(i).equals("```"); i++) {
          b.append(lines.get(i)).append('\n');
        }
        blocks.add(b.toString());
      }
    }
    List<String> jobs = blocks.stream()
        .filter(b -> b.contains("public final class " + name + " "))
        .toList();
    assertEquals(1, jobs.size(), "docs/spark.md has one " + name + " block");
    return jobs.get(0);
  }

  private static Class<?> compile(String name, Path out) throws Exception {
    Path src = out.resolve("src/" + name + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, jobSource(name));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(
        null,
        null,
        null,
        "--release",
        "17",
        "-proc:none",
        "-classpath",
        System.getProperty("java.class.path"),
        "-d",
        out.toString(),
        src.toString());
    assertEquals(0, rc, "the docs' job compiles");
    URLClassLoader loader =
        new URLClassLoader(new URL[] {out.toUri().toURL()}, SparkDocTest.class.getClassLoader());
    return loader.loadClass(name);
  }

  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/spark.md"))) {
      p = p.getParent();
    }
    assertTrue(p != null, "docs/spark.md above " + Path.of("").toAbsolutePath());
    return p;
  }
}
