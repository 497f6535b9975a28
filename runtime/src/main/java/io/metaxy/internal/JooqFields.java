package io.metaxy.internal;

import java.time.Instant;
import java.time.LocalDate;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The jOOQ table and typed fields of feature tables, one factory per {@link ColumnType}, so that a
 * generated companion declares each column with one plain call. For generated code only.
 */
public final class JooqFields {
  private JooqFields() {}

  /** The table of this name. */
  public static Table<Record> table(String name) {
    return DSL.table(DSL.name(name));
  }

  /** A {@link ColumnType#STRING} column. */
  public static Field<String> ofString(String name) {
    return DSL.field(DSL.name(name), SQLDataType.VARCHAR);
  }

  /** An {@link ColumnType#INT} column. */
  public static Field<Integer> ofInt(String name) {
    return DSL.field(DSL.name(name), SQLDataType.INTEGER);
  }

  /** A {@link ColumnType#LONG} column. */
  public static Field<Long> ofLong(String name) {
    return DSL.field(DSL.name(name), SQLDataType.BIGINT);
  }

  /** A {@link ColumnType#DOUBLE} column. */
  public static Field<Double> ofDouble(String name) {
    return DSL.field(DSL.name(name), SQLDataType.DOUBLE);
  }

  /** A {@link ColumnType#FLOAT} column. */
  public static Field<Float> ofFloat(String name) {
    return DSL.field(DSL.name(name), SQLDataType.REAL);
  }

  /** A {@link ColumnType#BOOLEAN} column. */
  public static Field<Boolean> ofBoolean(String name) {
    return DSL.field(DSL.name(name), SQLDataType.BOOLEAN);
  }

  /** An {@link ColumnType#INSTANT} column (also the system timestamps). */
  public static Field<Instant> ofInstant(String name) {
    return DSL.field(DSL.name(name), SQLDataType.INSTANT);
  }

  /** A {@link ColumnType#LOCAL_DATE} column. */
  public static Field<LocalDate> ofLocalDate(String name) {
    return DSL.field(DSL.name(name), SQLDataType.LOCALDATE);
  }

  /** A {@link ColumnType#BYTES} column. */
  public static Field<byte[]> ofBytes(String name) {
    return DSL.field(DSL.name(name), SQLDataType.VARBINARY);
  }

  /** A {@link ColumnType#STRING_LIST} column (a SQL array of strings). */
  public static Field<String[]> ofStringList(String name) {
    return DSL.field(DSL.name(name), SQLDataType.VARCHAR.array());
  }

  /**
   * A by-field system column: a struct (or map) of one string per field, which has no jOOQ data type of
   * its own, so the field is untyped.
   */
  public static Field<?> ofByField(String name) {
    return DSL.field(DSL.name(name), SQLDataType.OTHER);
  }
}
