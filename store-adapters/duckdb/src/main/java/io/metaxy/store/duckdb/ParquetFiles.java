package io.metaxy.store.duckdb;

import io.metaxy.SystemColumns;
import io.metaxy.store.MetadataStoreException;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.support.ArrowBatches;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the Parquet data files of the lakehouse stores (Iceberg, Delta) with an in-memory
 * DuckDB: the table formats' libraries keep the metadata, planning and commits, and this moves the rows.
 * A write turns one Arrow batch into one zstd Parquet file (with the table format's field ids); a scan
 * reads a table's files in commit order with the DuckDB store's own scan, so versions, deduplication,
 * filters and by-field reshaping behave as there. Files must be local. One thread at a time per
 * connection; {@link #reader()} gives another thread a connection to the same database.
 */
public final class ParquetFiles implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetFiles.class);
  /** Arrow field metadata holding the Parquet field id of a column or struct child (pyarrow's key). */
  public static final String FIELD_ID = "PARQUET:field_id";

  private static final String INPUT_VIEW = "__metaxy_parquet_input";
  /**
   * The Parquet options of every written file. zstd level 1 is Arrow's default, so what PyIceberg (the
   * reference's Iceberg writer) uses, and costs about a quarter less CPU than DuckDB's level 3 on the
   * system columns' hashes. The dictionary limit (distinct values per column and row group) makes
   * DuckDB give up on a dictionary for unique hashes sooner than its default does: the files of a
   * store's appends come out byte for byte the same (hash columns end up plain either way; constant
   * columns keep their one-value dictionary) at about 15 % less {@code COPY} CPU.
   */
  private static final String WRITE_OPTIONS =
      "COMPRESSION zstd, COMPRESSION_LEVEL 1, DICTIONARY_SIZE_LIMIT 1024";

  /** Bits of a row id taken by the row number in its file; the file's commit position is above them. */
  private static final int ROW_BITS = 40;

  private final Connection connection;
  /** Shared with this engine's readers: scans side by side take from one pool of id-range slots. */
  private final DuckDbBackend.Shared shared;

  /**
   * What a written file holds: its rows and size, and the statistics of each top-level string column,
   * from the file's row-group statistics.
   */
  public record Written(long rows, long bytes, Map<String, StringStats> strings) {}

  /** The statistics of a string column over a file (min and max null when unknown or all null). */
  public record StringStats(@Nullable String min, @Nullable String max, long nulls) {}

  /**
   * Opens the engine: an in-memory DuckDB with these settings (e.g. {@code memory_limit}, {@code
   * threads}); an unknown setting fails here, naming it.
   */
  public ParquetFiles(Map<String, String> settings) {
    Properties props = new Properties();
    props.putAll(settings);
    props.setProperty("jdbc_stream_results", "true");
    Connection c;
    try {
      c = DriverManager.getConnection("jdbc:duckdb:", props);
    } catch (SQLException e) {
      throw new MetadataStoreException(
          "cannot open the Parquet engine (in-memory DuckDB with settings " + settings.keySet()
              + "): " + e.getMessage(),
          e);
    }
    this.connection = configured(c);
    this.shared = new DuckDbBackend.Shared();
  }

  private ParquetFiles(Connection connection, DuckDbBackend.Shared shared) {
    this.connection = configured(connection);
    this.shared = shared;
  }

  /** The connection with the session settings every scan needs; closed when they cannot be set. */
  private static Connection configured(Connection c) {
    try (Statement st = c.createStatement()) {
      DuckDbBackend.configureSession(c);
      // Data files never change once written: their footers may be cached across scans.
      st.execute("SET parquet_metadata_cache = true");
      return c;
    } catch (SQLException e) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing
      }
      throw new MetadataStoreException("cannot configure the Parquet engine: " + e.getMessage(), e);
    }
  }

  /**
   * A second connection to the same in-memory DuckDB, for scans on another thread while this one is
   * in use (the reads of one resolve, side by side, as the DuckDB store runs them); the caller closes
   * it, before this engine.
   */
  public ParquetFiles reader() {
    try {
      return new ParquetFiles(connection.unwrap(DuckDBConnection.class).duplicate(), shared);
    } catch (SQLException e) {
      throw new MetadataStoreException(
          "cannot open a second connection to the Parquet engine: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code batch} as one zstd Parquet file at {@code file} (replaced if present). Each column is
   * written as the type of its field in {@code target} (the table's type; a column {@code target}
   * lacks keeps its own), with the field ids found in the fields' {@link #FIELD_ID} metadata (struct
   * children, list elements and map keys and values included). A by-field struct written to a map
   * column becomes a map of its non-null children.
   */
  public Written write(VectorSchemaRoot batch, Schema target, Path file) {
    if (batch.getRowCount() == 0) {
      throw new IllegalArgumentException("an empty batch is not written as a Parquet file");
    }
    Map<String, Field> targets = new LinkedHashMap<>();
    for (Field f : target.getFields()) {
      targets.put(f.getName(), f);
    }
    List<String> select = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Field f : batch.getSchema().getFields()) {
      Field t = targets.getOrDefault(f.getName(), f);
      String col = DuckDbTypes.quote(f.getName());
      if (t.getType() instanceof ArrowType.Map && f.getType() instanceof ArrowType.Struct) {
        List<String> entries = new ArrayList<>();
        for (Field child : f.getChildren()) {
          entries.add("{'key': " + literal(child.getName()) + ", 'value': " + col + "."
              + DuckDbTypes.quote(child.getName()) + "}");
        }
        select.add("CASE WHEN " + col + " IS NULL THEN NULL ELSE map_from_entries(list_filter(["
            + String.join(", ", entries) + "]::STRUCT(key VARCHAR, value VARCHAR)[],"
            + " lambda e: e.value IS NOT NULL)) END AS " + col);
      } else {
        select.add("CAST(" + col + " AS " + DuckDbTypes.of(t, false, false) + ") AS " + col);
      }
      String id = fieldIds(t);
      if (id != null) {
        ids.add(literal(f.getName()) + ": " + id);
      }
    }
    String sql = "COPY (SELECT " + String.join(", ", select) + " FROM " + INPUT_VIEW + ") TO "
        + literal(file.toString()) + " (FORMAT parquet, " + WRITE_OPTIONS
        + (ids.isEmpty() ? "" : ", FIELD_IDS {" + String.join(", ", ids) + "}") + ")";
    long t0 = System.nanoTime();
    BufferAllocator allocator = batch.getFieldVectors().get(0).getAllocator();
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
      Data.exportArrayStream(allocator, new SlicedBatchReader(allocator, batch), stream);
      connection.unwrap(DuckDBConnection.class).registerArrowStream(INPUT_VIEW, stream);
      try (Statement st = connection.createStatement()) {
        st.execute(sql);
      }
      long bytes = Files.size(file);
      Map<String, StringStats> stats = stringStats(file, batch.getSchema(), targets);
      LOG.debug(
          "wrote {} rows to {} ({} bytes) in {} ms",
          batch.getRowCount(),
          file,
          bytes,
          (System.nanoTime() - t0) / 1_000_000);
      return new Written(batch.getRowCount(), bytes, stats);
    } catch (SQLException e) {
      throw new MetadataStoreException(
          "cannot write Parquet file " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of Parquet file " + file, e);
    }
  }

  /**
   * The statistics of the top-level string columns of a written file, aggregated over its row groups;
   * min and max are left out when a row group with values has none.
   */
  private Map<String, StringStats> stringStats(
      Path file, Schema written, Map<String, Field> targets) throws SQLException {
    Map<String, StringStats> out = new LinkedHashMap<>();
    String sql = "SELECT path_in_schema, min(stats_min_value), max(stats_max_value),"
        + " sum(stats_null_count), bool_and(stats_min_value IS NOT NULL OR stats_null_count = num_values)"
        + " FROM parquet_metadata(" + literal(file.toString()) + ") GROUP BY path_in_schema";
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        String column = rs.getString(1);
        Field f = targets.get(column);
        if (f == null) {
          f = written.getFields().stream()
              .filter(w -> w.getName().equals(column))
              .findFirst()
              .orElse(null);
        }
        if (f == null || !(f.getType() instanceof ArrowType.Utf8)) {
          continue;
        }
        boolean complete = rs.getBoolean(5);
        out.put(
            column,
            new StringStats(
                complete ? rs.getString(2) : null,
                complete ? rs.getString(3) : null,
                rs.getLong(4)));
      }
    }
    return out;
  }

  /** The {@code FIELD_IDS} entry of a field ({@code 3} or {@code {__duckdb_field_id: 3, child: 4}}), or null without ids. */
  private static @Nullable String fieldIds(Field f) {
    String own = f.getMetadata() == null ? null : f.getMetadata().get(FIELD_ID);
    List<String> children = new ArrayList<>();
    List<Field> kids = f.getChildren();
    if (f.getType() instanceof ArrowType.Map && !kids.isEmpty()) {
      kids = kids.get(0).getChildren(); // entries: key, value
    }
    for (Field c : kids) {
      String id = fieldIds(c);
      if (id != null) {
        String key =
            f.getType() instanceof ArrowType.List || f.getType() instanceof ArrowType.LargeList
                ? "element"
                : c.getName();
        children.add(literal(key) + ": " + id);
      }
    }
    if (children.isEmpty()) {
      return own;
    }
    if (own != null) {
      children.add(0, "'__duckdb_field_id': " + own);
    }
    return "{" + String.join(", ", children) + "}";
  }

  /**
   * A scan of a table made of {@code files} (local Parquet files, in commit order), whose current
   * schema is {@code table}: what the DuckDB store's scan of such a table returns. Later files win
   * deduplication ties over earlier ones, later rows of a file over earlier ones; columns or struct
   * children a file lacks read as nulls. The caller owns the result.
   */
  public VectorSchemaRoot scan(
      List<Path> files, Schema table, ScanRequest request, BufferAllocator allocator) {
    if (request.dedupIdColumns() != null) {
      // Deduplication orders by these; a table without them (not written by a store) reads them as
      // nulls, which are not returned.
      List<Field> fields = new ArrayList<>(table.getFields());
      Set<String> omit = new HashSet<>(request.omitColumns());
      for (String c : List.of(SystemColumns.DELETED_AT, SystemColumns.UPDATED_AT)) {
        if (fields.stream().noneMatch(f -> f.getName().equals(c))) {
          fields.add(Field.nullable(c, ArrowBatches.TIMESTAMP_UTC));
          omit.add(c);
        }
      }
      if (omit.size() > request.omitColumns().size()) {
        table = new Schema(fields);
        request = new ScanRequest(
            request.table(),
            request.featureVersion(),
            request.dedupIdColumns(),
            request.byFieldKeys(),
            request.filter(),
            request.columns(),
            omit);
      }
    }
    String relation = relation(files, table, request.table());
    DuckDbBackend view = DuckDbBackend.over(
        connection, shared, "Parquet files of table " + request.table(), request.table(), relation);
    return view.scan(request, allocator);
  }

  /**
   * The query a scan reads as the table: every column of {@code table} in its type (typed nulls
   * where no file has it) and the row id. When the table's fields carry {@link #FIELD_ID}s (Iceberg),
   * the files' top-level columns are matched by field id, so a column renamed since a file was
   * written reads under its new name; otherwise the files are read with {@code union_by_name}.
   */
  private String relation(List<Path> files, Schema table, String name) {
    if (!files.isEmpty() && table.getFields().stream().anyMatch(f -> fieldId(f) != null)) {
      return relationById(files, table);
    }
    Map<String, String> found = files.isEmpty() ? Map.of() : describe(files, name);
    List<String> select = new ArrayList<>();
    for (Field f : table.getFields()) {
      String type = DuckDbTypes.of(f, false, false);
      String col = DuckDbTypes.quote(f.getName());
      String have = found.get(f.getName());
      if (have == null) {
        select.add("CAST(NULL AS " + type + ") AS " + col);
      } else if (normalized(have).equals(normalized(type))) {
        select.add(col); // a plain column keeps filters pushed into the Parquet reader
      } else {
        select.add("CAST(" + col + " AS " + type + ") AS " + col);
      }
    }
    if (files.isEmpty()) {
      select.add("CAST(NULL AS BIGINT) AS " + DuckDbBackend.VIEW_ROWID);
      return "SELECT " + String.join(", ", select) + " WHERE false";
    }
    select.add("(file_index::BIGINT << " + ROW_BITS + ") + file_row_number AS "
        + DuckDbBackend.VIEW_ROWID);
    return "SELECT " + String.join(", ", select) + " FROM " + readParquet(files);
  }

  /**
   * As {@link #relation}, matching top-level columns by field id ({@code read_parquet}'s {@code
   * schema}; DuckDB casts each to the given type and reads a column a file lacks as NULL). Struct
   * children are matched by name. A field without an id reads as NULL.
   */
  private static String relationById(List<Path> files, Schema table) {
    List<String> ids = new ArrayList<>();
    List<String> entries = new ArrayList<>();
    List<String> select = new ArrayList<>();
    for (Field f : table.getFields()) {
      String type = DuckDbTypes.of(f, false, false);
      String col = DuckDbTypes.quote(f.getName());
      Integer id = fieldId(f);
      if (id == null) {
        select.add("CAST(NULL AS " + type + ") AS " + col);
      } else {
        ids.add(id.toString());
        entries.add("struct_pack(name := " + literal(f.getName()) + ", type := " + literal(type)
            + ", default_value := NULL)");
        select.add(col);
      }
    }
    select.add("(file_index::BIGINT << " + ROW_BITS + ") + file_row_number AS "
        + DuckDbBackend.VIEW_ROWID);
    // MAP(keys, values) rather than a MAP {...} literal: the relation becomes jOOQ plain SQL, where
    // braces are template placeholders.
    return "SELECT " + String.join(", ", select) + " FROM "
        + readParquet(
            files,
            "schema = MAP([" + String.join(", ", ids) + "], [" + String.join(", ", entries) + "])");
  }

  private static @Nullable Integer fieldId(Field f) {
    Map<String, String> m = f.getMetadata();
    String id = m == null ? null : m.get(FIELD_ID);
    return id == null ? null : Integer.valueOf(id);
  }

  private static String readParquet(List<Path> files) {
    return readParquet(files, "union_by_name = true");
  }

  private static String readParquet(List<Path> files, String options) {
    List<String> paths = new ArrayList<>();
    for (Path p : files) {
      paths.add(literal(p.toString()));
    }
    return "read_parquet([" + String.join(", ", paths) + "], " + options + ")";
  }

  /** Column name → DuckDB type of the union of the files' schemas. */
  private Map<String, String> describe(List<Path> files, String table) {
    Map<String, String> out = new LinkedHashMap<>();
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT * FROM " + readParquet(files) + " LIMIT 0")) {
      var md = ps.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        out.put(md.getColumnName(i), md.getColumnTypeName(i));
      }
    } catch (SQLException e) {
      throw new MetadataStoreException(
          "cannot read the Parquet files of table " + table + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** A DuckDB type string as the JDBC metadata spells it, for comparing. */
  private static String normalized(String type) {
    return type.replace("\"", "")
        .toUpperCase(Locale.ROOT)
        .replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE");
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the Parquet engine failed: {}", e.toString());
    }
  }
}
