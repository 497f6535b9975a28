package io.metaxy.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.MetaxyException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The filter-string scenarios of store-scenarios.md section I (98–102), each checked on the JVM
 * evaluator and on DuckDB through the jOOQ translation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilterScenariosTest {
  private static final SampleTable PEOPLE = new SampleTable(4)
      .add("id", SampleTable.Type.BIGINT, 1L, 2L, 3L, 4L)
      .add("age", SampleTable.Type.BIGINT, 17L, 25L, 30L, 45L)
      .add("status", SampleTable.Type.VARCHAR, "active", "active", "inactive", "deleted")
      .add("is_active", SampleTable.Type.BOOLEAN, true, true, false, false)
      .add("deleted_at", SampleTable.Type.VARCHAR, null, null, "2024-01-01", null)
      .add("metadata.owner", SampleTable.Type.VARCHAR, "alice", "bob", "alice", null);

  private static final SampleTable XS = new SampleTable(4)
      .add("id", SampleTable.Type.BIGINT, 3L, 5L, 7L, 10L)
      .add("x", SampleTable.Type.BIGINT, 3L, 5L, 7L, 10L);

  private BufferAllocator allocator;
  private Connection duckdb;
  private VectorSchemaRoot people;
  private VectorSchemaRoot xs;

  @BeforeAll
  void setUp() throws SQLException {
    allocator = new RootAllocator();
    people = PEOPLE.toArrow(allocator);
    xs = XS.toArrow(allocator);
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
    PEOPLE.toDuckDb(duckdb, "people");
    XS.toDuckDb(duckdb, "xs");
  }

  @AfterAll
  void tearDown() throws SQLException {
    people.close();
    xs.close();
    allocator.close();
    duckdb.close();
  }

  private void assertSelects(String filter, Long... expectedIds) {
    FilterExpr e = Filters.parse(filter);
    List<Long> expected = List.of(expectedIds);
    assertEquals(expected, PEOPLE.ids(Filters.evaluate(e, people)), "JVM: " + filter);
    assertEquals(
        expected,
        SampleTable.duckDbIds(duckdb, "people", Filters.toCondition(e)),
        "DuckDB: " + filter);
    assertEquals(e, Filters.parse(e.toString()), "round trip of " + e);
  }

  private void assertSelectsX(String filter, Long... expectedXs) {
    FilterExpr e = Filters.parse(filter);
    List<Long> expected = List.of(expectedXs);
    assertEquals(expected, XS.ids(Filters.evaluate(e, xs)), "JVM: " + filter);
    assertEquals(
        expected, SampleTable.duckDbIds(duckdb, "xs", Filters.toCondition(e)), "DuckDB: " + filter);
  }

  @Test
  void scenario98ComparisonsAndBooleanLogic() {
    assertSelects("age > 25", 3L, 4L);
    assertSelects("age > 25 AND status = 'active'");
    assertSelects("(age > 25 OR age < 20) AND status != 'deleted'", 1L, 3L);
    assertSelects("NOT (status = 'deleted')", 1L, 2L, 3L);
    assertSelects("is_active = true AND deleted_at = NULL", 1L, 2L);
  }

  @Test
  void scenario99InLists() {
    assertSelects("status IN ('active','inactive')", 1L, 2L, 3L);
    assertSelects("age IN (17, 25, 100)", 1L, 2L);
    assertSelects("status NOT IN ('deleted')", 1L, 2L, 3L);
    assertSelects("status IN ('active','inactive') AND age > 20", 2L, 3L);
  }

  @Test
  void scenario100NullTestsAndBareBooleans() {
    assertSelects("deleted_at IS NULL", 1L, 2L, 4L);
    assertSelects("deleted_at = NULL", 1L, 2L, 4L);
    assertEquals(Filters.parse("deleted_at IS NULL"), Filters.parse("deleted_at = NULL"));
    assertEquals(Filters.parse("deleted_at IS NULL"), Filters.parse("NULL = deleted_at"));
    assertSelects("deleted_at IS NOT NULL", 3L);
    assertSelects("deleted_at != NULL", 3L);
    assertSelects("deleted_at <> NULL", 3L);
    assertEquals(Filters.parse("deleted_at IS NOT NULL"), Filters.parse("deleted_at != NULL"));
    assertSelects("NOT is_active", 3L, 4L);
    assertSelects("is_active", 1L, 2L);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "x = 5  | 5",
        "x != 5 | 3,7,10",
        "x <> 5 | 3,7,10",
        "x > 5  | 7,10",
        "x < 5  | 3",
        "x >= 5 | 5,7,10",
        "x <= 5 | 3,5",
        "5 < x  | 7,10",
        "5 >= x | 3,5"
      })
  void scenario100ComparisonOperators(String filter, String expected) {
    Long[] xsExpected = Arrays.stream(expected.split(","))
        .map(String::trim)
        .map(Long::valueOf)
        .toArray(Long[]::new);
    assertSelectsX(filter, xsExpected);
  }

  @Test
  void scenario101Errors() {
    FilterSyntaxException between =
        assertThrows(FilterSyntaxException.class, () -> Filters.parse("age BETWEEN 20 AND 30"));
    assertTrue(between.getMessage().contains("unsupported expression"), between.getMessage());
    assertEquals(5, between.position());

    for (String blank : List.of("", "   ")) {
      FilterSyntaxException e =
          assertThrows(FilterSyntaxException.class, () -> Filters.parse(blank));
      assertTrue(e.getMessage().contains("cannot be empty"), e.getMessage());
    }

    FilterSyntaxException lhs =
        assertThrows(FilterSyntaxException.class, () -> Filters.parse("5 IN (1,2)"));
    assertEquals(
        "invalid filter \"5 IN (1,2)\" at position 1: IN operator left-hand side must be a column",
        lhs.getMessage());

    FilterSyntaxException item =
        assertThrows(FilterSyntaxException.class, () -> Filters.parse("x IN (y, 2)"));
    assertEquals(
        "invalid filter \"x IN (y, 2)\" at position 7: IN operator values must be literals",
        item.getMessage());

    // The Java counterpart of "FilterParseError is a ValueError": one Metaxy exception type.
    assertTrue(MetaxyException.class.isAssignableFrom(FilterSyntaxException.class));
  }

  @Test
  void scenario102DottedNameIsOneColumn() {
    FilterExpr e = Filters.parse("metadata.owner = 'alice'");
    assertEquals(
        new FilterExpr.Compare(
            FilterExpr.Op.EQ,
            new FilterExpr.Column("metadata.owner"),
            new FilterExpr.Literal("alice")),
        e);
    assertEquals(e, Filters.parse("\"metadata.owner\" = 'alice'"));
    assertEquals(e, Filters.parse("\"metadata\".\"owner\" = 'alice'"));
    assertSelects("metadata.owner = 'alice'", 1L, 3L);
  }
}
