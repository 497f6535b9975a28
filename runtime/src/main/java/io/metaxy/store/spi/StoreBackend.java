package io.metaxy.store.spi;

import io.metaxy.SystemColumns;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jspecify.annotations.Nullable;

/**
 * One physical connection of a store adapter. The shared behaviour (system columns, version scoping,
 * deduplication rules, soft deletes, fallbacks, the snapshot push, the checks of every write) lives in
 * {@link io.metaxy.store.MetadataStore}; an adapter only moves Arrow batches in and out of tables.
 *
 * <p>A backend is used by one thread at a time: the store runs its operations one after the other, and
 * a {@linkplain #concurrentReader reader} is used only by the thread it was handed to. Another
 * connection or process may write the same tables at the same time.
 *
 * <p>Tables are addressed by their physical name ({@code video__raw}). Batches handed to the adapter
 * follow the conventions of {@code io.metaxy.engine}: {@code *_by_field} columns are structs of UTF-8
 * with one child per field in spec order, timestamps are microseconds UTC, and columns come in the
 * order a new table should have (the Python reference's, {@code SystemColumns.referenceOrder}). An
 * adapter creates tables in the reference's layout for its backend (DuckDB: {@code STRUCT}s, or {@code
 * MAP(VARCHAR, VARCHAR)} with {@code StoreOptions.enableMapDatatype}; PostgreSQL: {@code jsonb}) and
 * must return by-field columns as structs with the children the {@link ScanRequest} asks for, whatever
 * the layout of the table.
 */
public interface StoreBackend extends AutoCloseable {
  /** Whether the table exists (an empty table counts). */
  boolean hasTable(String table);

  /** The names of all tables, sorted. */
  List<String> listTables();

  /**
   * Reads a table. The adapter applies the request's version filter and, when asked, keeps only the
   * latest row per id (see {@link ScanRequest}); everything else is done by the caller. A backend
   * should return only the columns the request {@linkplain ScanRequest#returns returns} (reading fewer
   * columns is the point of a projection); the store drops any other column it gets back.
   *
   * @return a batch owned by the caller, allocated from {@code allocator}
   */
  VectorSchemaRoot scan(ScanRequest request, BufferAllocator allocator);

  /**
   * Whether {@link #scan} applies {@link ScanRequest#filter()} (in the database). When false the store
   * evaluates every filter in the JVM and never sets it.
   */
  default boolean supportsFilterPushdown() {
    return false;
  }

  /**
   * {@code {min, max, rows}} of an integer column over all rows of a table (every version, tombstones
   * included), or null when the column is not an integer, holds nulls, or the backend cannot tell
   * cheaply (the default). Used to split large increments into id ranges.
   */
  default long @Nullable [] integerRange(String table, String column) {
    return null;
  }

  /**
   * The number of rows of a table as the database's catalog knows it without scanning (it may count
   * deleted rows or miss uncommitted ones), 0 when the table does not exist, or -1 when the backend
   * cannot tell cheaply (the default). Only a hint: it spares small resolves the exact
   * {@link #integerRange} query.
   */
  default long estimatedRows(String table) {
    return -1;
  }

  /**
   * A second backend on the same database for reads ({@link #hasTable}, {@link #scan}) on another
   * thread while this one is in use, or null when the backend cannot read concurrently (the default).
   * The store runs the reads of one {@code resolveUpdate} (target and upstreams) at the same time
   * through such readers when the database scans faster that way; the caller closes the reader.
   */
  default @Nullable StoreBackend concurrentReader() {
    return null;
  }

  /**
   * Where a table's appends stand now, as an opaque token for {@link #scanAppended}, or null when the
   * backend cannot tell (the default; incremental resolves then fall back to full ones). Only called
   * for a table that exists. Every row committed before this call lies before the position; a row
   * committed after it lies after it, however early its transaction began. The token is persisted (a
   * system table) and read back by later processes, so it must not depend on this connection.
   */
  default @Nullable String appendCursor(String table) {
    return null;
  }

  /**
   * The rows appended to a table after an {@link #appendCursor} position (a superset is allowed),
   * with only {@code columns} (every column, as {@link #scan} returns them, when null), or null when
   * the position no longer describes the table: rows before it were removed or rewritten (a hard
   * delete, the table dropped and created again). Incremental resolves then fall back to full ones, so
   * a backend must never return a tail that misses a row.
   *
   * @return a batch owned by the caller, allocated from {@code allocator}
   */
  default @Nullable VectorSchemaRoot scanAppended(
      String table, String cursor, @Nullable List<String> columns, BufferAllocator allocator) {
    return null;
  }

