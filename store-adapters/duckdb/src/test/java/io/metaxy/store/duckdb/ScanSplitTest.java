package io.metaxy.store.duckdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.Filters;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.jooq.Condition;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** Cutting a scan into id ranges: how many, the bounds taken from the scan's conditions, and full coverage. */
class ScanSplitTest {
  @Test
  void tablesSplitOnlyWhenEveryRangeHasEnoughRowsAndThereAreThreads() {
    long min = ScanSplit.MIN_RANGE_ROWS;
    assertEquals(1, ScanSplit.ranges(2 * min - 1, 8));
    assertEquals(2, ScanSplit.ranges(2 * min, 8));
    assertEquals(3, ScanSplit.ranges(3 * min + 5, 8));
    assertEquals(8, ScanSplit.ranges(100 * min, 8), "never more ranges than DuckDB threads");
    assertEquals(1, ScanSplit.ranges(100 * min, 1));
  }

  @Test
  void boundsComeFromComparisonsOfTheIdWithIntegers() {
    FilterExpr ge = Filters.compare("id", FilterExpr.Op.GE, 10L);
    FilterExpr lt = Filters.compare("id", FilterExpr.Op.LT, 20L);
    assertArrayEquals(new long[] {10, 19}, ScanSplit.bounds(List.of(ge, lt), "id"));
    assertArrayEquals(
        new long[] {11, 20},
        ScanSplit.bounds(
            List.of(
                Filters.compare("id", FilterExpr.Op.GT, 10L),
                Filters.compare("id", FilterExpr.Op.LE, 20L)),
            "id"));
    // A partition's range nested in another AND, narrowed by a user's own bound.
    assertArrayEquals(
        new long[] {15, 19},
        ScanSplit.bounds(
            List.of(
                new FilterExpr.And(List.of(ge, lt)), Filters.compare("id", FilterExpr.Op.GE, 15L)),
            "id"));
    assertNull(ScanSplit.bounds(List.of(ge), "id"), "one side only");
    assertNull(
        ScanSplit.bounds(List.of(ge, Filters.compare("other", FilterExpr.Op.LT, 20L)), "id"));
    assertNull(
        ScanSplit.bounds(List.of(ge, Filters.compare("id", FilterExpr.Op.LT, "x")), "id"),
        "not an integer");
    assertNull(ScanSplit.bounds(List.of(ge, Filters.compare("id", FilterExpr.Op.NE, 20L)), "id"));
    assertArrayEquals(
        new long[] {Long.MAX_VALUE, Long.MIN_VALUE},
        ScanSplit.bounds(
            List.of(
                Filters.compare("id", FilterExpr.Op.GT, Long.MAX_VALUE),
                Filters.compare("id", FilterExpr.Op.LT, Long.MIN_VALUE)),
            "id"),
        "no overflow at the ends of the range");
  }

  @Test
  void rangesCoverEveryValueExactlyOnceWhateverTheBounds() throws Exception {
    long[][] cases = {
      {0, 999, 2},
      {0, 999, 3},
      {100, 100, 4},
      {0, 1, 4},
      {-50, 50, 7},
      {500, 400, 2},
      {Long.MIN_VALUE, Long.MAX_VALUE, 3},
      {2000, 3000, 2}
    };
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      // Values inside and outside the bounds, the extremes of BIGINT, and nulls.
      st.execute(
          "CREATE TABLE v AS SELECT CASE WHEN i % 97 = 0 THEN NULL ELSE i - 100 END AS id FROM range(1200) t(i)"
              + " UNION ALL SELECT * FROM (VALUES (-9223372036854775808), (9223372036854775807)) t(id)");
      long total = count(st, DSL.noCondition());
      for (long[] k : cases) {
        List<Condition> ranges = ScanSplit.conditions("id", k[0], k[1], (int) k[2]);
        long sum = 0;
        for (int i = 0; i < ranges.size(); i++) {
          sum += count(st, ranges.get(i));
          for (int j = i + 1; j < ranges.size(); j++) {
            assertEquals(
                0,
                count(st, ranges.get(i).and(ranges.get(j))),
                "ranges " + i + " and " + j + " overlap");
          }
        }
        assertEquals(total, sum, "every row in exactly one range for bounds " + Arrays.toString(k));
      }
      assertEquals(3, ScanSplit.conditions("id", 0, 999, 3).size());
      assertEquals(
          2, ScanSplit.conditions("id", 0, 1, 4).size(), "no empty ranges when the span is narrow");
      assertEquals(1, ScanSplit.conditions("id", 100, 100, 4).size());
    }
  }

  private static long count(Statement st, Condition c) throws Exception {
    String sql = DSL.using(SQLDialect.DUCKDB)
        .renderInlined(DSL.selectCount().from(DSL.table(DSL.name("v"))).where(c));
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
