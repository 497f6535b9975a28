package io.metaxy.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The increment of a feature as lazy Spark datasets (store spec §4.5): nothing runs until the caller
 * writes, counts or collects them. Each is its own plan; a job that processes the work should consume
 * {@link #toProcess} once rather than {@code newSamples} and {@code stale} separately.
 *
 * @param newSamples expected rows with no current row on the join columns (expected columns)
 * @param stale expected rows whose current provenance is null or different (expected columns)
 * @param orphaned current rows that are no longer expected (current columns)
 * @param toProcess the rows to (re)compute, new and stale (expected columns); where possible one join
 *     of the expected with the current rows, so the upstream rows are read and hashed once
 */
public record SparkIncrement(
    Dataset<Row> newSamples, Dataset<Row> stale, Dataset<Row> orphaned, Dataset<Row> toProcess) {
  /** An increment whose rows to process are the union of new and stale. */
  public SparkIncrement(Dataset<Row> newSamples, Dataset<Row> stale, Dataset<Row> orphaned) {
    this(newSamples, stale, orphaned, newSamples.unionByName(stale));
  }
}
