package io.metaxy.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** The SQL text and bind values a filter turns into, rendered for DuckDB. */
class JooqTranslatorTest {
  static {
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
  }

  private static final DSLContext DUCKDB = DSL.using(SQLDialect.DUCKDB);

  private static void assertSql(String filter, String sql, Object... binds) {
    Condition c = Filters.toCondition(Filters.parse(filter));
    assertEquals(sql, DUCKDB.render(c), filter);
    assertEquals(Arrays.asList(binds), DUCKDB.extractBindValues(c), filter);
  }

  @Test
  void comparisonsBindEveryLiteral() {
    assertSql("age > 25", "\"age\" > cast(? as bigint)", 25L);
    assertSql("2.5 <= score", "cast(? as double) <= \"score\"", 2.5);
    assertSql("a = b", "\"a\" = \"b\"");
    assertSql("a <> 'x'", "\"a\" <> cast(? as varchar)", "x");
    assertSql("d = DATE '2024-01-05'", "\"d\" = cast(? as date)", LocalDate.of(2024, 1, 5));
    assertSql(
        "t >= TIMESTAMP '2024-01-05T10:00:00Z'",
        "\"t\" >= cast(? as timestamp with time zone)",
        OffsetDateTime.parse("2024-01-05T10:00:00Z"));
  }

  @Test
  void userTextNeverReachesTheSql() {
    // A quote-laden string and a hostile column name stay a bind value and a quoted identifier.
    assertSql(
        "\"x\"\"; DROP TABLE t; --\" = 'it''s''; DROP TABLE t; --'",
        "\"x\"\"; DROP TABLE t; --\" = cast(? as varchar)",
        "it's'; DROP TABLE t; --");
    assertSql("metadata.owner = 'alice'", "\"metadata.owner\" = cast(? as varchar)", "alice");
  }

  @Test
  void booleanStructure() {
    assertSql(
        "(age > 25 OR age < 20) AND status != 'deleted'",
        "((\"age\" > cast(? as bigint) or \"age\" < cast(? as bigint)) and \"status\" <> cast(? as varchar))",
        25L,
        20L,
        "deleted");
    assertSql("NOT (status = 'deleted')", "not (\"status\" = cast(? as varchar))", "deleted");
    assertSql("NOT is_active", "not (\"is_active\")");
    assertSql("is_active", "\"is_active\"");
    assertSql("TRUE", "cast(? as boolean)", true);
  }

  @Test
  void nullTests() {
    assertSql("deleted_at = NULL", "\"deleted_at\" is null");
    assertSql("deleted_at IS NOT NULL", "not (\"deleted_at\" is null)");
    assertSql("flag IS NOT TRUE", "\"flag\" is distinct from cast(? as boolean)", true);
    assertSql("a IS b", "\"a\" is not distinct from \"b\"");
    // NULL next to a column is left for the database to type; elsewhere it is typed.
    assertSql("a < NULL", "\"a\" < ?", (Object) null);
    assertSql("NULL = 5", "cast(? as bigint) = cast(? as bigint)", null, 5L);
    assertSql("NULL IS NULL", "cast(? as varchar) is null", (Object) null);
  }

  @Test
  void inLists() {
    assertSql(
        "status IN ('a', 'b')", "\"status\" in (cast(? as varchar), cast(? as varchar))", "a", "b");
    assertSql(
        "x NOT IN (1, NULL)", "\"x\" not in (cast(? as bigint), cast(? as bigint))", 1L, null);
  }

  @Test
  void emptyConjunctionIsTrue() {
    Condition c = Filters.toCondition(Filters.and(List.of()));
    assertEquals("cast(? as boolean)", DUCKDB.render(c));
    assertEquals(List.of(true), DUCKDB.extractBindValues(c));
  }
}
