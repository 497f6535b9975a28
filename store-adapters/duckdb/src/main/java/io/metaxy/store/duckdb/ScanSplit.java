package io.metaxy.store.duckdb;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

import io.metaxy.filter.FilterExpr;
import io.metaxy.store.support.IdRanges;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * How a large deduplicating scan is cut into id ranges that DuckDB reads side by side, one connection
 * each. DuckDB executes a streamed query on about one core (1.1M rows with by-field maps: 343 ms of
 * wall time for 358 ms of CPU on 2 cores), and a resolve's reading is mostly one large upstream table;
 * two id ranges on two connections read it in ~230 ms for the same CPU. Ranges of the rowid cost 20 %
 * more CPU and hash buckets of the id 30 %: DuckDB prunes row groups by the id's min/max statistics,
 * which an appended table has in id order, but decodes every row group for the other two.
 *
 * <p>The ranges split the first id column and together cover every value of it (the first one also
 * takes nulls), so each id tuple falls in exactly one range, the deduplication of each range is that
 * of the whole table, and the bounds (from the column's min and max, or from the scan's own conditions
 * on it) only decide how evenly the work is spread, never which rows are read.
 */
final class ScanSplit {
  private ScanSplit() {}

  /**
   * The fewest rows worth a range of their own: below it the extra connection and query cost about as
   * much as the parallel reading saves (110k rows: ~55 ms either way).
   */
  static final long MIN_RANGE_ROWS = 250_000;

  /** {@link #MIN_RANGE_ROWS}, lowered by tests to split small tables. */
  static volatile long minRangeRows = MIN_RANGE_ROWS;

  /** The number of ranges for a scan of about {@code rows} rows with {@code threads} DuckDB threads (1: no split). */
  static int ranges(long rows, int threads) {
    long min = minRangeRows;
    if (rows < 2 * min || threads < 2) {
      return 1;
    }
    return (int) Math.min(threads, rows / min);
  }

  /**
   * {@code {lo, hi}} when the conjuncts bound the integer column {@code id} on both sides ({@code id >= c},
   * {@code id > c}, {@code id < c}, {@code id <= c}, as a partitioned resolve adds them), else null.
   */
  static long @Nullable [] bounds(List<FilterExpr> conjuncts, String id) {
    long lo = Long.MIN_VALUE;
    long hi = Long.MAX_VALUE;
    boolean hasLo = false;
    boolean hasHi = false;
    for (FilterExpr e : conjuncts) {
      if (e instanceof FilterExpr.And and) {
        long[] inner = bounds(and.operands(), id);
        if (inner != null) {
          lo = Math.max(lo, inner[0]);
          hi = Math.min(hi, inner[1]);
          hasLo = hasHi = true;
        }
        continue;
      }
      if (!(e instanceof FilterExpr.Compare c)
          || !(c.left() instanceof FilterExpr.Column col)
          || !col.name().equals(id)
          || !(c.right() instanceof FilterExpr.Literal lit)
          || !(lit.value() instanceof Long v)) {
        continue;
      }
      switch (c.op()) {
        case GE -> {
          lo = Math.max(lo, v);
          hasLo = true;
        }
        case GT -> {
          lo = Math.max(lo, v == Long.MAX_VALUE ? v : v + 1);
          hasLo = true;
        }
        case LE -> {
          hi = Math.min(hi, v);
          hasHi = true;
        }
        case LT -> {
          hi = Math.min(hi, v == Long.MIN_VALUE ? v : v - 1);
          hasHi = true;
        }
        default -> {}
      }
    }
    return hasLo && hasHi ? new long[] {lo, hi} : null;
  }

  /**
   * {@code count} conditions on {@code id} that split {@code [lo, hi]} into ranges of equal width and
   * together match every value (the first range is open below and takes nulls, the last is open above).
   */
  static List<Condition> conditions(String id, long lo, long hi, int count) {
    Field<Long> f = field(name(id), Long.class);
    long[] cuts = IdRanges.cuts(lo, hi, count);
    if (cuts.length == 0) {
      return List.of(DSL.noCondition());
    }
    List<Condition> out = new ArrayList<>();
    out.add(f.lt(cuts[0]).or(f.isNull()));
    for (int i = 1; i < cuts.length; i++) {
      out.add(f.ge(cuts[i - 1]).and(f.lt(cuts[i])));
    }
    out.add(f.ge(cuts[cuts.length - 1]));
    return out;
  }
}
