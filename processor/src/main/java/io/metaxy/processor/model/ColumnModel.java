package io.metaxy.processor.model;

import io.metaxy.internal.ColumnDef;
import io.metaxy.internal.ColumnType;

/**
 * One user column: a record component and how it is stored.
 *
 * @param component the record component name (its accessor)
 * @param javaType the component's Java type as source text (e.g. {@code int}, {@code java.lang.String})
 * @param def the column definition (name, type, nullability, description)
 * @param constantName the name of the column's constant in the generated {@code Columns} class
 */
public record ColumnModel(String component, String javaType, ColumnDef def, String constantName) {
  /** The column name. */
  public String name() {
    return def.name();
  }

  /** The column type. */
  public ColumnType type() {
    return def.type();
  }
}
