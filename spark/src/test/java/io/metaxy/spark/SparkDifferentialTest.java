package io.metaxy.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.conformance.SampleVectors;
import io.metaxy.engine.IncrementBatches;
import io.metaxy.engine.VersioningEngine;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.GraphJson;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random data through both engines, compared row by row: every hash algorithm, identity lineage with a
 * rename and a required or optional second dependency (present or absent), an all-optional full join,
 * aggregation and expansion lineage, nulls among the data versions; then the increments (new, stale,
 * orphaned) against random current rows. The seed of each case is in its name.
 */
class SparkDifferentialTest {
  private static final long SEED = Long.getLong("metaxy.spark.seed", 20261207L);

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = Sessions.local();
  }

  @TestFactory
  Stream<DynamicTest> bothEnginesAgree() {
    List<DynamicTest> tests = new ArrayList<>();
    Random seeds = new Random(SEED);
    for (HashAlgorithm algorithm : HashAlgorithm.values()) {
      long seed = seeds.nextLong();
      tests.add(DynamicTest.dynamicTest(
          algorithm.configName() + " seed " + seed, () -> run(algorithm, seed)));
    }
    return tests.stream();
  }

  private static void run(HashAlgorithm algorithm, long seed) {
    Random rnd = new Random(seed);
    boolean bOptional = rnd.nextBoolean();
    FeatureGraph graph = graph(bOptional);
    Truncation truncation = switch (rnd.nextInt(3)) {
      case 0 -> Truncation.NONE;
      case 1 -> Truncation.DEFAULT;
      default -> new Truncation(12);
    };
    Map<String, List<Map<String, Object>>> data = new LinkedHashMap<>();
    data.put("a", roots(rnd, 0, List.of("x", "y"), "caption", false));
    data.put("b", roots(rnd, 1, List.of("z"), "label", false));
    data.put("chunks", roots(rnd, 2, List.of("w"), "note", true));
    boolean bAbsent = bOptional && rnd.nextInt(3) == 0;
    String context = algorithm.configName() + ", " + truncation + ", seed " + seed
        + (bOptional ? ", b optional" : "") + (bAbsent ? ", b absent" : "");
    SparkVersioning spark =
        new SparkVersioning(SparkDifferentialTest.spark, graph, algorithm, truncation);
    try (BufferAllocator allocator = new RootAllocator()) {
      VersioningEngine engine = new VersioningEngine(graph, algorithm, truncation, allocator);
      Map<FeatureKey, VectorSchemaRoot> batches = new LinkedHashMap<>();
      Map<FeatureKey, Dataset<Row>> datasets = new LinkedHashMap<>();
      for (Map.Entry<String, List<Map<String, Object>>> e : data.entrySet()) {
        if (bAbsent && e.getKey().equals("b")) {
          continue;
        }
        batches.put(
            FeatureKey.of(e.getKey()), SampleVectors.batch(e.getValue(), Map.of(), allocator));
        datasets.put(
            FeatureKey.of(e.getKey()),
            JsonRows.dataset(SparkDifferentialTest.spark, e.getValue(), Map.of()));
      }
      try {
        for (String target : List.of("ab", "both_opt", "agg", "exp")) {
          FeatureKey key = FeatureKey.of(target);
          List<Map<String, Object>> want;
          try (VectorSchemaRoot expected = engine.expected(key, batches)) {
            want = SampleVectors.rows(expected);
            Dataset<Row> got = spark.expected(key, datasets);
            List<String> errors = SampleVectors.compare(want, JsonRows.collect(got));
            assertTrue(
                errors.isEmpty(), target + " (" + context + "):\n" + String.join("\n", errors));
            List<Map<String, Object>> current = current(rnd, want, target.equals("exp"));
            try (VectorSchemaRoot cur = SampleVectors.batch(current, Map.of(), allocator);
                IncrementBatches inc = engine.diff(key, expected, current.isEmpty() ? null : cur)) {
              SparkIncrement sinc = spark.diff(
                  key,
                  got,
                  current.isEmpty()
                      ? null
                      : JsonRows.dataset(SparkDifferentialTest.spark, current, Map.of()));
              // One Spark job for the three sides.
              Map<String, TreeSet<Long>> sides = new TreeMap<>();
              for (Row r : status(sinc).collectAsList()) {
                sides.computeIfAbsent(r.getString(1), k -> new TreeSet<>()).add(r.getLong(0));
              }
              String where = " of " + target + " (" + context + ")";
              assertEquals(
                  ids(SampleVectors.rows(inc.newRows())), side(sides, "new"), "new" + where);
              assertEquals(
                  ids(SampleVectors.rows(inc.stale())), side(sides, "stale"), "stale" + where);
              assertEquals(
                  ids(SampleVectors.rows(inc.orphaned())),
                  side(sides, "orphaned"),
                  "orphaned" + where);
              TreeSet<Long> work = ids(SampleVectors.rows(inc.newRows()));
              work.addAll(ids(SampleVectors.rows(inc.stale())));
              assertEquals(work, side(sides, "toProcess"), "toProcess" + where);
            }
          }
        }
      } finally {
        batches.values().forEach(VectorSchemaRoot::close);
      }
    }
  }

  /** Rows of a root feature: ids 0..39 with gaps, random data versions, about 1 in 10 null. */
  private static List<Map<String, Object>> roots(
      Random rnd, int salt, List<String> fields, String userColumn, boolean chunked) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (long id = 0; id < 40; id++) {
      if (rnd.nextInt(5) == 0) {
        continue;
      }
      int chunks = chunked ? rnd.nextInt(4) : 1;
      for (int c = 0; c < chunks; c++) {
        Map<String, Object> dv = new LinkedHashMap<>();
        for (String f : fields) {
          dv.put(f, rnd.nextInt(10) == 0 ? null : "v" + salt + "_" + rnd.nextInt(1000));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sample_uid", id);
        if (chunked) {
          r.put("chunk", (long) rnd.nextInt(1000));
        }
        r.put(userColumn, "u" + rnd.nextInt(100));
        r.put("metaxy_provenance_by_field", dv);
        r.put("metaxy_provenance", "p" + rnd.nextInt(1000));
        r.put("metaxy_data_version_by_field", dv);
        r.put("metaxy_data_version", "p" + rnd.nextInt(1000));
        rows.add(r);
      }
    }
    return rows;
  }

  /**
   * Stored rows for a diff: some expected rows as they are, some with another or a null provenance, some
   * ids no longer expected; expansion targets get one to three children per parent.
   */
  private static List<Map<String, Object>> current(
      Random rnd, List<Map<String, Object>> expected, boolean children) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<Map<String, Object>> source = new ArrayList<>(expected);
    for (long orphan = 100; orphan < 100 + rnd.nextInt(4); orphan++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("sample_uid", orphan);
      r.put("metaxy_provenance", "old");
      source.add(r);
    }
    for (Map<String, Object> e : source) {
      int pick = rnd.nextInt(4);
      if (pick == 0) {
        continue;
      }
      Object prov = switch (pick) {
        case 1 -> "changed";
        case 2 -> e.get("metaxy_provenance");
        default -> rnd.nextBoolean() ? null : e.get("metaxy_provenance");
      };
      int copies = children ? 1 + rnd.nextInt(3) : 1;
      for (int c = 0; c < copies; c++) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sample_uid", e.get("sample_uid"));
        if (children) {
          r.put("part", (long) c);
        }
        r.put("metaxy_provenance", prov);
        out.add(r);
      }
    }
    // A column whose values are all null has no type to infer: the diff needs the column only.
    if (out.stream().allMatch(r -> r.get("metaxy_provenance") == null) && !out.isEmpty()) {
      out.get(0).put("metaxy_provenance", "changed");
    }
    return out;
  }

  private static Dataset<Row> status(SparkIncrement inc) {
    return inc.newSamples()
        .select(col("sample_uid"), lit("new"))
        .union(inc.stale().select(col("sample_uid"), lit("stale")))
        .union(inc.orphaned().select(col("sample_uid"), lit("orphaned")))
        .union(inc.toProcess().select(col("sample_uid"), lit("toProcess")));
  }

  private static TreeSet<Long> side(Map<String, TreeSet<Long>> sides, String name) {
    return sides.getOrDefault(name, new TreeSet<>());
  }

  private static TreeSet<Long> ids(List<Map<String, Object>> rows) {
    TreeSet<Long> ids = new TreeSet<>();
    rows.forEach(r -> ids.add((Long) r.get("sample_uid")));
    return ids;
  }

  // ---- the graph, as the JSON specs the reference writes --------------------------------------

  private static FeatureGraph graph(boolean bOptional) {
    List<Object> features = new ArrayList<>();
    features.add(feature("a", List.of("sample_uid"), List.of(), fields("x", null, "y", null)));
    features.add(feature("b", List.of("sample_uid"), List.of(), fields("z", null)));
    features.add(feature("chunks", List.of("sample_uid", "chunk"), List.of(), fields("w", null)));
    features.add(feature(
        "ab",
        List.of("sample_uid"),
        List.of(
            dep("a", Map.of("type", "1:1"), false, null),
            dep("b", Map.of("type", "1:1"), bOptional, Map.of("label", "b_label"))),
        fields(
            "f1",
            Map.of("a", List.of("x"), "b", List.of("z")),
            "f2",
            Map.of("a", List.of("x", "y")))));
    features.add(feature(
        "both_opt",
        List.of("sample_uid"),
        List.of(
            dep("a", Map.of("type", "1:1"), true, Map.of("caption", "a_caption")),
            dep("b", Map.of("type", "1:1"), true, null)),
        fields("g", Map.of("a", List.of("y"), "b", List.of("z")))));
    features.add(feature(
        "agg",
        List.of("sample_uid"),
        List.of(dep("chunks", Map.of("type", "N:1", "on", List.of("sample_uid")), false, null)),
        fields("s", Map.of("chunks", List.of("w")))));
    features.add(feature(
        "exp",
        List.of("sample_uid", "part"),
        List.of(dep("a", Map.of("type", "1:N", "on", List.of("sample_uid")), false, null)),
        fields("e", Map.of("a", List.of("x")))));
    return FeatureGraph.of(GraphJson.fromTree(Map.of("features", features), "differential graph"));
  }

  private static Map<String, Object> feature(
      String key, List<String> ids, List<Object> deps, List<Object> fields) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("key", key);
    spec.put("id_columns", ids);
    spec.put("deps", deps);
    spec.put("fields", fields);
    spec.put("metadata", Map.of());
    spec.put("description", null);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("spec", spec);
    f.put("project", "test");
    return f;
  }

  private static Map<String, Object> dep(
      String feature,
      Map<String, Object> relationship,
      boolean optional,
      Map<String, String> rename) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("feature", feature);
    d.put("select", null);
    d.put("rename", rename);
    d.put(
        "fields_mapping",
        Map.of(
            "mapping",
            Map.of("type", "default", "match_suffix", false, "exclude_fields", List.of())));
    d.put("sql_filters", null);
    d.put("lineage", Map.of("relationship", relationship));
    d.put("optional", optional);
    return d;
  }

  /** Pairs of field key and its deps (upstream → fields), or null for a root field. */
  @SuppressWarnings("unchecked")
  private static List<Object> fields(Object... pairs) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("key", pairs[i]);
      f.put("code_version", "1");
      List<Object> deps = new ArrayList<>();
      if (pairs[i + 1] != null) {
        new TreeMap<>((Map<String, List<String>>) pairs[i + 1])
            .forEach((k, v) -> deps.add(new HashMap<>(Map.of("feature", k, "fields", v))));
      }
      f.put("deps", deps);
      out.add(f);
    }
    return out;
  }
}
