package io.metaxy.store.duckdb;

import io.metaxy.graph.FeatureCompanion;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * DuckDB DDL of feature tables, computed from a companion's table schema at run time. The store creates
 * tables itself on the first write; this is for creating one up front (e.g. to load it with plain SQL).
 * SQL dialects live in their store adapter, not in the core or the generated code.
 */
public final class DuckDbTables {
  private DuckDbTables() {}

  /**
   * {@code CREATE TABLE IF NOT EXISTS} of a feature's table in the layout the DuckDB store creates by
   * default (the Python reference's): the columns of {@link FeatureCompanion#tableSchema()} in order
   * (user columns, then system columns), typed as the store types them on a first write, by-field
   * columns {@code STRUCT("<field>" VARCHAR, ...)} in spec field order; non-nullable user columns are
   * {@code NOT NULL}.
   *
   * @throws UnsupportedOperationException when the companion does not describe its table schema
   * @throws IllegalArgumentException naming a column whose Arrow type DuckDB cannot store
   */
  public static String createTableSql(FeatureCompanion<?> companion) {
    List<String> defs = new ArrayList<>();
    for (Field f : companion.tableSchema().getFields()) {
      defs.add(DuckDbTypes.quote(f.getName()) + " "
          + DuckDbTypes.of(f, DuckDbBackend.BY_FIELD.contains(f.getName()), false)
          + (f.isNullable() ? "" : " NOT NULL"));
    }
    return "CREATE TABLE IF NOT EXISTS " + DuckDbTypes.quote(companion.key().tableName()) + " ("
        + String.join(", ", defs) + ")";
  }
}
