package io.metaxy.benchmarks;

/**
 * The size of an increment.
 *
 * @param newRows expected samples without a current row
 * @param stale samples whose current row is out of date
 * @param orphaned current rows no longer expected
 */
public record Counts(long newRows, long stale, long orphaned) {
  @Override
  public String toString() {
    return "new=" + newRows + " stale=" + stale + " orphaned=" + orphaned;
  }
}
