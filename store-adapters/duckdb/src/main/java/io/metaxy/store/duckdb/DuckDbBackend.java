package io.metaxy.store.duckdb;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.metaxy.SystemColumns;
import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.FilterExpr.And;
import io.metaxy.filter.Filters;
import io.metaxy.json.CanonicalJson;
import io.metaxy.store.MetadataStoreException;
import io.metaxy.store.StoreUnavailableException;
import io.metaxy.store.spi.ByFieldLayout;
import io.metaxy.store.spi.ByFieldLayouts;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.support.ArrowBatches;
import io.metaxy.store.support.JdbcQueries;
import io.metaxy.store.support.SideBySide;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.QueryPart;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DuckDB connection. SQL is built with jOOQ (identifiers quoted, values as binds); batches move as
 * Arrow C streams: {@code arrowExportStream} out, {@code registerArrowStream} in.
 */
final class DuckDbBackend implements StoreBackend, ByFieldLayouts {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbBackend.class);
  private static final int BATCH_ROWS = 1 << 16;
  private static final String INPUT_VIEW = "__metaxy_input";
  static final List<String> BY_FIELD =
      List.of(SystemColumns.PROVENANCE_BY_FIELD, SystemColumns.DATA_VERSION_BY_FIELD);

  static {
    // jOOQ prints a banner and tips on first use; a library must not write to stdout.
    System.setProperty("org.jooq.no-logo", System.getProperty("org.jooq.no-logo", "true"));
    System.setProperty("org.jooq.no-tips", System.getProperty("org.jooq.no-tips", "true"));
  }

  private final Connection connection;
  private final String database;
  private final DSLContext dsl =
      DSL.using(SQLDialect.DUCKDB, new Settings().withRenderFormatted(false));
  private final Shared shared;
  private final boolean mapLayout;
  /** The one table this backend reads from a query ({@link #over}), or null for a database's tables. */
  private final @Nullable String viewTable;

  private final @Nullable String viewSql;

  /** The row id column of a {@link #over} query: its rows' order, as DuckDB's {@code rowid} is a table's. */
  static final String VIEW_ROWID = "__metaxy_view_rowid";

  /**
   * What the connections of one open store (the main one and its readers) share: DuckDB's thread count,
   * asked once, and the slots that let at most that many id-range queries of split scans run at once.
   * Two large upstreams read side by side already keep the cores busy (more streams only compete),
   * while one large table alone gains ~20 % from two.
   */
  static final class Shared {
    int threads; // 0 until asked

    @Nullable
    Semaphore rangeSlots; // made with threads
  }

  /**
   * @param mapLayout tables this backend creates keep by-field columns as {@code MAP(VARCHAR, VARCHAR)}
   *     (the reference's {@code enable_map_datatype}) instead of its default {@code STRUCT}
   */
  DuckDbBackend(Connection connection, String database, boolean mapLayout) {
    this(connection, database, new Shared(), mapLayout, null, null);
  }

  private DuckDbBackend(
      Connection connection,
      String database,
      Shared shared,
      boolean mapLayout,
      @Nullable String viewTable,
      @Nullable String viewSql) {
    this.connection = connection;
    this.database = database;
    this.shared = shared;
    this.mapLayout = mapLayout;
    this.viewTable = viewTable;
    this.viewSql = viewSql;
  }

  /**
   * A backend that scans table {@code table} as the rows of the query {@code sql} (which has a {@link
   * #VIEW_ROWID} column ordering its rows as appends would), for {@link ParquetFiles}; only its scans are
   * used. Not closed by the caller: the connection stays its owner's. {@code shared} is that of the
   * engine's connections, so that scans running side by side on them share the id-range slots.
   */
  static DuckDbBackend over(
      Connection connection, Shared shared, String what, String table, String sql) {
    return new DuckDbBackend(connection, what, shared, false, table, sql);
  }

  /** What scans read as table {@code t}: the table, or the query of a {@link #over} backend. */
  private Table<?> from(String t) {
    return viewSql != null && t.equals(viewTable)
        ? DSL.table("(" + viewSql + ")").as(name(t))
        : table(name(t));
  }

  /** The column giving the append order of the rows of a scanned table. */
  private org.jooq.Field<Object> rowid() {
    return field(name(viewSql == null ? "rowid" : VIEW_ROWID));
  }

  private MetadataStoreException fail(String what, SQLException e) {
    return new MetadataStoreException(
        what + " in DuckDB database " + database + ": " + e.getMessage(), e);
  }

  @Override
  public boolean hasTable(String t) {
    return !columns(t).isEmpty();
  }

  @Override
  public List<String> listTables() {
    try {
      return JdbcQueries.tableNames(connection, dsl, inline("main"));
    } catch (SQLException e) {
      throw fail("cannot list tables", e);
    }
  }

  /** Column name → DuckDB type of a table, in order; empty when the table does not exist. */
  Map<String, String> columns(String t) {
    // The metadata of a prepared (never executed) SELECT *: DuckDB binds the table as the scan
    // will, in ~0.15 ms, where a duckdb_columns() query took 1-1.7 ms, and every resolve asks about
    // every table several times (10k-row resolves spent a third of their time here).
    Map<String, String> out = new LinkedHashMap<>();
    try (PreparedStatement ps = prepare(dsl.selectFrom(from(t)))) {
      ResultSetMetaData md = ps.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        out.put(md.getColumnName(i), md.getColumnTypeName(i));
      }
      if (viewSql != null) {
        out.remove(VIEW_ROWID);
      }
    } catch (SQLException e) {
      if (!tableExists(t)) {
        return out;
      }
      throw fail("cannot read the columns of table " + t, e);
    }
    return out;
  }

  /** Whether the main schema of the current database has a table {@code t}; asked only when binding it failed. */
  private boolean tableExists(String t) {
    if (viewSql != null) {
      return t.equals(viewTable);
    }
    Select<?> q = dsl.selectOne()
        .from(table("duckdb_tables()"))
        .where(field(name("table_name"))
            .eq(t)
            .and(field(name("schema_name")).eq("main"))
            .and(field(name("database_name")).eq(field("current_database()", String.class))));
    try (PreparedStatement ps = prepare(q);
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    } catch (SQLException e) {
      throw fail("cannot look up table " + t, e);
    }
  }

  /**
   * {@code count(*)}, which DuckDB answers from the table's row count without a scan (~0.5 ms on a
   * freshly opened file; {@code duckdb_tables().estimated_size} loads every table's metadata first: ~6 ms).
   */
  @Override
  public long estimatedRows(String t) {
    try (PreparedStatement ps = prepare(dsl.selectCount().from(from(t)));
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      if (!tableExists(t)) {
        return 0;
      }
      throw fail("cannot count the rows of " + t, e);
    }
  }

  /** The value of a DuckDB setting on this connection ({@code duckdb_settings()}); for diagnostics and tests. */
  String currentSetting(String setting) {
    try (PreparedStatement ps = prepare(dsl.select(field(name("value")))
            .from(table("duckdb_settings()"))
            .where(field(name("name")).eq(setting)));
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw fail("cannot read setting " + setting, e);
    }
  }

  private PreparedStatement prepare(Query q) throws SQLException {
    return JdbcQueries.prepare(connection, dsl, q);
  }

  // ------------------------------------------------------------------ scan

  @Override
  public VectorSchemaRoot scan(ScanRequest request, BufferAllocator allocator) {
    Map<String, String> cols = columns(request.table());
    if (cols.isEmpty()) {
      throw new MetadataStoreException(
          "table " + request.table() + " does not exist in DuckDB database " + database);
    }
    // Only the returned columns and those the filter looks at are read (and by-field maps
    // converted).
    Set<String> filterColumns =
        request.filter() == null ? Set.of() : Filters.columns(request.filter());
    boolean any = cols.keySet().stream().anyMatch(request::returns);
    List<SelectField<?>> select = new ArrayList<>();
    List<SelectField<?>> returned = new ArrayList<>();
    for (Map.Entry<String, String> c : cols.entrySet()) {
      boolean ret = !any || request.returns(c.getKey());
      if (!ret && !filterColumns.contains(c.getKey())) {
        continue;
      }
      List<String> keys = request.byFieldKeys().get(c.getKey());
      select.add(
          keys == null || keys.isEmpty()
              ? field(name(c.getKey()))
              : byFieldAsStruct(c.getKey(), c.getValue(), keys));
      if (ret) {
        returned.add(field(name(c.getKey())));
      }
    }
    Condition where = request.featureVersion() == null
        ? DSL.noCondition()
        : field(name(SystemColumns.FEATURE_VERSION), String.class).eq(request.featureVersion());
    List<FilterExpr> before = new ArrayList<>();
    if (request.dedupIdColumns() != null && request.filter() != null) {
      // Conditions on the id columns alone select whole groups of the deduplication, so they may
      // run before it (in the scan's WHERE) and leave the JVM deduplication path open to the rest.
      // So may constants (FALSE: an incremental resolve with nothing to read), which DuckDB folds.
      List<FilterExpr> after = new ArrayList<>();
      List<FilterExpr> conjuncts =
          request.filter() instanceof And and ? and.operands() : List.of(request.filter());
      for (FilterExpr c : conjuncts) {
        Set<String> used = Filters.columns(c);
        (request.dedupIdColumns().containsAll(used) ? before : after).add(c);
      }
      if (!before.isEmpty()) {
        for (FilterExpr c : before) {
          where = where.and(idCondition(c));
        }
        request = new ScanRequest(
            request.table(),
            request.featureVersion(),
            request.dedupIdColumns(),
            request.byFieldKeys(),
            after.isEmpty() ? null : Filters.and(after),
            request.columns(),
            request.omitColumns());
        filterColumns = request.filter() == null ? Set.of() : Filters.columns(request.filter());
      }
    }
    Select<?> q;
    if (request.dedupIdColumns() == null) {
      q = dsl.select(select).from(from(request.table())).where(where);
    } else {
      List<org.jooq.Field<?>> ids = new ArrayList<>();
      for (String id : request.dedupIdColumns()) {
        if (!cols.containsKey(id)) {
          throw new MetadataStoreException("id column '" + id + "' is missing from table "
              + request.table() + " (columns: " + cols.keySet() + ")");
        }
        ids.add(field(name(id)));
      }
      // Latest row per id by coalesce(deleted_at, updated_at); later appends (higher rowid) win
      // ties.
      org.jooq.Field<Object> order = DSL.coalesce(
          field(name(SystemColumns.DELETED_AT)), field(name(SystemColumns.UPDATED_AT)));
      if (filterColumns.stream().allMatch(SystemColumns.DELETED_AT::equals)) {
        List<Condition> ranges =
            ranges(request.table(), request.dedupIdColumns().get(0), cols, before);
        return JvmDedupScan.run(
            request,
            cols,
            select,
            order,
            where,
            ranges,
            from(request.table()),
            rowid(),
            dsl,
            qs -> fetchAll(qs, allocator),
            allocator);
      }
      q = dsl.select(select)
          .from(from(request.table()))
          .where(where)
          .qualify(DSL.rowNumber()
              .over(
                  DSL.partitionBy(ids).orderBy(order.desc().nullsLast(), rowid().desc()))
              .eq(1));
    }
    if (request.filter() != null) {
      // User filters see the deduplicated rows (spec §3), so they wrap the dedup query.
      q = dsl.select(returned)
          .from(q.asTable(name("deduplicated")))
          .where(Filters.toCondition(request.filter()));
    }
    return query(q, allocator);
  }

  /** Above this many values an {@code IN} on an id column is bound as one list parameter. */
  static final int ARRAY_IN_VALUES = 64;

  /**
   * A condition on id columns. A long {@code IN} list (an incremental resolve's touched keys) is bound
   * as one text parameter cast to a list and unnested: DuckDB plans 100,000 literals in ~2.5 s, the
   * parameter in milliseconds, and both scan the same. Integers are cast from DuckDB's list text,
   * strings from a JSON array (exact whatever the characters; the JDBC driver binds no Java arrays).
   */
  private static Condition idCondition(FilterExpr c) {
    if (c instanceof FilterExpr.In in && !in.negated() && in.values().size() > ARRAY_IN_VALUES) {
      List<Object> values = new ArrayList<>();
      boolean longs = true;
      boolean strings = true;
      for (FilterExpr.Literal l : in.values()) {
        longs &= l.value() instanceof Long;
        strings &= l.value() instanceof String;
        values.add(l.value());
      }
      if (longs || strings) {
        String list = CanonicalJson.write(values);
        return DSL.condition(
            longs
                ? "{0} IN (SELECT unnest(CAST({1} AS BIGINT[])))"
                : "{0} IN (SELECT unnest(CAST(CAST({1} AS JSON) AS VARCHAR[])))",
            field(name(in.column().name())),
            DSL.val(list, SQLDataType.VARCHAR));
      }
    }
    return Filters.toCondition(c);
  }

  /**
   * The id ranges a deduplicating scan of {@code t} is read in ({@link ScanSplit}); one {@code noCondition()}
   * when it is not split. The bounds come from the scan's own conditions on the id when they have both
   * (a partitioned resolve), else from the column's min and max (~4 ms at 1M rows), asked only when the
   * table's row count makes a split worth it.
   */
  List<Condition> ranges(String t, String id, Map<String, String> cols, List<FilterExpr> pushed) {
    if (pushed.stream().anyMatch(c -> !(c instanceof FilterExpr.Compare))) {
      // A set of ids (an incremental resolve's touched keys): few rows, one query.
      return List.of(DSL.noCondition());
    }
    String type = cols.get(id);
    int threads = threads();
    int count =
        threads < 2 || type == null || !INTEGER_TYPES.contains(type.toUpperCase(Locale.ROOT))
            ? 1
            : ScanSplit.ranges(estimatedRows(t), threads);
    if (count < 2) {
      return List.of(DSL.noCondition());
    }
    long[] b = ScanSplit.bounds(pushed, id);
    if (b == null) {
      // Nulls are left out of min and max; the first range takes them.
      Select<?> q = dsl.select(
              DSL.min(field(name(id), Long.class)), DSL.max(field(name(id), Long.class)))
          .from(from(t));
      try (PreparedStatement ps = prepare(q);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        long lo = rs.getLong(1);
        if (rs.wasNull()) {
          return List.of(DSL.noCondition());
        }
        b = new long[] {lo, rs.getLong(2)};
      } catch (SQLException e) {
        throw fail("cannot read the range of " + t + "." + id, e);
      }
    }
    return ScanSplit.conditions(id, b[0], b[1], count);
  }

  /** DuckDB's {@code threads} setting (asked once per open store): how many id ranges may be read at once. */
  private int threads() {
    synchronized (shared) {
      if (shared.threads == 0) {
        try (PreparedStatement ps =
                prepare(dsl.select(field("current_setting('threads')", Long.class)));
            ResultSet rs = ps.executeQuery()) {
          rs.next();
          shared.threads = (int) Math.max(1, Math.min(Integer.MAX_VALUE, rs.getLong(1)));
          shared.rangeSlots = new Semaphore(shared.threads, true);
        } catch (SQLException e) {
          throw fail("cannot read the threads setting", e);
        }
      }
      return shared.threads;
    }
  }

  /** {@link #fetch} holding one of the store's id-range slots ({@link Shared}). */
  private List<VectorSchemaRoot> fetchRange(Select<?> q, BufferAllocator allocator) {
    threads();
    Semaphore slots = Objects.requireNonNull(shared.rangeSlots, "threads() makes the slots");
    slots.acquireUninterruptibly();
    try {
      return fetch(q, allocator);
    } finally {
      slots.release();
    }
  }

  private static final Set<String> INTEGER_TYPES =
      Set.of("BIGINT", "INTEGER", "SMALLINT", "TINYINT");

  // ------------------------------------------------------------------ append cursors

  /**
   * {@code rows:end:fingerprint}: the row count, one past the highest {@code rowid}, and a hash of the
   * row just before that end. DuckDB gives the rows of a transaction their row ids when it commits, in
   * commit order (a transaction that began first and commits last gets the highest ids), so every row
   * committed later has a row id at or past {@code end}. The count and the end come from one statement.
   */
  @Override
  public @Nullable String appendCursor(String t) {
    if (viewSql != null) {
      return null; // the rows of a query have no lasting order
    }
    String table = dsl.render(name(t));
    long rows;
    long end;
    try (PreparedStatement ps = connection.prepareStatement(
            "SELECT count(*), coalesce(max(rowid) + 1, 0) FROM " + table);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      rows = rs.getLong(1);
      end = rs.getLong(2);
    } catch (SQLException e) {
      throw fail("cannot read the append position of " + t, e);
    }
    // A second statement may see rows committed in between: they lie at or past `end` and leave
    // the row before it as it was.
    return rows + ":" + end + ":" + rowHash(t, end - 1);
  }

  /**
   * Equal cursors: the same count, no row at or past the same end, and the same last row; the check
   * {@link #scanAppended} makes, passed, with nothing after the end.
   */
  @Override
  public boolean unchangedBetween(String t, String earlier, String later) {
    return viewSql == null && earlier.equals(later);
  }

  /** DuckDB's hash of one whole row, by row id (a literal, so the scan skips to it); "-" for none. */
  private String rowHash(String t, long rowid) {
    if (rowid < 0) {
      return "-";
    }
    String sql = "SELECT hash(x) FROM " + dsl.render(name(t)) + " AS x WHERE rowid = " + rowid;
    try (PreparedStatement ps = connection.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? String.valueOf(rs.getString(1)) : "-";
    } catch (SQLException e) {
      throw fail("cannot read a row of " + t, e);
    }
  }

  /**
   * The rows at or past the cursor's end, after checking that the rows before it are those the cursor
   * saw: as many, and the last one unchanged. A hard delete removes rows (and DuckDB renumbers the rest
   * at its next checkpoint), so the count or the fingerprint differs and null is returned.
   */
  @Override
  public @Nullable VectorSchemaRoot scanAppended(
      String t, String cursor, @Nullable List<String> columns, BufferAllocator allocator) {
    String[] parts = cursor.split(":", 3);
    if (viewSql != null || parts.length != 3) {
      return null;
    }
    long rows;
    long end;
    try {
      rows = Long.parseLong(parts[0]);
      end = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return null;
    }
    String table = dsl.render(name(t));
    try (PreparedStatement ps =
            connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE rowid < " + end);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      if (rs.getLong(1) != rows || !rowHash(t, end - 1).equals(parts[2])) {
        return null;
      }
    } catch (SQLException e) {
      throw fail("cannot check the append position of " + t, e);
    }
    List<SelectField<?>> select = new ArrayList<>();
    for (String c : columns != null ? columns : List.copyOf(columns(t).keySet())) {
      select.add(field(name(c)));
    }
    return query(
        dsl.select(select)
            .from(table(name(t)))
            .where(field(name("rowid"), Long.class).ge(end)),
        allocator);
  }

  /** One aggregate over the two timestamp columns (a table without one of them has no such value). */
  @Override
  public @Nullable Long latestOrder(String t, BufferAllocator allocator) {
    Map<String, String> cols = columns(t);
    List<org.jooq.Field<Object>> present = new ArrayList<>();
    for (String c : List.of(SystemColumns.DELETED_AT, SystemColumns.UPDATED_AT)) {
      if (cols.containsKey(c)) {
        present.add(field(name(c)));
      }
    }
    if (present.isEmpty() || viewSql != null) {
      return StoreBackend.super.latestOrder(t, allocator);
    }
    org.jooq.Field<Object> order =
        present.size() == 1 ? present.get(0) : DSL.coalesce(present.get(0), present.get(1));
    String sql = "SELECT epoch_us(max(" + dsl.render(order) + ")) FROM " + dsl.render(name(t));
    try (PreparedStatement ps = connection.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long v = rs.getLong(1);
      return rs.wasNull() ? null : v;
    } catch (SQLException e) {
      throw fail("cannot read the latest change of " + t, e);
    }
  }

  /** Min, max and count in one aggregate: DuckDB answers from row-group statistics and a count. */
  @Override
  public long @Nullable [] integerRange(String t, String column) {
    String type = columns(t).get(column);
    if (type == null || !INTEGER_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
      return null;
    }
    Select<?> q = dsl.select(
            DSL.min(field(name(column), Long.class)),
            DSL.max(field(name(column), Long.class)),
            DSL.count(),
            DSL.count(field(name(column))))
        .from(table(name(t)));
    try (PreparedStatement ps = prepare(q);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long rows = rs.getLong(3);
      if (rs.getLong(4) != rows) {
        return null; // null ids fall outside every range
      }
      return rows == 0 ? new long[] {0, 0, 0} : new long[] {rs.getLong(1), rs.getLong(2), rows};
    } catch (SQLException e) {
      throw fail("cannot read the range of " + t + "." + column, e);
    }
  }

  /**
   * A reader on a duplicate of this connection (same database instance, its own cursor). Measured on 2
   * cores with streamed results: two 1M-row by-field scans take ~0.4 s together against ~0.65 s one
   * after the other, because one streamed scan leaves a core partly idle.
   */
  @Override
  public StoreBackend concurrentReader() {
    Connection c = null;
    try {
      c = connection.unwrap(DuckDBConnection.class).duplicate();
      configureSession(c); // duckdb_jdbc 1.4 copies session settings to a duplicate; not relied on
      return new DuckDbBackend(c, database, shared, mapLayout, viewTable, viewSql);
    } catch (SQLException e) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // already failing
        }
      }
      throw fail("cannot open a second connection", e);
    }
  }

  /**
   * The session settings of every connection, readers included: timestamps travel as UTC instants,
   * and the session zone decides the zone of exported TIMESTAMPTZ.
   */
  static void configureSession(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
    }
  }

  @Override
  public boolean supportsFilterPushdown() {
    return true;
  }

  /**
   * A by-field column as a struct with exactly {@code keys}: MAP columns (this store) by key lookup,
   * STRUCT columns (Python reference tables) by child, absent children as NULL.
   */
  private org.jooq.Field<?> byFieldAsStruct(String column, String type, List<String> keys) {
    List<String> parts = new ArrayList<>();
    List<QueryPart> args = new ArrayList<>();
    boolean isMap = type.toUpperCase(Locale.ROOT).startsWith("MAP");
    List<String> children = isMap ? List.of() : structChildren(type);
    if (children.equals(keys)) {
      // The table's struct is already the requested one (our tables, in spec order): no repacking.
      return field(name(column));
    }
    for (String k : keys) {
      int i = args.size();
      if (isMap) {
        parts.add("{" + i + "} := {" + (i + 1) + "}[{" + (i + 2) + "}]");
        args.add(name(k));
        args.add(name(column));
        args.add(inline(k));
      } else if (children.contains(k)) {
        parts.add("{" + i + "} := {" + (i + 1) + "}");
        args.add(name(k));
        args.add(name(column, k));
      } else {
        parts.add("{" + i + "} := CAST(NULL AS VARCHAR)");
        args.add(name(k));
      }
    }
    int n = args.size();
    args.add(name(column));
    String sql = "CASE WHEN {" + n + "} IS NULL THEN NULL ELSE struct_pack("
        + String.join(", ", parts) + ") END";
    return field(sql, args.toArray(new QueryPart[0])).as(name(column));
  }

  private static final Pattern STRUCT_CHILD =
      Pattern.compile("(?:^STRUCT\\(|, )(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_]*) ");

  /** The child names of a {@code STRUCT(a VARCHAR, "b c" VARCHAR)} type string. */
  static List<String> structChildren(String type) {
    List<String> out = new ArrayList<>();
    Matcher m = STRUCT_CHILD.matcher(type);
    while (m.find()) {
      String n = m.group(1);
      out.add(n.startsWith("\"") ? n.substring(1, n.length() - 1).replace("\"\"", "\"") : n);
    }
    return out;
  }

  private VectorSchemaRoot query(Select<?> q, BufferAllocator allocator) {
    List<VectorSchemaRoot> batches = fetch(q, allocator);
    long t = System.nanoTime();
    VectorSchemaRoot out = Concat.of(batches, allocator);
    LOG.debug(
        "query: {} batches, {} rows, concatenated in {} ms",
        batches.size(),
        out.getRowCount(),
        (System.nanoTime() - t) / 1_000_000);
    return out;
  }

  /**
   * The batches of every query, in order: the first runs on this connection, each other one on a
   * connection of its own (a duplicate: same database, own cursor), as many at once as the store's
   * range slots allow. On failure every batch already read is closed and the first error is rethrown.
   */
  private List<VectorSchemaRoot> fetchAll(List<Select<?>> queries, BufferAllocator allocator) {
    if (queries.size() == 1) {
      return fetch(queries.get(0), allocator);
    }
    List<Supplier<List<VectorSchemaRoot>>> tasks = new ArrayList<>();
    for (int i = 0; i < queries.size(); i++) {
      Select<?> q = queries.get(i);
      tasks.add(
          i == 0
              ? () -> fetchRange(q, allocator)
              : () -> {
                List<List<VectorSchemaRoot>> read = new ArrayList<>(1);
                try (StoreBackend reader = concurrentReader()) {
                  read.add(((DuckDbBackend) reader).fetchRange(q, allocator));
                } catch (RuntimeException | Error e) {
                  read.forEach(part -> part.forEach(
                      VectorSchemaRoot::close)); // a failing close must not leak the range
                  throw e;
                }
                return read.get(0);
              });
    }
    List<VectorSchemaRoot> out = new ArrayList<>();
    SideBySide.run(tasks, "metaxy-scan", part -> part.forEach(VectorSchemaRoot::close))
        .forEach(out::addAll);
    return out;
  }

  /** The result of {@code q} as the Arrow batches DuckDB streamed (at least one, possibly empty); owned by the caller. */
  private List<VectorSchemaRoot> fetch(Select<?> q, BufferAllocator allocator) {
    try (PreparedStatement ps = prepare(q);
        ResultSet rs = ps.executeQuery();
        ArrowReader reader = (ArrowReader)
            rs.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, BATCH_ROWS)) {
      List<VectorSchemaRoot> batches = new ArrayList<>();
      try {
        while (reader.loadNextBatch()) {
          // Take the batch's buffers (the reader refills its root on the next load).
          List<FieldVector> taken = new ArrayList<>();
          for (FieldVector v : reader.getVectorSchemaRoot().getFieldVectors()) {
            TransferPair tp = v.getTransferPair(allocator);
            tp.transfer();
            taken.add((FieldVector) tp.getTo());
          }
          batches.add(ArrowBatches.of(taken, reader.getVectorSchemaRoot().getRowCount()));
        }
        if (batches.isEmpty()) {
          batches.add(ArrowBatches.empty(reader.getVectorSchemaRoot().getSchema(), allocator));
        }
        return batches;
      } catch (RuntimeException | IOException e) {
        batches.forEach(VectorSchemaRoot::close);
        throw e;
      }
    } catch (SQLException e) {
      throw fail("query failed", e);
    } catch (IOException e) {
      throw new MetadataStoreException(
          "cannot read Arrow results from DuckDB database " + database + ": " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ append / replace / drop

  @Override
  public void appendAll(List<Append> appends) {
    String what = appends.size() == 1
        ? "append to " + appends.get(0).table()
        : "append to " + appends.stream().map(Append::table).toList();
    for (int attempt = 1; ; attempt++) {
      try {
        inTransaction(what, () -> {
          for (Append a : appends) {
            insert(a.table(), a.batch(), true);
          }
        });
        return;
      } catch (MetadataStoreException e) {
        // Two connections creating the same table or column: DuckDB aborts the later transaction
        // whole (nothing of it is stored), and its next attempt finds the table the other one
        // created.
        if (attempt >= 3
            || !(e.getCause() instanceof SQLException sql)
            || !String.valueOf(sql.getMessage()).contains("onflict")) {
          throw e;
        }
        LOG.debug("retrying {} after a catalog conflict: {}", what, sql.getMessage());
      }
    }
  }

  @Override
  public @Nullable Schema tableSchema(String t) {
    Map<String, String> cols = columns(t);
    if (cols.isEmpty()) {
      return null;
    }
    List<Field> fields = new ArrayList<>();
    for (Map.Entry<String, String> c : cols.entrySet()) {
      fields.add(
          BY_FIELD.contains(c.getKey())
              ? Field.nullable(c.getKey(), ArrowType.Null.INSTANCE)
              : DuckDbTypes.arrowField(c.getKey(), c.getValue()));
    }
    return new Schema(fields);
  }

  @Override
  public void replace(String t, VectorSchemaRoot rows) {
    inTransaction("replace rows of " + t, () -> {
      execute(dsl.deleteFrom(table(name(t))));
      insert(t, rows, false);
    });
  }

  @Override
  public void dropTable(String t) {
    try {
      execute(dsl.dropTableIfExists(table(name(t))));
    } catch (SQLException e) {
      throw fail("cannot drop table " + t, e);
    }
  }

  private interface SqlAction {
    void run() throws SQLException;
  }

  /** Runs an action in one transaction: all of it is applied or none (a failed write leaves the table as it was). */
  private void inTransaction(String what, SqlAction action) {
    try {
      connection.setAutoCommit(false);
      try {
        action.run();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      if (String.valueOf(e.getMessage()).contains("read-only")) {
        throw new StoreUnavailableException(
            "cannot " + what + ": DuckDB database " + database
                + " was opened read-only (the store's first open was in READ mode)",
            e);
      }
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

  private void insert(String t, VectorSchemaRoot batch, boolean createIfMissing)
      throws SQLException {
    Map<String, String> existing = columns(t);
    List<Field> fields = batch.getSchema().getFields();
    if (existing.isEmpty()) {
      if (!createIfMissing) {
        throw new MetadataStoreException(
            "table " + t + " does not exist in DuckDB database " + database);
      }
      List<String> defs = new ArrayList<>();
      for (Field f : fields) {
        defs.add(render(name(f.getName())) + " "
            + DuckDbTypes.of(f, BY_FIELD.contains(f.getName()), mapLayout));
      }
      executeSql(
          "CREATE TABLE IF NOT EXISTS " + render(name(t)) + " (" + String.join(", ", defs) + ")");
      existing = columns(t);
    } else {
      for (Field f : fields) {
        String type = existing.get(f.getName());
        if (type == null) {
          // New columns on later appends are added (earlier rows read as NULL).
          executeSql("ALTER TABLE " + render(name(t)) + " ADD COLUMN IF NOT EXISTS "
              + render(name(f.getName())) + " "
              + DuckDbTypes.of(f, BY_FIELD.contains(f.getName()), mapLayout));
        } else if (BY_FIELD.contains(f.getName())
            && type.toUpperCase(Locale.ROOT).startsWith("STRUCT")
            && f.getType() instanceof ArrowType.Struct) {
          // A field the struct lacks (a feature version that added it) becomes a new child: earlier
          // rows read it as NULL, and the value is kept instead of being cast away (what the
          // reference's insert into a narrower struct does).
          List<String> children = structChildren(type);
          boolean added = false;
          for (Field child : f.getChildren()) {
            if (!children.contains(child.getName())) {
              executeSql("ALTER TABLE " + render(name(t)) + " ADD COLUMN IF NOT EXISTS "
                  + render(name(f.getName())) + "." + DuckDbTypes.quote(child.getName())
                  + " VARCHAR");
              added = true;
            }
          }
          if (added) {
            existing = columns(t);
          }
        }
      }
    }
    if (batch.getRowCount() == 0) {
      return;
    }
    List<String> select = new ArrayList<>();
    for (Field f : fields) {
      String col = render(name(f.getName()));
      String tableType = existing.get(f.getName());
      List<String> inputChildren = f.getType() instanceof ArrowType.Struct
          ? f.getChildren().stream().map(Field::getName).toList()
          : List.of();
      if (BY_FIELD.contains(f.getName())
          && tableType != null
          && tableType.toUpperCase(Locale.ROOT).startsWith("STRUCT")
          && !structChildren(tableType).equals(inputChildren)) {
        // The table's struct has other children (fields of other feature versions): fill them by
        // name.
        List<String> parts = new ArrayList<>();
        for (String child : structChildren(tableType)) {
          String value;
          if (inputChildren.contains(child)) {
            value = render(name(f.getName(), child));
          } else if (f.getType() instanceof ArrowType.Map) {
            value = col + "[" + render(inline(child)) + "]";
          } else {
            value = "CAST(NULL AS VARCHAR)";
          }
          parts.add(render(name(child)) + " := " + value);
        }
        select.add("CASE WHEN " + col + " IS NULL THEN NULL ELSE struct_pack("
            + String.join(", ", parts) + ") END AS " + col);
      } else if (BY_FIELD.contains(f.getName())
          && f.getType() instanceof ArrowType.Struct
          && tableType != null
          && tableType.toUpperCase(Locale.ROOT).startsWith("MAP")) {
        // A MAP table (enable_map_datatype, or created before STRUCT became the default) stays MAP.
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Field child : f.getChildren()) {
          keys.add(render(inline(child.getName())));
          values.add(render(name(f.getName(), child.getName())));
        }
        select.add("CASE WHEN " + col + " IS NULL THEN NULL ELSE map([" + String.join(", ", keys)
            + "]::VARCHAR[], [" + String.join(", ", values) + "]::VARCHAR[]) END AS " + col);
      } else {
        select.add(col);
      }
    }
    // The batch has rows, so it has a column, whose allocator exports it.
    BufferAllocator allocator = batch.getFieldVectors().get(0).getAllocator();
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
      Data.exportArrayStream(allocator, new SlicedBatchReader(allocator, batch), stream);
      connection.unwrap(DuckDBConnection.class).registerArrowStream(INPUT_VIEW, stream);
      executeSql("INSERT INTO " + render(name(t)) + " BY NAME SELECT " + String.join(", ", select)
          + " FROM " + render(name(INPUT_VIEW)));
    }
    LOG.debug("appended {} rows to {}", batch.getRowCount(), t);
  }

  /**
   * The by-field layout of a table (that of {@code metaxy_provenance_by_field}), or empty when the table
   * does not exist; a table without by-field columns counts as {@link io.metaxy.store.spi.ByFieldLayout#STRUCT}.
   */
  @Override
  public Optional<ByFieldLayout> byFieldLayout(String t) {
    Map<String, String> cols = columns(t);
    if (cols.isEmpty()) {
      return Optional.empty();
    }
    String type = cols.getOrDefault(SystemColumns.PROVENANCE_BY_FIELD, "");
    return Optional.of(
        type.toUpperCase(Locale.ROOT).startsWith("MAP") ? ByFieldLayout.MAP : ByFieldLayout.STRUCT);
  }

  /**
   * Converts the by-field columns of {@code t} in one transaction ({@code ALTER COLUMN ... SET DATA TYPE
   * ... USING}). To STRUCT: children {@code fields} first, then the other keys found in the rows, sorted.
   * To MAP: one entry per non-null child.
   *
   * @return the table's row count
   */
  @Override
  public long convertByFieldLayout(String t, ByFieldLayout target, List<String> fields) {
    inTransaction("convert the by-field columns of " + t + " to " + target, () -> {
      Map<String, String> cols = columns(t);
      for (String c : BY_FIELD) {
        String type = cols.get(c);
        if (type == null) {
          continue;
        }
        boolean isMap = type.toUpperCase(Locale.ROOT).startsWith("MAP");
        String col = render(name(c));
        if (target == ByFieldLayout.STRUCT && isMap) {
          List<String> keys = new ArrayList<>(fields);
          TreeSet<String> others = new TreeSet<>();
          try (Statement st = connection.createStatement();
              ResultSet rs = st.executeQuery(
                  "SELECT DISTINCT unnest(map_keys(" + col + ")) FROM " + render(name(t)))) {
            while (rs.next()) {
              String k = rs.getString(1);
              if (k != null && !keys.contains(k)) {
                others.add(k);
              }
            }
          }
          keys.addAll(others);
          List<String> parts = new ArrayList<>();
          for (String k : keys) {
            parts.add(DuckDbTypes.quote(k) + " := " + col + "[" + render(inline(k)) + "]");
          }
          executeSql("ALTER TABLE " + render(name(t)) + " ALTER COLUMN " + col + " SET DATA TYPE "
              + DuckDbTypes.byFieldStruct(keys) + " USING CASE WHEN " + col
              + " IS NULL THEN NULL ELSE struct_pack("
              + String.join(", ", parts) + ") END");
        } else if (target == ByFieldLayout.MAP && !isMap) {
          List<String> entries = new ArrayList<>();
          for (String k : structChildren(type)) {
            entries.add("{'key': " + render(inline(k)) + ", 'value': struct_extract(" + col + ", "
                + render(inline(k)) + ")}");
          }
          executeSql(
              "ALTER TABLE " + render(name(t)) + " ALTER COLUMN " + col
                  + " SET DATA TYPE MAP(VARCHAR, VARCHAR)"
                  + " USING CASE WHEN " + col
                  + " IS NULL THEN NULL ELSE map_from_entries(list_filter(["
                  + String.join(", ", entries)
                  + "]::STRUCT(key VARCHAR, value VARCHAR)[], lambda e: struct_extract(e, 'value') IS NOT NULL)) END");
        }
      }
    });
    return estimatedRows(t);
  }

  private String render(QueryPart part) {
    return dsl.renderInlined(part);
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw fail("cannot close connection", e);
    }
  }
}
