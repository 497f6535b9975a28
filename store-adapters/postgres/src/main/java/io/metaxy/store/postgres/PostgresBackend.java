package io.metaxy.store.postgres;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.metaxy.SystemColumns;
import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.Filters;
import io.metaxy.store.MetadataStoreException;
import io.metaxy.store.spi.ByFieldLayout;
import io.metaxy.store.spi.ByFieldLayouts;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.support.ArrowBatches;
import io.metaxy.store.support.JdbcQueries;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.SelectField;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL connection. SQL is built with jOOQ (identifiers quoted, values as binds). Appends
 * stream the batch through {@code COPY ... FROM STDIN} inside one transaction; reads push the version
 * filter, the latest-row-per-id dedup and row filters into SQL and copy the result into Arrow vectors.
 *
 * <p>Tables live in the connection's current schema, with exactly the columns of the reference's layout
 * (no column of ours: the reference refuses a column that two upstream tables share, and returns every
 * column to its users). Append order is the physical order ({@code ctid}), which decides only between
 * rows of equal timestamps. Tables created by earlier versions of this store have an identity column
 * {@value #SEQ} that records append order; it is used while it exists, and {@code mx metadata
 * convert-layout} drops it.
 */
final class PostgresBackend implements StoreBackend, ByFieldLayouts {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresBackend.class);
  /** The append-order column of tables created by earlier versions; never returned by scans. */
  static final String SEQ = "_metaxy_seq";

  private static final String ROW_NUMBER = "_metaxy_rn";
  private static final String ORDER = "_metaxy_order";
  private static final int FETCH_ROWS = 10_000;
  private static final int MAX_IDENTIFIER_BYTES = 63;
  private static final int COPY_CHUNK_CHARS = 1 << 20;
  private static final List<String> BY_FIELD =
      List.of(SystemColumns.PROVENANCE_BY_FIELD, SystemColumns.DATA_VERSION_BY_FIELD);

  static {
    // jOOQ prints a banner and tips on first use; a library must not write to stdout.
    System.setProperty("org.jooq.no-logo", System.getProperty("org.jooq.no-logo", "true"));
    System.setProperty("org.jooq.no-tips", System.getProperty("org.jooq.no-tips", "true"));
  }

  /** How appends move rows to the server; COPY is the default (see docs for the measurement). */
  enum AppendMethod {
    COPY,
    BATCHED_INSERT
  }

  private final Connection connection;
  private final String where;
  private final String prefix;
  private final boolean nestedAsJsonb;
  private final DSLContext dsl =
      DSL.using(SQLDialect.POSTGRES, new Settings().withRenderFormatted(false));
  private AppendMethod appendMethod = AppendMethod.COPY;

  PostgresBackend(
      Connection connection, String where, @Nullable String prefix, boolean nestedAsJsonb) {
    this.connection = connection;
    this.where = where;
    this.prefix = prefix == null ? "" : prefix;
    this.nestedAsJsonb = nestedAsJsonb;
  }

  void appendMethod(AppendMethod m) {
    this.appendMethod = m;
  }

  /** Opens another connection to the same database and schema, or null; set by the store. */
  private @Nullable Supplier<StoreBackend> readers;

  void readers(Supplier<StoreBackend> opener) {
    this.readers = opener;
  }

  /** Readers closed by their user, kept for the next {@link #concurrentReader()} until this backend closes. */
  private final ArrayDeque<PostgresBackend> idleReaders = new ArrayDeque<>();
  /** The backend that handed this one out as a reader, or null. */
  private @Nullable PostgresBackend owner;

  private boolean closed;

  /**
   * A reader on another connection to the same database and schema. Each PostgreSQL connection is one
   * server process, so the target and upstream scans of a {@code resolveUpdate} run on separate cores
   * of the server while the JVM decodes their results side by side (see docs/stores.md for figures).
   * Like the main connection outside a write, it reads committed rows. Closing the reader keeps its
   * connection for the next call (opening one costs ~8 ms) until this backend closes.
   */
  @Override
  public @Nullable StoreBackend concurrentReader() {
    synchronized (idleReaders) {
      PostgresBackend idle = idleReaders.poll();
      if (idle != null) {
        return idle;
      }
    }
    if (readers == null) {
      return null;
    }
    PostgresBackend r = (PostgresBackend) readers.get();
    r.owner = this;
    return r;
  }

  /** Takes back a reader being closed; false when this backend is closed itself (the reader then closes). */
  private boolean keepIdle(PostgresBackend reader) {
    synchronized (idleReaders) {
      if (closed) {
        return false;
      }
      idleReaders.push(reader);
      return true;
    }
  }

  private MetadataStoreException fail(String what, SQLException e) {
    String state = e.getSQLState();
    // Class 08 (connection exception) and 57P0x (server shutting down or restarting): this
    // connection is gone for good, so the store opens a new one for its next call.
    if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
      broken = true;
    }
    return new MetadataStoreException(
        what + " in PostgreSQL database " + where + ": " + e.getMessage(), e);
  }

  private volatile boolean broken;

  @Override
  public boolean isBroken() {
    return broken;
  }

  /**
   * The table name with the prefix. PostgreSQL would silently truncate a name over 63 bytes (and then
   * not find it by its full name), so such names are refused.
   */
  private String physical(String t) {
    String p = prefix + t;
    int bytes = p.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_IDENTIFIER_BYTES) {
      throw new MetadataStoreException(
          "table name " + p + " is " + bytes + " bytes; PostgreSQL identifiers are limited to "
              + MAX_IDENTIFIER_BYTES + " bytes (shorten the feature key or the table prefix)");
    }
    return p;
  }

  @Override
  public boolean hasTable(String t) {
    Select<?> q = dsl.selectOne()
        .from(table(name("information_schema", "tables")))
        .where(field(name("table_schema")).eq(field("current_schema()")))
        .and(field(name("table_name")).eq(physical(t)));
    try (PreparedStatement ps = prepare(q);
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    } catch (SQLException e) {
      throw fail("cannot look up table " + physical(t), e);
    }
  }

  @Override
  public List<String> listTables() {
    List<String> out = new ArrayList<>();
    try {
      for (String n :
          JdbcQueries.tableNames(connection, dsl, field("current_schema()", String.class))) {
        if (n.startsWith(prefix)) {
          out.add(n.substring(prefix.length()));
        }
      }
    } catch (SQLException e) {
      throw fail("cannot list tables", e);
    }
    // Sorted already: every kept name has the same prefix.
    return out;
  }

  /** The columns of a table in order, including {@value #SEQ}; empty when the table does not exist. */
  private Map<String, PgColumn> columns(String physicalTable) {
    Select<?> q = dsl.select(
            field(name("a", "attname"), String.class),
            field(name("t", "typname"), String.class),
            field(
                "format_type({0}, {1})",
                String.class, field(name("a", "atttypid")), field(name("a", "atttypmod"))),
            field(
                "col_description({0}, {1})",
                String.class, field(name("a", "attrelid")), field(name("a", "attnum"))))
        .from(table(name("pg_catalog", "pg_attribute")).as("a"))
        .join(table(name("pg_catalog", "pg_type")).as("t"))
        .on(field(name("t", "oid")).eq(field(name("a", "atttypid"))))
        .where(field(name("a", "attrelid"))
            .eq(field(
                "to_regclass(quote_ident(current_schema()) || '.' || quote_ident({0}))",
                Object.class, DSL.val(physicalTable))))
        .and(field(name("a", "attnum"), Integer.class).gt(0))
        .and(DSL.not(field(name("a", "attisdropped"), Boolean.class)))
        .orderBy(field(name("a", "attnum")));
    Map<String, PgColumn> out = new LinkedHashMap<>();
    try (PreparedStatement ps = prepare(q);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Field nested =
            rs.getString(2).equals("jsonb") ? PgColumn.nestedFrom(rs.getString(4)) : null;
        out.put(
            rs.getString(1),
            new PgColumn(rs.getString(1), rs.getString(2), rs.getString(3), nested));
      }
    } catch (SQLException e) {
      throw fail("cannot read the columns of table " + physicalTable, e);
    }
    return out;
  }

  private PreparedStatement prepare(Query q) throws SQLException {
    return JdbcQueries.prepare(connection, dsl, q);
  }

  // ------------------------------------------------------------------ scan

  @Override
  public VectorSchemaRoot scan(ScanRequest request, BufferAllocator allocator) {
    if (request.filter() == null) {
      return scan(request, null, allocator);
    }
    try {
      return scan(request, request.filter(), allocator);
    } catch (MetadataStoreException e) {
      // PostgreSQL is stricter than the JVM evaluator about types ('2024-01-01' vs timestamptz,
      // text vs number) and names; such filters run in the JVM instead, whose result or error is
      // authoritative.
      if (!(e.getCause() instanceof SQLException sql)
          || sql.getSQLState() == null
          || !(sql.getSQLState().startsWith("42") || sql.getSQLState().startsWith("22"))) {
        throw e;
      }
      LOG.debug(
          "filter {} not pushed down to {}: {}",
          request.filter(),
          request.table(),
          sql.getMessage());
      // Every column: the filter may look at columns the projection leaves out (the store drops
      // extras).
      ScanRequest unprojected = new ScanRequest(
          request.table(),
          request.featureVersion(),
          request.dedupIdColumns(),
          request.byFieldKeys(),
          null);
      try (VectorSchemaRoot all = scan(unprojected, null, allocator)) {
        return ArrowBatches.filter(all, Filters.evaluate(request.filter(), all), allocator);
      }
    }
  }

  @Override
  public boolean supportsFilterPushdown() {
    return true;
  }

  private VectorSchemaRoot scan(
      ScanRequest request, @Nullable FilterExpr pushed, BufferAllocator allocator) {
    String t = physical(request.table());
    Map<String, PgColumn> cols = columns(t);
    if (cols.isEmpty()) {
      throw new MetadataStoreException(
          "table " + t + " does not exist in PostgreSQL database " + where);
    }
    boolean hasSeq = cols.remove(SEQ) != null;
    // Filtering and deduplication see every column (allNames); only the projected ones are read
    // (outs).
    List<String> allNames = new ArrayList<>(cols.keySet());
    boolean any = cols.keySet().stream().anyMatch(request::returns);
    List<ResultReader.Out> outs = new ArrayList<>();
    for (PgColumn c : cols.values()) {
      if (any && !request.returns(c.name())) {
        continue;
      }
      List<String> keys = null;
      if (BY_FIELD.contains(c.name())) {
        keys = request.byFieldKeys().get(c.name());
        if (keys == null || keys.isEmpty()) {
          // Not asked for particular keys: return every key any row has, so a rewrite (hard delete)
          // keeps them.
          keys = jsonKeys(t, c.name());
        }
      }
      outs.add(new ResultReader.Out(c.name(), c, keys));
    }
    Condition filter = request.featureVersion() == null
        ? DSL.noCondition()
        : field(name(SystemColumns.FEATURE_VERSION), String.class).eq(request.featureVersion());
    Condition user = pushed == null ? DSL.noCondition() : Filters.toCondition(pushed);
    // Rows come back in append order: callers rely on "later appends come later" (and a hard delete
    // rewrites the table in scan order, which must keep that order).
    org.jooq.Field<Object> appendOrder = hasSeq ? field(name(SEQ)) : field(name("ctid"));
    Select<?> q;
    if (request.dedupIdColumns() == null) {
      q = dsl.select(projection(outs, null))
          .from(table(name(t)))
          .where(filter)
          .and(user)
          .orderBy(appendOrder);
    } else {
      List<org.jooq.Field<?>> ids = new ArrayList<>();
      for (String id : request.dedupIdColumns()) {
        if (!cols.containsKey(id)) {
          throw new MetadataStoreException("id column '" + id + "' is missing from table " + t
              + " (columns: " + cols.keySet() + ")");
        }
        ids.add(field(name(id)));
      }
      // Latest row per id by coalesce(deleted_at, updated_at); later appends win ties.
      org.jooq.Field<Object> order = DSL.coalesce(
          field(name(SystemColumns.DELETED_AT)), field(name(SystemColumns.UPDATED_AT)));
      List<SelectField<?>> inner = new ArrayList<>();
      for (String c : allNames) {
        inner.add(field(name(c)));
      }
      inner.add(appendOrder.as(name(ORDER)));
      inner.add(DSL.rowNumber()
          .over(DSL.partitionBy(ids).orderBy(order.desc().nullsLast(), appendOrder.desc()))
          .as(name(ROW_NUMBER)));
      // JSON keys are extracted outside the window, so only for the rows that survive
      // deduplication.
      q = dsl.select(projection(outs, "q"))
          .from(dsl.select(inner).from(table(name(t))).where(filter).asTable("q"))
          .where(field(name("q", ROW_NUMBER), Long.class).eq(1L))
          .and(user) // after deduplication (spec §3); unqualified names resolve to q's columns
          .orderBy(field(name("q", ORDER)));
    }
    return inTransaction("read table " + t, () -> {
      try (PreparedStatement ps = prepare(q)) {
        // A fetch size streams the result in chunks (needs a transaction) instead of buffering it
        // all.
        ps.setFetchSize(FETCH_ROWS);
        try (ResultSet rs = ps.executeQuery()) {
          return ResultReader.read(rs, outs, allocator);
        }
      }
    });
  }

  // ------------------------------------------------------------------ append cursors

  /** How a row's 32-bit inserting transaction id compares with a 64-bit one: its distance after it. */
  private static String distanceAfter(String cursorXid) {
    return "((xmin::text::bigint - (" + cursorXid + " % 4294967296) + 4294967296) % 4294967296)";
  }

  /**
   * {@code xmin:rows}: the oldest transaction id still running when the statement's snapshot was taken
   * (every transaction that commits later, subtransactions included, has an id at or after it), and
   * how many rows were inserted by transactions before it. Both come from one snapshot. Rows of
   * transactions at or after that id are read again by the next resolve (a few, committed just before
   * the cursor) as well as every row committed after it.
   */
  @Override
  public @Nullable String appendCursor(String t) {
    String table = quoted(physical(t));
    String sql = "WITH s AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS x)"
        + " SELECT s.x, (SELECT count(*) FROM " + table + " WHERE " + distanceAfter("s.x")
        + " >= 2147483648) FROM s";
    return inTransaction("read the append position of " + t, () -> {
      try (Statement st = connection.createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1) + ":" + rs.getLong(2);
      }
    });
  }

  /**
   * One aggregate instead of reading two columns of every row over JDBC. The microseconds are
   * computed from whole seconds and the seconds field, both exact integers.
   */
  @Override
  public @Nullable Long latestOrder(String t, BufferAllocator allocator) {
    String p = physical(t);
    Map<String, PgColumn> cols = columns(p);
    List<String> present = new ArrayList<>();
    for (String c : List.of(SystemColumns.DELETED_AT, SystemColumns.UPDATED_AT)) {
      if (cols.containsKey(c)) {
        present.add(quoted(c));
      }
    }
    if (present.isEmpty()) {
      return StoreBackend.super.latestOrder(t, allocator);
    }
    String order =
        present.size() == 1 ? present.get(0) : "coalesce(" + String.join(", ", present) + ")";
    String sql = "SELECT extract(epoch FROM date_trunc('second', m))::bigint * 1000000"
        + " + extract(microseconds FROM m)::bigint % 1000000"
        + " FROM (SELECT max(" + order + ") AS m FROM " + quoted(p) + ") AS x";
    return inTransaction("read the latest change of " + t, () -> {
          try (Statement st = connection.createStatement();
              ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? Optional.<Long>empty() : Optional.of(v);
          }
        })
        .orElse(null);
  }

  /**
   * The rows inserted by transactions at or after the cursor's id, once the rows before it are checked
   * to be those it counted (a hard delete removes some). Row ids are 32 bits and wrap around; a cursor
   * more than 2^31 - 2^24 transactions old can no longer place them, and is refused.
   */
  @Override
  public @Nullable VectorSchemaRoot scanAppended(
      String t, String cursor, @Nullable List<String> columns, BufferAllocator allocator) {
    String[] parts = cursor.split(":", 2);
    long xid;
    long rows;
    try {
      xid = Long.parseLong(parts[0]);
      rows = Long.parseLong(parts.length == 2 ? parts[1] : "x");
    } catch (NumberFormatException e) {
      return null;
    }
    String p = physical(t);
    String table = quoted(p);
    Map<String, PgColumn> cols = columns(p);
    List<ResultReader.Out> outs = new ArrayList<>();
    String x = Long.toString(xid);
    Condition appended = DSL.condition(distanceAfter(x) + " < 2147483648");
    List<String> names = columns;
    if (names == null) {
      names = new ArrayList<>(cols.keySet());
      names.remove(SEQ);
    }
    for (String c : names) {
      PgColumn col = cols.get(c);
      if (col == null) {
        throw new MetadataStoreException("column " + c + " is missing from table " + p);
      }
      // Every column: by-field columns come back as structs of every key an appended row has.
      List<String> keys = columns == null && BY_FIELD.contains(c) ? jsonKeys(p, c, appended) : null;
      outs.add(new ResultReader.Out(c, col, keys));
    }
    String check = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint - " + x
        + ", (SELECT count(*) FROM " + table + " WHERE " + distanceAfter(x) + " >= 2147483648)";
    String tail = dsl.renderInlined(
        dsl.select(projection(outs, null)).from(table(name(p))).where(appended));
    return inTransaction("read the rows appended to " + t, () -> {
          try (Statement st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery(check)) {
              rs.next();
              if (rs.getLong(1) >= (1L << 31) - (1L << 24) || rs.getLong(2) != rows) {
                return Optional.<VectorSchemaRoot>empty();
              }
            }
            st.setFetchSize(FETCH_ROWS);
            try (ResultSet rs = st.executeQuery(tail)) {
              return Optional.of(ResultReader.read(rs, outs, allocator));
            }
          }
        })
        .orElse(null);
  }

  /** The select list for the reader's columns, qualified by {@code alias} when non-null. */
  private List<SelectField<?>> projection(List<ResultReader.Out> outs, @Nullable String alias) {
    List<SelectField<?>> out = new ArrayList<>();
    for (ResultReader.Out o : outs) {
      org.jooq.Field<Object> f =
          alias == null ? field(name(o.name())) : field(name(alias, o.name()));
      if (o.structKeys() == null) {
        out.add(f);
      } else {
        out.addAll(keysAsColumns(f, o.name(), o.structKeys()));
      }
    }
    return out;
  }

  /** The distinct top-level keys of a JSON column, sorted. */
  private List<String> jsonKeys(String t, String column) {
    return jsonKeys(t, column, DSL.noCondition());
  }

  /** The distinct top-level keys of a JSON column in the rows that satisfy {@code rows}, sorted. */
  private List<String> jsonKeys(String t, String column, Condition rows) {
    Select<?> q = dsl.selectDistinct(
            field("jsonb_object_keys({0}::jsonb)", String.class, field(name(column)))
                .as("k"))
        .from(table(name(t)))
        .where(
            field("jsonb_typeof({0}::jsonb)", String.class, field(name(column))).eq("object"))
        .and(rows)
        .orderBy(field(name("k")));
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(q);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw fail("cannot read the keys of column " + column + " of table " + t, e);
    }
    return out;
  }

  /**
   * A JSON object column as a null flag followed by one text column per key (absent keys null); the
   * reader turns them into one struct. Separate columns avoid parsing a SQL array per row.
   */
  private List<SelectField<?>> keysAsColumns(
      org.jooq.Field<?> column, String name, List<String> keys) {
    List<SelectField<?>> out = new ArrayList<>();
    out.add(column.isNull().as(name(name + "$null")));
    for (int i = 0; i < keys.size(); i++) {
      out.add(field("({0}::jsonb ->> {1})", String.class, column, inline(keys.get(i)))
          .as(name(name + "$" + i)));
    }
    return out;
  }

  // ------------------------------------------------------------------ append / replace / drop

  @Override
  public void appendAll(List<Append> appends) {
    List<String> tables = new ArrayList<>();
    for (Append a : appends) {
      tables.add(physical(a.table()));
    }
    inTransaction("append to " + (tables.size() == 1 ? tables.get(0) : tables), () -> {
      for (int i = 0; i < appends.size(); i++) {
        insert(tables.get(i), appends.get(i).batch(), true);
      }
    });
  }

  @Override
  public @Nullable Schema tableSchema(String t) {
    Map<String, PgColumn> cols = columns(physical(t));
    if (cols.isEmpty()) {
      return null;
    }
    cols.remove(SEQ);
    List<Field> fields = new ArrayList<>();
    for (PgColumn c : cols.values()) {
      fields.add(c.appendedAs(BY_FIELD.contains(c.name())));
    }
    return new Schema(fields);
  }

  @Override
  public void replace(String t, VectorSchemaRoot rows) {
    String p = physical(t);
    inTransaction("replace rows of " + p, () -> {
      execute(dsl.deleteFrom(table(name(p))));
      insert(p, rows, false);
    });
  }

  /**
   * Drops the append-order column of a table created by an earlier version of this store ({@value #SEQ}),
   * which leaves the reference's layout; a no-op for other tables.
   *
   * @return whether the table had the column
   */
  /** The exact row count of a table. */
  /** {@link ByFieldLayout#STRUCT} for every table: JSON objects, which the reference reads as structs. */
  @Override
  public Optional<ByFieldLayout> byFieldLayout(String t) {
    return hasTable(t) ? Optional.of(ByFieldLayout.STRUCT) : Optional.empty();
  }

  /**
   * Drops the append-order column {@code _metaxy_seq} that tables created by earlier versions of this
   * store have, which leaves the reference's layout (by-field columns are JSON objects either way).
   *
   * @throws UnsupportedOperationException for {@link ByFieldLayout#MAP}: PostgreSQL has no map type,
   *     and the reference stores JSON objects whatever its {@code enable_map_datatype}
   */
  @Override
  public long convertByFieldLayout(String t, ByFieldLayout target, List<String> structKeys) {
    if (target == ByFieldLayout.MAP) {
      throw new UnsupportedOperationException(
          "PostgreSQL stores by-field columns as JSONB objects in either layout"
              + " (the reference does the same whatever its enable_map_datatype); there is no MAP layout to convert "
              + t + " to");
    }
    dropAppendOrderColumn(t);
    return countRows(t);
  }

  long countRows(String t) {
    try (PreparedStatement ps = prepare(dsl.selectCount().from(table(name(physical(t)))));
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw fail("cannot count the rows of " + physical(t), e);
    }
  }

  boolean dropAppendOrderColumn(String t) {
    String p = physical(t);
    if (!columns(p).containsKey(SEQ)) {
      return false;
    }
    try {
      execute(dsl.alterTable(table(name(p))).dropColumnIfExists(name(SEQ)));
      return true;
    } catch (SQLException e) {
      throw fail("cannot drop column " + SEQ + " of " + p, e);
    }
  }

  @Override
  public void dropTable(String t) {
    try {
      execute(dsl.dropTableIfExists(table(name(physical(t)))));
    } catch (SQLException e) {
      throw fail("cannot drop table " + physical(t), e);
    }
  }

  private interface SqlAction<T> {
    T run() throws SQLException;
  }

  private interface SqlStep {
    void run() throws SQLException;
  }

  /** {@link #inTransaction(String, SqlAction)} for an action without a result. */
  private void inTransaction(String what, SqlStep step) {
    inTransaction(what, () -> {
      step.run();
      return Boolean.TRUE;
    });
  }

  /** Runs an action in one transaction: all of it is applied or none (a failed write leaves the table as it was). */
  private <T> T inTransaction(String what, SqlAction<T> action) {
    try {
      connection.setAutoCommit(false);
      try {
        T result = action.run();
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw fail("cannot " + what, e);
    }
  }

  private void execute(Query q) throws SQLException {
    try (PreparedStatement ps = prepare(q)) {
      ps.execute();
    }
  }

  private void executeSql(String sql) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute(sql);
    }
  }

  private String quoted(String identifier) {
    return dsl.render(name(identifier));
  }

  private String type(Field f) {
    return PostgresTypes.of(f, BY_FIELD.contains(f.getName()), nestedAsJsonb);
  }

  private void insert(String t, VectorSchemaRoot batch, boolean createIfMissing)
      throws SQLException {
    Map<String, PgColumn> existing = columns(t);
    List<Field> fields = batch.getSchema().getFields();
    if (existing.isEmpty()
        || !existing.keySet().containsAll(fields.stream().map(Field::getName).toList())) {
      // Concurrent writers creating the same table or column would collide in the catalog; a
      // transaction-scoped advisory lock per table serialises the DDL, and the re-read sees the
      // winner's.
      execute(dsl.query(
          "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.' || {0}))", DSL.val(t)));
      existing = columns(t);
    }
    if (existing.isEmpty()) {
      if (!createIfMissing) {
        throw new MetadataStoreException(
            "table " + t + " does not exist in PostgreSQL database " + where);
      }
      List<String> defs = new ArrayList<>();
      for (Field f : fields) {
        defs.add(quoted(f.getName()) + " " + type(f));
      }
      executeSql("CREATE TABLE IF NOT EXISTS " + quoted(t) + " (" + String.join(", ", defs) + ")");
      for (Field f : fields) {
        recordNestedType(t, f);
      }
      existing = columns(t);
    } else {
      for (Field f : fields) {
        if (!existing.containsKey(f.getName())) {
          // New columns on later appends are added (earlier rows read as NULL); rolled back with a
          // failed append.
          executeSql("ALTER TABLE " + quoted(t) + " ADD COLUMN IF NOT EXISTS " + quoted(f.getName())
              + " " + type(f));
          recordNestedType(t, f);
        }
      }
      existing = columns(t);
    }
    if (batch.getRowCount() == 0) {
      return;
    }
    if (appendMethod == AppendMethod.COPY) {
      copy(t, batch);
    } else {
      batchedInsert(t, batch, existing);
    }
    LOG.debug("appended {} rows to {} ({})", batch.getRowCount(), t, appendMethod);
  }

  /**
   * Keeps a nested user column's Arrow field in the column comment, so reads give back the struct,
   * list or map that was written rather than JSON text.
   */
  private void recordNestedType(String t, Field f) throws SQLException {
    if (BY_FIELD.contains(f.getName()) || !type(f).equals("jsonb")) {
      return;
    }
    executeSql("COMMENT ON COLUMN " + quoted(t) + "." + quoted(f.getName()) + " IS "
        + dsl.renderInlined(inline(PgColumn.comment(f))));
  }

  private void copy(String t, VectorSchemaRoot batch) throws SQLException {
    List<FieldVector> vectors = batch.getFieldVectors();
    List<String> names = new ArrayList<>();
    for (FieldVector v : vectors) {
      names.add(quoted(v.getName()));
    }
    String sql = "COPY " + quoted(t) + " (" + String.join(", ", names) + ") FROM STDIN";
    CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      StringBuilder sb = new StringBuilder(COPY_CHUNK_CHARS + 4096);
      int rows = batch.getRowCount();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < vectors.size(); c++) {
          if (c > 0) {
            sb.append('\t');
          }
          PgText.copyEscape(sb, PgText.of(vectors.get(c), r));
        }
        sb.append('\n');
        if (sb.length() >= COPY_CHUNK_CHARS) {
          byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
          in.writeToCopy(bytes, 0, bytes.length);
          sb.setLength(0);
        }
      }
      byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
      in.writeToCopy(bytes, 0, bytes.length);
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  private static final int INSERT_BATCH_ROWS = 1000;

  /** The alternative to COPY: multi-row INSERTs of text binds cast to the column types. */
  private void batchedInsert(String t, VectorSchemaRoot batch, Map<String, PgColumn> cols)
      throws SQLException {
    List<FieldVector> vectors = batch.getFieldVectors();
    List<String> names = new ArrayList<>();
    List<String> params = new ArrayList<>();
    for (FieldVector v : vectors) {
      names.add(quoted(v.getName()));
      // insert() created every column of the batch before calling this.
      PgColumn c = Objects.requireNonNull(cols.get(v.getName()), v.getName());
      params.add("CAST(? AS " + c.formattedType() + ")");
    }
    String sql = "INSERT INTO " + quoted(t) + " (" + String.join(", ", names) + ") VALUES ("
        + String.join(", ", params) + ")";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      int rows = batch.getRowCount();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < vectors.size(); c++) {
          ps.setString(c + 1, PgText.of(vectors.get(c), r));
        }
        ps.addBatch();
        if ((r + 1) % INSERT_BATCH_ROWS == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
  }

  @Override
  public void close() {
    if (owner != null && owner.keepIdle(this)) {
      return;
    }
    List<PostgresBackend> idle;
    synchronized (idleReaders) {
      closed = true;
      idle = new ArrayList<>(idleReaders);
      idleReaders.clear();
    }
    MetadataStoreException failure = null;
    for (PostgresBackend r : idle) {
      try {
        r.connection.close();
      } catch (SQLException e) {
        failure = fail("cannot close a reader connection", e);
      }
    }
    try {
      connection.close();
    } catch (SQLException e) {
      throw fail("cannot close connection", e);
    }
    if (failure != null) {
      throw failure;
    }
  }
}
