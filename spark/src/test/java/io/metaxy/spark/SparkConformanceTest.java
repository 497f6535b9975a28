package io.metaxy.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.conformance.SampleVectors;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.GraphJson;
import io.metaxy.json.Json;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code sample} vector of the reference's conformance file (the copy the runtime bundles)
 * through {@link SparkVersioning}: upstream rows in, expected versioning columns out, compared with the
 * reference's values.
 */
class SparkConformanceTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = Sessions.local();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> sampleCases() throws IOException {
    try (InputStream in =
        SparkConformanceTest.class.getResourceAsStream("/conformance/versioning-vectors.json")) {
      Map<String, Object> tree =
          (Map<String, Object>) Json.parse(in, "bundled versioning-vectors.json");
      List<Map<String, Object>> out = new ArrayList<>();
      for (Map<String, Object> c : (List<Map<String, Object>>) tree.get("cases")) {
        if ("sample".equals(c.get("kind"))) {
          out.add(c);
        }
      }
      return out;
    }
  }

  @TestFactory
  Stream<DynamicTest> sampleVectors() throws IOException {
    List<Map<String, Object>> cases = sampleCases();
    assertTrue(cases.size() >= 50, "the bundled file has the reference's sample vectors");
    return cases.stream()
        .map(c -> DynamicTest.dynamicTest((String) c.get("name"), () -> {
          List<String> errors = check(c);
          assertTrue(errors.isEmpty(), String.join("\n", errors));
        }));
  }

  @SuppressWarnings("unchecked")
  private static List<String> check(Map<String, Object> c) {
    FeatureGraph graph =
        FeatureGraph.of(GraphJson.fromTree(c.get("graph"), (String) c.get("name")));
    Map<String, Object> config = (Map<String, Object>) c.get("config");
    HashAlgorithm algorithm = HashAlgorithm.fromConfigName((String) config.get("hash_algorithm"));
    Truncation truncation = config.containsKey("hash_truncation_length")
        ? Truncation.of(
            config.get("hash_truncation_length") == null
                ? null
                : ((Number) config.get("hash_truncation_length")).intValue())
        : Truncation.DEFAULT;
    SparkVersioning versioning = new SparkVersioning(spark, graph, algorithm, truncation);
    FeatureKey target = FeatureKey.of((String) c.get("target"));
    List<Map<String, Object>> expected =
        (List<Map<String, Object>>) ((Map<String, Object>) c.get("expected")).get("rows");
    if ("root_write".equals(c.get("mode"))) {
      Dataset<Row> in =
          JsonRows.dataset(spark, (List<Map<String, Object>>) c.get("input_rows"), Map.of());
      return SampleVectors.compare(
          expected, JsonRows.collect(versioning.completeForWrite(target, in)));
    }
    Map<String, Object> upstream = (Map<String, Object>) c.get("upstream");
    Map<String, Object> schemas = (Map<String, Object>) c.getOrDefault("upstream_schema", Map.of());
    Map<FeatureKey, Dataset<Row>> datasets = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : upstream.entrySet()) {
      datasets.put(
          FeatureKey.of(e.getKey()),
          JsonRows.dataset(spark, (List<Map<String, Object>>) e.getValue(), (Map<String, String>)
              schemas.getOrDefault(e.getKey(), Map.of())));
    }
    return SampleVectors.compare(expected, JsonRows.collect(versioning.expected(target, datasets)));
  }
}
