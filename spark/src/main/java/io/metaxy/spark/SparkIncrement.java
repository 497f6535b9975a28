package io.metaxy.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The increment of a feature as lazy Spark datasets (store spec §4.5): nothing runs until the caller
 * writes, counts or collects them.
 *
 * @param newSamples expected rows with no current row on the join columns (expected columns)
 * @param stale expected rows whose current provenance is null or different (expected columns)
 * @param orphaned current rows that are no longer expected (current columns)
 */
public record SparkIncrement(Dataset<Row> newSamples, Dataset<Row> stale, Dataset<Row> orphaned) {
  /** The rows to (re)compute: new, then stale (same columns). */
  public Dataset<Row> toProcess() {
    return newSamples.unionByName(stale);
  }
}
