package io.metaxy.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A user column of a feature table, as declared by a record component. For generated code only.
 *
 * @param name the column name
 * @param type the column type
 * @param nullable whether the value may be null (the component is {@code @Nullable}); non-nullable
 *     columns are required in the feature schema
 * @param description the column description for the feature schema, or {@code null}
 */
public record ColumnDef(
    String name,
    ColumnType type,
    boolean nullable,
    @Nullable String description) {
  /** Checks for nulls. */
  public ColumnDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }
}
