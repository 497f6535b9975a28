package io.metaxy.store.iceberg;

import io.metaxy.store.MetadataStoreException;
import io.metaxy.store.duckdb.ParquetFiles;
import io.metaxy.store.duckdb.ParquetWorkspace;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the Iceberg store: a catalog, and the namespace whose tables are the store's.
 * Iceberg keeps the metadata, plans files and commits; DuckDB ({@link ParquetFiles}) writes and reads
 * the Parquet data files. Appends write one file per batch and commit them with one {@code AppendFiles}
 * per table; scans plan the table's files (the version filter pruning files) and read them in commit
 * order with the DuckDB store's scan; {@link #replace} is one {@code OverwriteFiles} commit.
 */
final class IcebergBackend implements StoreBackend {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergBackend.class);
  private static final String FEATURE_VERSION = "metaxy_feature_version";
  /** Attempts at a commit that lost a race (on top of Iceberg's own {@code commit.retry.*}). */
  private static final int COMMIT_ATTEMPTS = 10;

  private final Catalog catalog;
  private final Namespace namespace;
  private final boolean autoCreateNamespace;
  private final @Nullable String tableLocationRoot;
  private boolean namespaceChecked;
  private final ParquetWorkspace workspace;
  /** A {@link #concurrentReader()}'s own connection to the workspace's engine, else null. */
  private final @Nullable ParquetFiles readerEngine;
  /** Runs before each table's commit of {@link #appendAll}; tests use it to make a later commit fail. */
  Consumer<String> beforeCommit = table -> {};

  /**
   * @param tableLocationRoot where new tables go ({@code <root>/<table>}), or null for the catalog's
   *     default location
   */
  IcebergBackend(
      Catalog catalog,
      Namespace namespace,
      boolean autoCreateNamespace,
      @Nullable String tableLocationRoot,
      Map<String, String> duckdbConfig) {
    this(
        catalog,
        namespace,
        autoCreateNamespace,
        tableLocationRoot,
        new ParquetWorkspace("iceberg", duckdbConfig),
        null);
  }

  private IcebergBackend(
      Catalog catalog,
      Namespace namespace,
      boolean autoCreateNamespace,
      @Nullable String tableLocationRoot,
      ParquetWorkspace workspace,
      @Nullable ParquetFiles readerEngine) {
    this.workspace = workspace;
    this.readerEngine = readerEngine;
    this.catalog = catalog;
    this.namespace = namespace;
    this.autoCreateNamespace = autoCreateNamespace;
    this.tableLocationRoot = tableLocationRoot;
  }

  /**
   * A reader on the same catalog, file cache and in-memory DuckDB (a connection of its own), so that a
   * resolve reads its target and upstreams side by side, as on the DuckDB and Delta stores: one
   * streamed Parquet scan leaves a core partly idle. Closing it closes only its DuckDB connection.
   * Iceberg's catalogs are safe to share between threads (the JDBC one draws from a connection pool).
   */
  @Override
  public StoreBackend concurrentReader() {
    return new IcebergBackend(
        catalog,
        namespace,
        autoCreateNamespace,
        tableLocationRoot,
        workspace,
        workspace.engine().reader());
  }

  /** The DuckDB connection this backend scans with. */
  private ParquetFiles scanEngine() {
    return readerEngine != null ? readerEngine : workspace.engine();
  }

  private TableIdentifier id(String table) {
    return TableIdentifier.of(namespace, table);
  }

  private String name(String table) {
    return namespace + "." + table;
  }

  @Override
  public boolean hasTable(String table) {
    return catalog.tableExists(id(table));
  }

  @Override
  public List<String> listTables() {
    if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(namespace)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (TableIdentifier t : catalog.listTables(namespace)) {
      out.add(t.name());
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  private @Nullable Table loadOrNull(String table) {
    try {
      return catalog.loadTable(id(table));
    } catch (NoSuchTableException e) {
      return null;
    }
  }

  /** The table, failing with its name when it does not exist. */
  Table load(String table) {
    Table t = loadOrNull(table);
    if (t == null) {
      throw new MetadataStoreException("Iceberg table " + name(table) + " does not exist");
    }
    return t;
  }

  @Override
  public VectorSchemaRoot scan(ScanRequest request, BufferAllocator allocator) {
    Table t = load(request.table());
    Schema schema = t.schema();
    String version = request.featureVersion();
    if (version != null && schema.findField(FEATURE_VERSION) == null) {
      // A table without versions: every row is of the requested one.
      request = new ScanRequest(
          request.table(),
          null,
          request.dedupIdColumns(),
          request.byFieldKeys(),
          request.filter(),
          request.columns(),
          request.omitColumns());
      version = null;
    }
    long t0 = System.nanoTime();
    List<Path> files = new ArrayList<>();
    for (String location : plan(
        t, version, IcebergPruning.prunable(request.filter(), request.dedupIdColumns(), schema))) {
      files.add(local(t, location));
    }
    long t1 = System.nanoTime();
    // Data files carry field ids (the Iceberg spec), so columns are matched by id and survive
    // renames;
    // a table with a name mapping has files without them (e.g. imported ones) and is read by name.
    boolean byId = !t.properties().containsKey(TableProperties.DEFAULT_NAME_MAPPING);
    List<Field> fields = new ArrayList<>();
    for (NestedField f : schema.columns()) {
      fields.add(byId ? IcebergTypes.fieldWithIds(f) : IcebergTypes.field(f));
    }
    VectorSchemaRoot out = scanEngine()
        .scan(files, new org.apache.arrow.vector.types.pojo.Schema(fields), request, allocator);
    LOG.debug(
        "scan {}: {} files planned (and fetched) in {} ms, {} rows read in {} ms",
        name(request.table()),
        files.size(),
        (t1 - t0) / 1_000_000,
        out.getRowCount(),
        (System.nanoTime() - t1) / 1_000_000);
    return out;
  }

  /**
   * The data files of the table's current snapshot in commit order (data sequence number), as
   * deduplication's tie-break needs; with {@code version}, only files that may hold rows of it; with
   * {@code pruning} (see {@link IcebergPruning#prunable}), only files whose column bounds may match it.
   */
  static List<String> plan(Table t, @Nullable String version, @Nullable Expression pruning) {
    if (t.currentSnapshot() == null) {
      return List.of();
    }
    TableScan scan = t.newScan();
    if (version != null) {
      scan = scan.filter(Expressions.equal(FEATURE_VERSION, version));
    }
    if (pruning != null) {
      scan = scan.filter(pruning);
    }
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned = scan.planFiles()) {
      planned.forEach(tasks::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    tasks.sort(Comparator.comparing(
            (FileScanTask task) -> Objects.requireNonNullElse(task.file().dataSequenceNumber(), 0L))
        .thenComparing(task -> task.file().location()));
    Set<String> out = new LinkedHashSet<>();
    for (FileScanTask task : tasks) {
      if (!task.deletes().isEmpty()) {
        throw new MetadataStoreException("Iceberg table " + t.name()
            + " has delete files (merge-on-read), which this store does not read yet");
      }
      out.add(task.file().location());
    }
    return List.copyOf(out);
  }

  /**
   * A local copy of a data file: the file itself when local, else a download through the table's
   * {@code FileIO}, kept for the life of the connection.
   */
  private Path local(Table t, String location) {
    return workspace.local(location, () -> t.io().newInputFile(location).newStream());
  }

  /** Filters reach the DuckDB scan of the files (and, for id columns, Iceberg's file planning). */
  @Override
  public boolean supportsFilterPushdown() {
    return true;
  }

  /** From the data files' column bounds in the manifests; no data file is read. */
  @Override
  public long @Nullable [] integerRange(String table, String column) {
    Table t = loadOrNull(table);
    return t == null ? null : IcebergPruning.integerRange(t, column);
  }

  @Override
  public long estimatedRows(String table) {
    Table t = loadOrNull(table);
    if (t == null) {
      return 0;
    }
    Snapshot s = t.currentSnapshot();
    if (s == null) {
      return 0;
    }
    String total = s.summary().get("total-records");
    return total == null ? -1 : Long.parseLong(total);
  }

  @Override
  public void appendAll(List<Append> appends) {
    // Tables first (created or evolved), then every data file written, then one commit per table:
    // until the first commit nothing is visible, and a failure deletes the written files.
    Map<String, Table> tables = new LinkedHashMap<>();
    Map<String, List<DataFile>> files = new LinkedHashMap<>();
    try {
      for (Append a : appends) {
        Table t = prepare(a.table(), a.batch().getSchema());
        tables.put(a.table(), t);
        files.computeIfAbsent(a.table(), k -> new ArrayList<>());
        if (a.batch().getRowCount() > 0) {
          long t0 = System.nanoTime();
          files.get(a.table()).add(writeFile(t, a.batch()));
          LOG.debug(
              "append {}: {} rows written as Parquet in {} ms",
              name(a.table()),
              a.batch().getRowCount(),
              (System.nanoTime() - t0) / 1_000_000);
        }
      }
    } catch (RuntimeException e) {
      deleteQuietly(tables, files);
      throw failure("cannot append to", appends, e);
    }
    Map<String, List<DataFile>> committed = new LinkedHashMap<>();
    String current = "";
    try {
      for (Map.Entry<String, List<DataFile>> e : files.entrySet()) {
        current = e.getKey();
        if (e.getValue().isEmpty()) {
          continue;
        }
        Table t = Objects.requireNonNull(tables.get(e.getKey()));
        beforeCommit.accept(e.getKey());
        commitAppend(t, e.getValue());
        committed.put(e.getKey(), e.getValue());
      }
    } catch (RuntimeException e) {
      undo(tables, committed);
      Map<String, List<DataFile>> uncommitted = new LinkedHashMap<>(files);
      uncommitted.keySet().removeAll(committed.keySet());
      deleteQuietly(tables, uncommitted);
      throw new MetadataStoreException(
          "cannot append to Iceberg table " + name(current) + ": " + e.getMessage()
              + (committed.isEmpty()
                  ? ""
                  : " (the appends already committed to " + committed.keySet()
                      + " were removed again)"),
          e);
    }
  }

  private MetadataStoreException failure(String what, List<Append> appends, RuntimeException e) {
    List<String> names = new ArrayList<>();
    for (Append a : appends) {
      names.add(name(a.table()));
    }
    if (e instanceof MetadataStoreException m) {
      return m;
    }
    return new MetadataStoreException(
        what + " Iceberg table(s) " + names + ": " + e.getMessage(), e);
  }

  private static void commitAppend(Table t, List<DataFile> files) {
    for (int attempt = 1; ; attempt++) {
      try {
        var append = t.newAppend();
        files.forEach(append::appendFile);
        append.commit();
        return;
      } catch (CommitFailedException e) {
        // Iceberg retried commit.retry.num-retries times already; another writer keeps winning.
        if (attempt >= COMMIT_ATTEMPTS) {
          throw e;
        }
        LOG.debug("append to {} lost a commit race (attempt {}), retrying", t.name(), attempt);
        t.refresh();
      }
    }
  }

  /**
   * Removes exactly the files this call added from the tables whose append committed: a {@code
   * DeleteFiles} of those files, which does not touch what other writers added meanwhile.
   */
  private void undo(Map<String, Table> tables, Map<String, List<DataFile>> committed) {
    for (Map.Entry<String, List<DataFile>> e : committed.entrySet()) {
      Table t = Objects.requireNonNull(tables.get(e.getKey()));
      try {
        t.refresh();
        var delete = t.newDelete();
        e.getValue().forEach(delete::deleteFile);
        delete.commit();
      } catch (RuntimeException ex) {
        LOG.error(
            "could not remove the rows appended to Iceberg table {} by a failed multi-table append: {}",
            t.name(),
            ex.toString());
      }
    }
  }

  private static void deleteQuietly(Map<String, Table> tables, Map<String, List<DataFile>> files) {
    for (Map.Entry<String, List<DataFile>> e : files.entrySet()) {
      Table t = tables.get(e.getKey());
      if (t == null) {
        continue;
      }
      for (DataFile f : e.getValue()) {
        try {
          t.io().deleteFile(f.location());
        } catch (RuntimeException ex) {
          LOG.debug("could not delete the unused data file {}: {}", f.location(), ex.toString());
        }
      }
    }
  }

  /** The table, created from the batch's schema when missing, with the batch's new columns added. */
  private Table prepare(String table, org.apache.arrow.vector.types.pojo.Schema arrow) {
    Table t = loadOrNull(table);
    if (t == null) {
      ensureNamespace();
      Schema schema = IcebergTypes.schema(arrow, name(table));
      try {
        var builder =
            catalog.buildTable(id(table), schema).withPartitionSpec(PartitionSpec.unpartitioned());
        if (tableLocationRoot != null) {
          builder = builder.withLocation(tableLocationRoot + "/" + table);
        }
        t = builder.create();
        LOG.debug("created Iceberg table {}", name(table));
      } catch (AlreadyExistsException e) {
        t = catalog.loadTable(id(table)); // another writer created it meanwhile
      } catch (RuntimeException e) {
        // The JDBC catalog on SQLite reports a lost creation race as a failed INSERT, not as
        // AlreadyExistsException: the table another writer created is as good.
        t = loadOrNull(table);
        if (t == null) {
          throw e;
        }
      }
    }
    return evolve(t, arrow);
  }

  /**
   * Adds the columns of {@code arrow} the table lacks, and the struct children a by-field column
   * lacks (a feature that gained a field), in one schema commit, retried when another writer changed
   * the schema meanwhile.
   */
  private Table evolve(Table t, org.apache.arrow.vector.types.pojo.Schema arrow) {
    for (int attempt = 1; ; attempt++) {
      UpdateSchema update = t.updateSchema();
      boolean changed = false;
      Types.StructType current = t.schema().asStruct();
      for (Field f : arrow.getFields()) {
        NestedField existing = current.field(f.getName());
        if (existing == null) {
          update.addColumn(null, f.getName(), IcebergTypes.type(f, new AtomicInteger(), t.name()));
          changed = true;
        } else if (existing.type().isStructType() && f.getType() instanceof ArrowType.Struct) {
          for (Field c : f.getChildren()) {
            if (existing.type().asStructType().field(c.getName()) == null) {
              update.addColumn(
                  f.getName(), c.getName(), IcebergTypes.type(c, new AtomicInteger(), t.name()));
              changed = true;
            }
          }
        }
      }
      if (!changed) {
        return t;
      }
      try {
        update.commit();
        LOG.debug("evolved the schema of Iceberg table {}", t.name());
        return t;
      } catch (CommitFailedException | IllegalArgumentException e) {
        // Another writer changed the schema (perhaps adding the same column): look again.
        if (attempt >= COMMIT_ATTEMPTS) {
          throw e;
        }
        t.refresh();
      }
    }
  }

  private void ensureNamespace() {
    if (namespaceChecked || !(catalog instanceof SupportsNamespaces ns)) {
      return;
    }
    if (!ns.namespaceExists(namespace)) {
      if (!autoCreateNamespace) {
        throw new MetadataStoreException("Iceberg namespace " + namespace
            + " does not exist and auto_create_namespace is false: create it first");
      }
      try {
        ns.createNamespace(namespace);
      } catch (RuntimeException e) {
        // Another writer may have created it meanwhile: the JDBC catalog then fails on its unique
        // key rather than with AlreadyExistsException.
        if (!ns.namespaceExists(namespace)) {
          throw e;
        }
      }
    }
    namespaceChecked = true;
  }

  /**
   * Writes a batch as one Parquet data file of the table's current schema (not yet committed): DuckDB
   * writes it with the table's field ids, in place on a local warehouse, else to a staging file that is
   * then uploaded through the table's {@code FileIO}. Iceberg's metrics come from the file's footer.
   */
  private DataFile writeFile(Table t, VectorSchemaRoot batch) {
    Schema schema = t.schema();
    List<Field> fields = new ArrayList<>();
    for (NestedField f : schema.columns()) {
      fields.add(IcebergTypes.fieldWithIds(f));
    }
    String location = t.locationProvider()
        .newDataLocation(FileFormat.PARQUET.addExtension(UUID.randomUUID().toString()));
    Path direct = ParquetWorkspace.localPath(location);
    Path file = direct != null ? direct : workspace.stagedFile();
    boolean uploaded = false;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ParquetFiles.Written written = workspace
          .engine()
          .write(batch, new org.apache.arrow.vector.types.pojo.Schema(fields), file);
      Metrics metrics = ParquetUtil.fileMetrics(
          org.apache.iceberg.Files.localInput(file.toFile()), MetricsConfig.forTable(t));
      if (direct == null) {
        try (OutputStream out = t.io().newOutputFile(location).createOrOverwrite()) {
          uploaded = true;
          Files.copy(file, out);
        }
      }
      return DataFiles.builder(t.spec())
          .withPath(location)
          .withFormat(FileFormat.PARQUET)
          .withFileSizeInBytes(written.bytes())
          .withMetrics(metrics)
          .build();
    } catch (IOException | RuntimeException e) {
      try {
        if (direct != null) {
          Files.deleteIfExists(direct);
        } else if (uploaded) {
          t.io().deleteFile(location);
        }
      } catch (IOException | RuntimeException ignored) {
        // best effort: an uncommitted file is never read
      }
      throw new MetadataStoreException(
          "cannot write a data file of Iceberg table " + t.name() + ": " + e.getMessage(), e);
    } finally {
      if (direct == null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // the staging directory goes on close
        }
      }
    }
  }

  @Override
  public org.apache.arrow.vector.types.pojo.@Nullable Schema tableSchema(String table) {
    Table t = loadOrNull(table);
    if (t == null) {
      return null;
    }
    List<Field> fields = new ArrayList<>();
    for (NestedField f : t.schema().columns()) {
      // Not one Arrow type, so not checked by the store: nested columns (by-field structs), and
      // Iceberg's int and float, which hold int8/16/32 and uint8/16, float16/32 batches alike.
      boolean ambiguous = !f.type().isPrimitiveType()
          || f.type().typeId() == Type.TypeID.INTEGER
          || f.type().typeId() == Type.TypeID.FLOAT;
      fields.add(
          ambiguous ? Field.nullable(f.name(), ArrowType.Null.INSTANCE) : IcebergTypes.field(f));
    }
    return new org.apache.arrow.vector.types.pojo.Schema(fields);
  }

  @Override
  public void replace(String table, VectorSchemaRoot rows) {
    Table t = load(table);
    t = evolve(t, rows.getSchema());
    DataFile file = rows.getRowCount() == 0 ? null : writeFile(t, rows);
    try {
      // Every file of the snapshot current now goes and the new one comes, in one commit. Iceberg
      // retries the commit when another writer committed meanwhile, but a concurrent append of data
      // fails the validation rather than being dropped unseen.
      Snapshot base = t.currentSnapshot();
      OverwriteFiles overwrite = t.newOverwrite().overwriteByRowFilter(Expressions.alwaysTrue());
      if (file != null) {
        overwrite.addFile(file);
      }
      if (base != null) {
        overwrite
            .validateFromSnapshot(base.snapshotId())
            .conflictDetectionFilter(Expressions.alwaysTrue())
            .validateNoConflictingData()
            .validateNoConflictingDeletes();
      }
      overwrite.commit();
    } catch (RuntimeException e) {
      if (file != null) {
        try {
          t.io().deleteFile(file.location());
        } catch (RuntimeException ignored) {
          // best effort
        }
      }
      throw new MetadataStoreException(
          "cannot replace the rows of Iceberg table " + name(table) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void dropTable(String table) {
    // purge: the data and metadata files go too, as a hard delete of the feature should.
    catalog.dropTable(id(table), true);
  }

  @Override
  public void close() {
    if (readerEngine != null) {
      readerEngine.close(); // the rest is the main backend's
      return;
    }
    workspace.close();
    if (catalog instanceof Closeable c) {
      try {
        c.close();
      } catch (IOException e) {
        LOG.debug("closing the Iceberg catalog failed: {}", e.toString());
      }
    }
  }

  /** For tests: the names of the data files of the table's current snapshot. */
  Set<String> dataFiles(String table) {
    Set<String> out = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = load(table).newScan().planFiles()) {
      tasks.forEach(t -> out.add(t.file().location()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
