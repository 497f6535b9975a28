package io.metaxy.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaxy.filter.FilterExpr.Column;
import io.metaxy.filter.FilterExpr.Compare;
import io.metaxy.filter.FilterExpr.Literal;
import io.metaxy.filter.FilterExpr.Not;
import io.metaxy.filter.FilterExpr.Op;
import io.metaxy.filter.SampleTable.Type;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * The nesting limit of {@link Filters#parse}: input nested past {@link Filters#MAX_NESTING_DEPTH} is a
 * {@link FilterSyntaxException} at the first level too many, never a {@link StackOverflowError}, and the
 * deepest filters it accepts go through every later pass over the tree on half a default thread stack.
 */
class FilterDepthTest {
  private static final int MAX = Filters.MAX_NESTING_DEPTH;
  private static final String TOO_DEEP =
      "filter nested too deeply: more than " + MAX + " levels of parentheses and NOT";

  private static void assertTooDeep(String filter, int position) {
    FilterSyntaxException e =
        assertThrows(FilterSyntaxException.class, () -> Filters.parse(filter));
    assertEquals(TOO_DEEP, e.detail());
    assertEquals(position, e.position());
  }

  @Test
  void pathologicalNestingIsASyntaxErrorAtTheFirstLevelTooMany() {
    assertTooDeep("NOT ".repeat(10_000) + "flag", MAX * 4 + 1);
    assertTooDeep("(".repeat(100_000) + "flag" + ")".repeat(100_000), MAX + 1);
    assertTooDeep("(".repeat(100_000), MAX + 1);
    assertTooDeep("a = " + "(".repeat(50_000) + "1" + ")".repeat(50_000), 4 + MAX + 1);
    assertTooDeep("a IN (" + "(".repeat(50_000) + "1" + ")".repeat(50_000) + ")", 7 + MAX);
    // Two levels per group: the NOT of group MAX / 2 + 1 is the first too many.
    assertTooDeep("NOT (".repeat(50_000) + "flag" + ")".repeat(50_000), MAX / 2 * 5 + 1);
    assertTooDeep("(a = 1 OR b AND ".repeat(20_000) + "c" + ")".repeat(20_000), MAX * 16 + 1);
  }

  @Test
  void nestingUpToTheLimitParsesAndSiblingsDoNotAddUp() {
    FilterExpr nots = Filters.parse("NOT ".repeat(MAX) + "flag");
    FilterExpr expected = new Column("flag");
    for (int i = 0; i < MAX; i++) {
      expected = new Not(expected);
    }
    assertEquals(expected, nots);
    assertEquals(new Column("flag"), Filters.parse("(".repeat(MAX) + "flag" + ")".repeat(MAX)));
    assertEquals(
        new Compare(Op.EQ, new Column("a"), new Literal(1L)),
        Filters.parse("a = " + "(".repeat(MAX) + "1" + ")".repeat(MAX)));
    // The limit counts what is open at one point, not how many groups there are.
    String deepGroup = "(".repeat(MAX) + "flag" + ")".repeat(MAX);
    Filters.parse(String.join(" AND ", Collections.nCopies(1_000, deepGroup)));
    assertTooDeep("NOT ".repeat(MAX) + "(flag)", MAX * 4 + 1);
  }

  /** The deepest shapes the limit allows, the tree as deep as the text can make it. */
  private static List<String> deepestFilters() {
    List<String> out = new ArrayList<>();
    // Two tree levels (OR, then AND) per parenthesis.
    out.add("(x = 1 OR flag AND ".repeat(MAX) + "x = 2" + ")".repeat(MAX));
    // NOT, OR and AND for every two levels.
    out.add("NOT (x = 1 OR flag AND ".repeat(MAX / 2) + "x IS NOT NULL" + ")".repeat(MAX / 2));
    out.add("NOT ".repeat(MAX) + "flag");
    out.add("x IN (" + "(".repeat(MAX) + "3" + ")".repeat(MAX) + ")");
    out.add("NOT (flag OR NOT (x >= 2 AND ".repeat(MAX / 4) + "x != 3" + "))".repeat(MAX / 4));
    return out;
  }

  @Test
  void theDeepestAcceptedFiltersSurviveEveryPassOnHalfADefaultStack() throws Exception {
    SampleTable data = new SampleTable(5)
        .add("id", Type.BIGINT, 1L, 2L, 3L, 4L, 5L)
        .add("x", Type.BIGINT, 1L, 2L, null, 3L, 4L)
        .add("flag", Type.BOOLEAN, true, false, null, true, false);
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot batch = data.toArrow(allocator);
        Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
      data.toDuckDb(duckdb, "data");
      // Load every class on this thread first: class loading is not what the small stack is about.
      everyPass("NOT (x = 1 OR flag AND (x IN (1)))", data, batch, duckdb);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread small = new Thread(
          null,
          () -> {
            try {
              for (String filter : deepestFilters()) {
                everyPass(filter, data, batch, duckdb);
              }
            } catch (Throwable t) {
              failure.set(t);
            }
          },
          "half-default-stack",
          512 * 1024);
      small.start();
      small.join();
      if (failure.get() != null) {
        throw new AssertionError("a pass over a filter at the nesting limit failed", failure.get());
      }
    }
  }

  private static void everyPass(
      String filter, SampleTable data, VectorSchemaRoot batch, Connection duckdb) {
    FilterExpr e = Filters.parse(filter);
    String printed = e.toString();
    FilterExpr again = Filters.parse(printed);
    assertEquals(e, again, printed);
    assertEquals(e.hashCode(), again.hashCode());
    Filters.columns(e);
    DSL.using(SQLDialect.DUCKDB).renderInlined(Filters.toCondition(e));
    List<Long> jvm = data.ids(Filters.evaluate(e, batch));
    assertEquals(SampleTable.duckDbIds(duckdb, "data", Filters.toCondition(e)), jvm, filter);
  }
}
