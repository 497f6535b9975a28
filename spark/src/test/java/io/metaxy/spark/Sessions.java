package io.metaxy.spark;

import org.apache.spark.sql.SparkSession;

/** The tests' Spark session: local, two threads, no UI, small shuffles. */
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
        .getOrCreate();
  }
}
