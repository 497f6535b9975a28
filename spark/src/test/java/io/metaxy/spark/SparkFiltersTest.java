package io.metaxy.spark;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.metaxy.conformance.SampleVectors;
import io.metaxy.filter.Filters;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * {@link SparkFilters} against the runtime's own evaluation of the same filter strings on Arrow
 * ({@link Filters#evaluate}), on rows with nulls: every operator of the filter language, SQL
 * three-valued logic included; and the same conditions rendered as Spark SQL text.
 */
class SparkFiltersTest {
  private static final List<String> FILTERS = List.of(
      "a = 3",
      "a != 3",
      "a <> 3",
      "a < 5 AND b = 'x'",
      "a IN (1, 2, NULL)",
      "a NOT IN (1, 2)",
      "a NOT IN (1, NULL)",
      "b IS NULL",
      "b IS NOT NULL",
      "c = NULL",
      "c != NULL",
      "NOT (a > 2 OR b = 'y')",
      "NOT b = 'x'",
      "c >= a",
      "b IS 'x'",
      "b IS NOT 'x'",
      "a > -2 AND c < 4",
      "b > 'm' OR c IS NULL",
      "\"b\" = 'it''s'",
      "b = 'back\\slash' OR a = -9223372036854775808",
      "a < 2.5 AND b != 'y'");

  private static SparkSession spark;
  private static Dataset<Row> dataset;
  private static List<Map<String, Object>> rows;

  @BeforeAll
  static void start() {
    spark = Sessions.local();
    Random rnd = new Random(7);
    rows = new ArrayList<>();
    List<String> words = List.of("x", "y", "it's", "z", "m", "n", "back\\slash");
    for (long id = 0; id < 60; id++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("id", id);
      r.put("a", (long) rnd.nextInt(8) - 2);
      r.put("b", rnd.nextInt(5) == 0 ? null : words.get(rnd.nextInt(words.size())));
      r.put("c", rnd.nextInt(4) == 0 ? null : (Object) (long) rnd.nextInt(8));
      rows.add(r);
    }
    dataset = JsonRows.dataset(
        spark, rows, Map.of("a", "Int64", "b", "String", "c", "Int64", "id", "Int64"));
  }

  @TestFactory
  Stream<DynamicTest> sparkSelectsWhatTheRuntimeSelects() {
    return FILTERS.stream()
        .map(f -> DynamicTest.dynamicTest(f, () -> {
          TreeSet<Long> want = new TreeSet<>();
          try (BufferAllocator allocator = new RootAllocator();
              VectorSchemaRoot batch = SampleVectors.batch(rows, Map.of(), allocator)) {
            BitSet keep = Filters.evaluate(Filters.parse(f), batch);
            keep.stream().forEach(i -> want.add((Long) rows.get(i).get("id")));
          }
          TreeSet<Long> got = new TreeSet<>();
          SparkFilters.apply(dataset, List.of(f))
              .select("id")
              .collectAsList()
              .forEach(r -> got.add(r.getLong(0)));
          assertEquals(want, got, f);
          // The same condition as SQL text (as DELETE statements take it) selects the same rows.
          TreeSet<Long> bySql = new TreeSet<>();
          dataset
              .where(expr(SparkFilters.sql(Filters.parse(f))))
              .select("id")
              .collectAsList()
              .forEach(r -> bySql.add(r.getLong(0)));
          assertEquals(want, bySql, f + " as " + SparkFilters.sql(Filters.parse(f)));
        }));
  }
}
