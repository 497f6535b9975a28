package io.metaxy.internal;

import io.metaxy.FeatureKey;
import io.metaxy.SystemColumns;
import java.util.ArrayList;
import java.util.List;

/** Table naming and DDL of feature tables (DuckDB dialect). For generated code only. */
public final class Tables {
  private Tables() {}

  /** The table name of a feature: key parts with {@code -} → {@code _}, joined by {@code __}. */
  public static String tableName(FeatureKey key) {
    return key.tableName();
  }

  /**
   * {@code CREATE TABLE IF NOT EXISTS} for a feature table, in the layout the DuckDB store creates (the
   * Python reference's default): the user columns (non-nullable ones {@code NOT NULL}) then the system
   * columns in {@link SystemColumns#ALL} order; by-field columns are {@code STRUCT}s of one {@code
   * VARCHAR} per field struct key, in spec order.
   */
  public static String createTable(
      FeatureKey key, List<ColumnDef> columns, List<String> fieldStructKeys) {
    List<String> children = new ArrayList<>();
    fieldStructKeys.forEach(k -> children.add(quote(k) + " VARCHAR"));
    String byField = "STRUCT(" + String.join(", ", children) + ")";
    StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
        .append(quote(tableName(key)))
        .append(" (");
    List<String> defs = new ArrayList<>();
    for (ColumnDef c : columns) {
      defs.add(quote(c.name()) + " " + c.type().sqlType() + (c.nullable() ? "" : " NOT NULL"));
    }
    for (SystemColumns.Column c : SystemColumns.COLUMNS) {
      String type = switch (c.kind()) {
        case BY_FIELD -> byField;
        case STRING -> "VARCHAR";
        case TIMESTAMP -> "TIMESTAMPTZ";
      };
      defs.add(quote(c.name()) + " " + type);
    }
    return sb.append(String.join(", ", defs)).append(")").toString();
  }

  /** A double-quoted SQL identifier. */
  public static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
