package io.metaxy.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark session: local, two threads, no UI, small shuffles. One session serves every test
 * class of the run (it stops with the JVM), so the start-up and the first queries' code generation are
 * paid once.
 */
final class Sessions {
  private Sessions() {}

  static SparkSession local() {
    return SparkSession.builder()
        .appName("metaxy-spark-tests")
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        // Delta tables for the store tests.
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config(
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        // The Delta store's log store for local tables: commits of concurrent processes never
        // replace each other (Delta's default for file: paths checks, then renames).
        .config("spark.delta.logStore.file.impl", "io.metaxy.store.delta.LinkLogStore")
        // Delta computes a table's snapshot in 50 partitions by default: far too many for test
        // tables.
        .config("spark.databricks.delta.snapshotPartitions", "2")
        // Tiny test data: adaptive re-planning costs more than it saves.
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate();
  }
}
