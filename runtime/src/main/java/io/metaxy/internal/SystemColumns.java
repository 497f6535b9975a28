package io.metaxy.internal;

import java.util.List;

/**
 * The Metaxy system columns of every feature table, in table order: the order the Python reference's
 * write path leaves them for a root feature written with its ids and by-field provenance (see {@code
 * io.metaxy.store.SystemColumns#referenceOrder}, and {@code io.metaxy.engine}'s package documentation
 * for their Arrow types). For generated code only.
 */
public final class SystemColumns {
  /** Struct of per-field provenance hashes. */
  public static final String PROVENANCE_BY_FIELD = io.metaxy.engine.SystemColumns.PROVENANCE_BY_FIELD;
  /** Hash of {@link #PROVENANCE_BY_FIELD}. */
  public static final String PROVENANCE = io.metaxy.engine.SystemColumns.PROVENANCE;
  /** Struct of per-field data versions. */
  public static final String DATA_VERSION_BY_FIELD = io.metaxy.engine.SystemColumns.DATA_VERSION_BY_FIELD;
  /** Hash of {@link #DATA_VERSION_BY_FIELD}. */
  public static final String DATA_VERSION = io.metaxy.engine.SystemColumns.DATA_VERSION;
  /** The feature version the row was written under. */
  public static final String FEATURE_VERSION = io.metaxy.engine.SystemColumns.FEATURE_VERSION;
  /** The project version the row was written under. */
  public static final String PROJECT_VERSION = io.metaxy.engine.SystemColumns.PROJECT_VERSION;
  /** The orchestration run that wrote the row. */
  public static final String MATERIALIZATION_ID = io.metaxy.engine.SystemColumns.MATERIALIZATION_ID;
  /** When the row was first written (µs, UTC). */
  public static final String CREATED_AT = io.metaxy.engine.SystemColumns.CREATED_AT;
  /** When the row was last written (µs, UTC). */
  public static final String UPDATED_AT = io.metaxy.engine.SystemColumns.UPDATED_AT;
  /** When the row was soft-deleted (µs, UTC), or null. */
  public static final String DELETED_AT = io.metaxy.engine.SystemColumns.DELETED_AT;

  /** The prefix reserved for system columns; user columns may not start with it. */
  public static final String PREFIX = "metaxy_";

  /** Kinds of system column. */
  public enum Kind {
    /** One UTF-8 value per field (Arrow struct, SQL {@code STRUCT(<field> VARCHAR, ...)}). */
    BY_FIELD,
    /** A UTF-8 string. */
    STRING,
    /** A timestamp in microseconds, UTC. */
    TIMESTAMP
  }

  /**
   * A system column.
   *
   * @param name the column name
   * @param kind its kind
   */
  public record Column(String name, Kind kind) {}

  /** Every system column, in table order. */
  public static final List<Column> ALL =
      List.of(
          new Column(PROVENANCE_BY_FIELD, Kind.BY_FIELD),
          new Column(FEATURE_VERSION, Kind.STRING),
          new Column(PROJECT_VERSION, Kind.STRING),
          new Column(PROVENANCE, Kind.STRING),
          new Column(CREATED_AT, Kind.TIMESTAMP),
          new Column(UPDATED_AT, Kind.TIMESTAMP),
          new Column(DELETED_AT, Kind.TIMESTAMP),
          new Column(MATERIALIZATION_ID, Kind.STRING),
          new Column(DATA_VERSION_BY_FIELD, Kind.BY_FIELD),
          new Column(DATA_VERSION, Kind.STRING));

  private SystemColumns() {}
}
