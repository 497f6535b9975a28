package io.metaxy.internal;

import io.metaxy.FeatureKey;

/**
 * Table naming of feature tables. For generated code only. SQL dialects (DDL, column types) belong to
 * the store adapters (e.g. {@code DuckDbTables} in {@code metaxy-store-duckdb}).
 */
public final class Tables {
  private Tables() {}

  /** The table name of a feature: key parts with {@code -} → {@code _}, joined by {@code __}. */
  public static String tableName(FeatureKey key) {
    return key.tableName();
  }
}