  /**
   * The latest deduplication order of a table's rows, {@code coalesce(metaxy_deleted_at,
   * metaxy_updated_at)} in microseconds UTC over every row (every feature version, tombstones
   * included), or null when no row has one. An incremental resolve keeps it with its cursors: appended
   * rows later than every earlier row are sure to be their samples' latest. The default reads the two
   * columns; a database answers with an aggregate.
   */
  default @Nullable Long latestOrder(String table, BufferAllocator allocator) {
    List<String> order = List.of(SystemColumns.DELETED_AT, SystemColumns.UPDATED_AT);
    try (VectorSchemaRoot rows =
        scan(new ScanRequest(table, null, null, Map.of(), null, order, Set.of()), allocator)) {
      FieldVector deleted = rows.getVector(SystemColumns.DELETED_AT);
      FieldVector updated = rows.getVector(SystemColumns.UPDATED_AT);
      Long max = null;
      for (int r = 0; r < rows.getRowCount(); r++) {
        Long d = micros(deleted, r);
        Long o = d != null ? d : micros(updated, r);
        if (o != null && (max == null || o > max)) {
          max = o;
        }
      }
      return max;
    }
  }

  private static @Nullable Long micros(@Nullable FieldVector v, int row) {
    if (v == null || v.isNull(row)) {
      return null;
    }
    if (!(v instanceof TimeStampVector t)) {
      throw new IllegalStateException(
          "column " + v.getName() + " must be a timestamp, got " + v.getField().getType());
    }
    long raw = t.get(row);
    return switch (((ArrowType.Timestamp) t.getField().getType()).getUnit()) {
      case SECOND -> raw * 1_000_000L;
      case MILLISECOND -> raw * 1_000L;
      case MICROSECOND -> raw;
      case NANOSECOND -> Math.floorDiv(raw, 1_000L);
    };
  }

  /**
   * Whether {@code table} is exactly as it was between two {@link #appendCursor} positions,
   * {@code earlier} taken first: nothing appended, nothing removed, so {@link #scanAppended} from
   * {@code earlier} would return no row. It saves an incremental resolve the tail read of every table
   * that did not change. False (the default) is always safe.
   */
  default boolean unchangedBetween(String table, String earlier, String later) {
    return false;
  }

  /** A batch to append to a table (see {@link #appendAll}). */
  record Append(String table, VectorSchemaRoot batch) {}

  /**
   * Appends batches to tables atomically: when the call returns every row of every batch is stored
   * and committed; when it throws, none is (tables or columns it created are gone too, or were empty
   * and harmless). Missing tables are created from the batch's schema, and columns a table lacks are
   * added. Creation must tolerate another connection or process creating the same table or column at
   * the same time. The caller keeps ownership of the batches.
   */
  void appendAll(List<Append> appends);

  /** {@link #appendAll} of one batch. */
  default void append(String table, VectorSchemaRoot batch) {
    appendAll(List.of(new Append(table, batch)));
  }

  /**
   * The Arrow types of a table's columns, as an append of this backend would have created them (the
   * types a batch must have to be stored as is), or null when the table does not exist. A column
   * whose type the backend cannot state as one Arrow type (e.g. a by-field column, or a PostgreSQL
   * array) is reported with type {@link org.apache.arrow.vector.types.pojo.ArrowType.Null}; the store
   * then does not check it.
   */
  @Nullable
  Schema tableSchema(String table);

  /**
   * Replaces every row of an existing table by {@code rows} atomically (used by hard deletes, whose
   * filters are evaluated in the JVM).
   */
  void replace(String table, VectorSchemaRoot rows);

  /**
   * Whether the connection was lost (a server restart, a killed backend process, a network failure):
   * the call that found out has thrown, and the store replaces this backend by a new connection
   * before its next call. False by default (embedded databases never lose their connection).
   */
  default boolean isBroken() {
    return false;
  }

  /** Drops a table; no-op when it does not exist. */
  void dropTable(String table);

  /** Closes the physical connection. */
  @Override
  void close();
}
