package io.metaxy.store.delta;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadRequest;
import io.delta.kernel.exceptions.CommitStateUnknownException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.Metadata;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.util.FileNames;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import io.metaxy.store.MetadataStoreException;
import io.metaxy.store.duckdb.ParquetFiles;
import io.metaxy.store.duckdb.ParquetWorkspace;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Delta "connection": a Kernel default engine (over Hadoop's file system for local roots, over
 * {@link S3FileIO} for S3), and the tables of one root path. Kernel keeps the log: every write is one
 * Delta commit made through its transaction API, and a commit that loses the race to another writer is
 * retried on the new snapshot, so concurrent appends lose nothing. DuckDB ({@link ParquetFiles}) writes
 * and reads the Parquet data files: reads list the live files with Kernel and scan them, in the order
 * they were added, with the DuckDB store's scan.
 */
final class DeltaBackend implements StoreBackend {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaBackend.class);
  static final String ENGINE_INFO = "metaxy-java";
  private static final int MAX_ATTEMPTS = 100;

  private final DeltaConnector connector;
  private final Engine engine;
  private final TableFiles files;
  private final boolean mapLayout;

  /**
   * The snapshot version each table was last scanned at: a hard delete's rows come from the scan just
   * before its {@link #replace}, which then removes exactly that snapshot's files.
   */
  private final Map<String, Long> lastRead = new HashMap<>();

  private final ParquetWorkspace parquet;

  /** A {@link #concurrentReader()}'s own connection to the workspace's engine, else null. */
  private final @Nullable ParquetFiles readerEngine;

  /**
   * The latest snapshot of each table as last loaded here, and the status of its last commit file:
   * reused while the log has no later commit and that file is unchanged, which one listing of the log
   * tells ({@link #unchanged}). Each backend and reader keeps its own, so a snapshot is only ever used
   * by one thread.
   */
  private final Map<String, Loaded> snapshots = new HashMap<>();

  private record Loaded(Snapshot snapshot, FileStatus commit) {}

  DeltaBackend(DeltaConnector connector, TableFiles files, Engine engine, boolean mapLayout) {
    this(
        connector,
        files,
        engine,
        mapLayout,
        new ParquetWorkspace("delta", connector.duckdbConfig()),
        null);
  }

  /** Filters reach the DuckDB scan of the table's files, which skips row groups by statistics. */
  @Override
  public boolean supportsFilterPushdown() {
    return true;
  }

  private DeltaBackend(
      DeltaConnector connector,
      TableFiles files,
      Engine engine,
      boolean mapLayout,
      ParquetWorkspace parquet,
      @Nullable ParquetFiles readerEngine) {
    this.connector = connector;
    this.files = files;
    this.engine = engine;
    this.mapLayout = mapLayout;
    this.parquet = parquet;
    this.readerEngine = readerEngine;
  }

  /**
   * A reader on the same Kernel engine, file cache and in-memory DuckDB (a connection of its own), so
   * that a resolve reads its target and upstreams side by side, as on the DuckDB store: one streamed
   * Parquet scan leaves a core partly idle. Closing it closes only its DuckDB connection.
   */
  @Override
  public StoreBackend concurrentReader() {
    return new DeltaBackend(
        connector, files, engine, mapLayout, parquet, parquet.engine().reader());
  }

  /** The DuckDB connection this backend scans with. */
  private ParquetFiles scanEngine() {
    return readerEngine != null ? readerEngine : parquet.engine();
  }

  /**
   * Whether every one of {@code files} (paths relative to the table, as added) is live in the
   * table's latest snapshot, loaded afresh; throws when only some are (a commit is all or nothing, so
   * that cannot be ours).
   */
  private boolean committed(String table, List<String> files) {
    snapshots.remove(table);
    Snapshot snap = latest(table);
    if (snap == null) {
      return false;
    }
    Set<String> live = new HashSet<>();
    for (Row file : scanFiles(snap.getScanBuilder().build())) {
      live.add(addPath(file));
    }
    long found = files.stream().filter(live::contains).count();
    if (found != 0 && found != files.size()) {
      throw new MetadataStoreException("Delta table " + table + ": " + found + " of " + files.size()
          + " files of one commit are in the table; check its history");
    }
    return found == files.size();
  }

  /**
   * The table's latest snapshot, or null when it does not exist. A snapshot loaded before is reused
   * when the log still ends at its commit (a resolve asks for each table's snapshot two or three
   * times; a load replays the log since the last checkpoint, a check is one listing of it).
   */
  private @Nullable Snapshot latest(String table) {
    Loaded known = snapshots.get(table);
    if (known != null && unchanged(known)) {
      return known.snapshot();
    }
    try {
      Snapshot s = TableManager.loadSnapshot(connector.tablePath(table)).build(engine);
      // The commit file's status as Kernel listed it for this very load.
      snapshots.put(
          table, new Loaded(s, ((SnapshotImpl) s).getLogSegment().getDeltaFileAtEndVersion()));
      return s;
    } catch (TableNotFoundException e) {
      snapshots.remove(table);
      return null;
    }
  }

  /**
   * Whether the log has no commit after {@code known}'s and its commit file is the one that was read
   * (same size and modification time, as Spark's {@code DeltaLog} compares log segments): another
   * writer's commit, or a table dropped and created again, makes the next call load afresh.
   */
  private boolean unchanged(Loaded known) {
    FileStatus commit = known.commit();
    String name = fileName(commit.getPath());
    long version = FileNames.deltaVersion(name);
    boolean same = false;
    try (CloseableIterator<FileStatus> log =
        engine.getFileSystemClient().listFrom(commit.getPath())) {
      while (log.hasNext()) {
        FileStatus f = log.next();
        String n = fileName(f.getPath());
        if (n.equals(name)) {
          same = f.getSize() == commit.getSize()
              && f.getModificationTime() == commit.getModificationTime();
        } else if (FileNames.isCommitFile(n) && FileNames.deltaVersion(n) > version) {
          return false;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug(
          "checking the log of {} failed, loading it again: {}", commit.getPath(), e.toString());
      return false;
    }
    return same;
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Override
  public boolean hasTable(String table) {
    return latest(table) != null;
  }

  @Override
  public List<String> listTables() {
    return connector.listTables(files);
  }

  @Override
  public @Nullable Schema tableSchema(String table) {
    Snapshot s = latest(table);
    if (s == null) {
      return null;
    }
    List<Field> fields = new ArrayList<>();
    for (StructField f : s.getSchema().fields()) {
      fields.add(
          f.getName().endsWith("_by_field")
              ? new Field(f.getName(), FieldType.nullable(ArrowType.Null.INSTANCE), List.of())
              : DeltaTypes.toArrow(f.getName(), f.getDataType()));
    }
    return new Schema(fields);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public VectorSchemaRoot scan(ScanRequest request, BufferAllocator allocator) {
    String table = request.table();
    Snapshot snap = latest(table);
    if (snap == null) {
      throw new MetadataStoreException(
          "Delta table " + table + " does not exist at " + connector.tablePath(table));
    }
    lastRead.put(table, snap.getVersion());
    StructType schema = snap.getSchema();
    checkPlain(table, schema, snap.getPartitionColumnNames());
    String version = request.featureVersion();
    ScanBuilder builder = snap.getScanBuilder();
    if (version != null && schema.indexOf("metaxy_feature_version") >= 0) {
      // Kernel skips files whose statistics exclude the version; DuckDB filters the rows.
      builder = builder.withFilter(
          new Predicate("=", new Column("metaxy_feature_version"), Literal.ofString(version)));
    } else if (version != null) {
      request = new ScanRequest(
          table,
          null,
          request.dedupIdColumns(),
          request.byFieldKeys(),
          request.filter(),
          request.columns(),
          request.omitColumns());
    }
    long t0 = System.nanoTime();
    List<Path> files = new ArrayList<>();
    for (Row file : scanFiles(builder.build())) {
      if (InternalScanFileUtils.getDeletionVectorDescriptorFromRow(file) != null) {
        throw new MetadataStoreException(
            "Delta table " + table + " has deletion vectors, which this store does not read yet");
      }
      FileStatus status = InternalScanFileUtils.getAddFileStatus(file);
      files.add(local(status.getPath(), status.getSize()));
    }
    long t1 = System.nanoTime();
    List<Field> fields = new ArrayList<>();
    for (StructField f : schema.fields()) {
      fields.add(DeltaTypes.toArrow(f.getName(), f.getDataType()));
    }
    VectorSchemaRoot out = scanEngine().scan(files, new Schema(fields), request, allocator);
    LOG.debug(
        "scan {}: {} files planned (and fetched) in {} ms, {} rows read in {} ms",
        table,
        files.size(),
        (t1 - t0) / 1_000_000,
        out.getRowCount(),
        (System.nanoTime() - t1) / 1_000_000);
    return out;
  }

  /**
   * Refuses tables whose data files DuckDB would read wrongly by column name: partitioned tables (the
   * partition values live in the log) and column mapping (files use physical names).
   */
  private static void checkPlain(String table, StructType schema, List<String> partitions) {
    if (!partitions.isEmpty()) {
      throw new MetadataStoreException("Delta table " + table + " is partitioned by " + partitions
          + ", which this store does not read or write yet");
    }
    for (StructField f : schema.fields()) {
      if (f.getMetadata().contains("delta.columnMapping.physicalName")) {
        throw new MetadataStoreException("Delta table " + table
            + " uses column mapping, which this store does not read or write yet");
      }
    }
  }

  /**
   * A local copy of a data file: the file itself when local, else a download through the engine's
   * file system client, kept for the life of the connection.
   */
  private Path local(String location, long size) {
    return parquet.local(location, () -> fetch(location, size));
  }

  /** The whole data file at {@code location}, through the engine's file system client. */
  private InputStream fetch(String location, long size) throws IOException {
    FileReadRequest whole = new FileReadRequest() {
      @Override
      public String getPath() {
        return location;
      }

      @Override
      public int getStartOffset() {
        return 0;
      }

      @Override
      public int getReadLength() {
        return Math.toIntExact(size);
      }
    };
    try (CloseableIterator<ByteArrayInputStream> in =
        engine.getFileSystemClient().readFiles(Utils.singletonCloseableIterator(whole))) {
      return in.next();
    }
  }

  /**
   * The snapshot's live files, oldest first (by the add action's modification time, then path): the
   * order later appends win ties in. Delta keeps no per-file commit version in the snapshot.
   */
  private List<Row> scanFiles(Scan scan) {
    List<Row> files = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> it = scan.getScanFiles(engine)) {
      while (it.hasNext()) {
        try (CloseableIterator<Row> rows = it.next().getRows()) {
          while (rows.hasNext()) {
            files.add(rows.next());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(Comparator.comparingLong(
            (Row r) -> InternalScanFileUtils.getAddFileStatus(r).getModificationTime())
        .thenComparing(r -> InternalScanFileUtils.getAddFileStatus(r).getPath()));
    return files;
  }

  // ---------------------------------------------------------------- writes

  /** What one append committed: the table and the paths of the files it added. */
  private record Committed(String table, List<String> paths) {}

  @Override
  public void appendAll(List<Append> appends) {
    List<Committed> done = new ArrayList<>();
    for (Append a : appends) {
      try {
        done.add(new Committed(a.table(), commit(a.table(), a.batch(), false)));
      } catch (RuntimeException e) {
        // Delta has no commit across tables: undo the tables this call already committed.
        for (Committed c : done) {
          try {
            removeFiles(c.table(), new HashSet<>(c.paths()));
          } catch (RuntimeException undo) {
            e.addSuppressed(undo);
          }
        }
        throw e;
      }
    }
  }

  @Override
  public void replace(String table, VectorSchemaRoot rows) {
    if (latest(table) == null) {
      throw new MetadataStoreException(
          "Delta table " + table + " does not exist; nothing to replace");
    }
    try {
      commit(table, rows, true);
    } finally {
      lastRead.remove(table);
    }
  }

  @Override
  public void dropTable(String table) {
    snapshots.remove(table);
    String path = connector.tablePath(table);
    try {
      if (files.deleteAll(path)) {
        LOG.info("dropped Delta table {} ({})", table, path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "dropping Delta table " + table + " at " + path + " failed", e);
    }
  }

  /**
   * Appends {@code batch} to {@code table} in one commit (removing every live file first when
   * {@code replace}), creating the table or widening its schema as needed; retried on conflicts.
   *
   * @return the paths of the added files, relative to the table
   */
  private List<String> commit(String table, VectorSchemaRoot batch, boolean replace) {
    try {
      return commitOnce(table, batch, replace);
    } finally {
      // A read older than our own commit must never decide what a later replace removes.
      if (!replace) {
        lastRead.remove(table);
      }
    }
  }

  private List<String> commitOnce(String table, VectorSchemaRoot batch, boolean replace) {
    String path = connector.tablePath(table);
    StructType batchSchema = DeltaTypes.struct(batch.getSchema().getFields());
    RuntimeException last = null;
    // A hard delete replaces the files of the snapshot its rows were read from, and only those: a
    // retry after a conflict keeps whatever other writers appended meanwhile.
    Set<String> replaced = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Snapshot snap = latest(table);
      if (replace && replaced == null && snap != null) {
        Long read = lastRead.get(table);
        Snapshot source = read == null || read == snap.getVersion()
            ? snap
            : TableManager.loadSnapshot(path).atVersion(read).build(engine);
        replaced = new HashSet<>();
        for (Row file : scanFiles(source.getScanBuilder().build())) {
          replaced.add(addPath(file));
        }
      }
      Transaction txn;
      List<Row> actions = new ArrayList<>();
      if (snap == null) {
        StructType create = mapLayout ? byFieldAsMaps(batchSchema) : batchSchema;
        txn =
            TableManager.buildCreateTableTransaction(path, create, ENGINE_INFO).build(engine);
      } else {
        checkTypes(table, snap.getSchema(), batch);
        StructType merged = merge(snap.getSchema(), batchSchema);
        if (!merged.equals(snap.getSchema())) {
          if (replace) {
            // Replacement rows come from a read of the table: widening first is harmless.
            widen(table, snap, merged);
            continue;
          }
          List<String> added = appendWithNewSchema(table, snap, merged, batch);
          if (added != null) {
            return added;
          }
          continue;
        }
        txn = snap.buildUpdateTableTransaction(ENGINE_INFO, Operation.WRITE).build(engine);
        if (replaced != null) {
          for (Row file : scanFiles(snap.getScanBuilder().build())) {
            if (replaced.contains(addPath(file))) {
              actions.add(removeAction(file));
            }
          }
          if (actions.size() != replaced.size()) {
            throw new MetadataStoreException("Delta table " + table
                + " was rewritten by another writer during a hard delete; nothing was changed,"
                + " run the delete again");
          }
        }
      }
      List<String> added = new ArrayList<>();
      try {
        if (batch.getRowCount() > 0) {
          for (Row add : writeData(table, txn, batch)) {
            actions.add(add);
            added.add(addPath(add));
          }
        }
        if (snap != null && actions.isEmpty()) {
          return added;
        }
        runHooks(
            table,
            txn.commit(
                engine,
                CloseableIterable.inMemoryIterable(Utils.toCloseableIterator(actions.iterator()))));
        return added;
      } catch (ConcurrentWriteException | TableAlreadyExistsException e) {
        // Another writer committed first (or created the table): the files we wrote stay
        // unreferenced.
        LOG.debug("Delta commit to {} lost a race, retrying: {}", table, e.getMessage());
        last = e;
      } catch (CommitStateUnknownException e) {
        // An attempt failed without an answer (e.g. an I/O error) and Kernel's retry then found its
        // version taken: by us or by another writer. Our data files have names no other writer
        // uses, so the table itself tells which.
        if (!added.isEmpty() && committed(table, added)) {
          LOG.debug("Delta commit to {} had an unknown outcome and was found committed", table);
          return added;
        }
        LOG.debug(
            "Delta commit to {} had an unknown outcome and is not in the table, retrying", table);
        last = e;
      }
    }
    throw new MetadataStoreException(
        "Delta table " + table + ": gave up after " + MAX_ATTEMPTS + " conflicting commits", last);
  }

  /**
   * Runs the commit's checkpoint (every {@code delta.checkpointInterval} commits, 10 by default, so
   * snapshots do not replay the whole log) and simple checksum hooks. The commit has succeeded
   * already: a hook that fails (e.g. another writer's checkpoint of the same version) is only logged.
   */
  private void runHooks(String table, TransactionCommitResult result) {
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      PostCommitHook.PostCommitHookType type = hook.getType();
      if (type != PostCommitHook.PostCommitHookType.CHECKPOINT
          && type != PostCommitHook.PostCommitHookType.CHECKSUM_SIMPLE) {
        continue;
      }
      try {
        hook.threadSafeInvoke(engine);
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "Delta table {}: {} after version {} failed: {}",
            table,
            type,
            result.getVersion(),
            e.toString());
      }
    }
  }

  /** Writes a batch as Parquet under the table and returns its add actions. */
  private List<Row> writeData(String table, Transaction txn, VectorSchemaRoot batch) {
    Row state = txn.getTransactionState(engine);
    StructType schema = txn.getSchema(engine);
    checkPlain(table, schema, txn.getPartitionColumns(engine));
    DataWriteContext ctx = Transaction.getWriteContext(engine, state, Map.of());
    DataFileStatus file = writeFile(table, ctx.getTargetDirectory(), schema, batch);
    try (CloseableIterator<Row> adds = Transaction.generateAppendActions(
        engine, state, Utils.singletonCloseableIterator(file), ctx)) {
      return adds.toInMemoryList();
    } catch (IOException e) {
      throw new UncheckedIOException("writing Parquet for Delta table " + table + " failed", e);
    }
  }

  /**
   * Writes a batch as one Parquet file in {@code directory}, typed as {@code schema} (DuckDB, {@link
   * ParquetFiles}): in place when the directory is local, else staged locally and copied through the
   * engine's {@code FileIO}. Not yet committed.
   */
  private DataFileStatus writeFile(
      String table, String directory, StructType schema, VectorSchemaRoot batch) {
    List<Field> fields = new ArrayList<>();
    for (StructField f : schema.fields()) {
      fields.add(DeltaTypes.toArrow(f.getName(), f.getDataType()));
    }
    String location = directory + "/" + UUID.randomUUID() + ".parquet";
    Path direct = ParquetWorkspace.localPath(location);
    Path file = direct != null ? direct : parquet.stagedFile();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ParquetFiles.Written written = parquet.engine().write(batch, new Schema(fields), file);
      long modified;
      if (direct != null) {
        modified = Files.getLastModifiedTime(direct).toMillis();
      } else {
        FileIO io = fileIO(table);
        try (OutputStream out = io.newOutputFile(location).create(true)) {
          Files.copy(file, out);
        }
        modified = io.getFileStatus(location).getModificationTime();
      }
      // String statistics let Kernel skip files by feature version (and id) on later scans.
      Map<Column, Literal> min = new HashMap<>();
      Map<Column, Literal> max = new HashMap<>();
      Map<Column, Long> nulls = new HashMap<>();
      written.strings().forEach((name, st) -> {
        Column c = new Column(name);
        nulls.put(c, st.nulls());
        if (st.min() != null && st.max() != null) {
          min.put(c, Literal.ofString(st.min()));
          max.put(c, Literal.ofString(st.max()));
        }
      });
      DataFileStatistics stats =
          new DataFileStatistics(written.rows(), min, max, nulls, Optional.empty());
      return new DataFileStatus(location, written.bytes(), modified, Optional.of(stats));
    } catch (IOException e) {
      throw new UncheckedIOException("writing Parquet for Delta table " + table + " failed", e);
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

  /**
   * The default engine's {@code FileIO}, through which staged files reach a remote table. Kernel
   * exposes no accessor, so it is read from the engine's field; a different engine is refused.
   */
  private FileIO fileIO(String table) {
    if (engine instanceof DefaultEngine) {
      try {
        java.lang.reflect.Field f = DefaultEngine.class.getDeclaredField("fileIO");
        f.setAccessible(true);
        return (FileIO) f.get(engine);
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new MetadataStoreException(
            "Delta table " + table
                + ": cannot reach the Kernel engine's FileIO to upload a data file: " + e,
            e);
      }
    }
    throw new MetadataStoreException("Delta table " + table
        + ": writing to a non-local table needs Kernel's default engine, not " + engine.getClass());
  }

  /** The path of the file a scan-file row or an add action names (both hold an {@code add} struct). */
  private static String addPath(Row row) {
    Row add = row.getStruct(row.getSchema().indexOf("add"));
    return add.getString(add.getSchema().indexOf("path"));
  }

  private Row removeAction(Row scanFile) {
    Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
    return SingleAction.createRemoveFileSingleAction(
        new AddFile(add).toRemoveFileRow(true, Optional.of(System.currentTimeMillis())));
  }

  /** Commits removes of exactly these files (an undo of an append); a file already gone is skipped. */
  private void removeFiles(String table, Set<String> paths) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Snapshot snap = latest(table);
      if (snap == null) {
        return;
      }
      List<Row> actions = new ArrayList<>();
      for (Row file : scanFiles(snap.getScanBuilder().build())) {
        if (paths.contains(addPath(file))) {
          actions.add(removeAction(file));
        }
      }
      if (actions.isEmpty()) {
        return;
      }
      try {
        runHooks(
            table,
            snap.buildUpdateTableTransaction(ENGINE_INFO, Operation.WRITE)
                .build(engine)
                .commit(
                    engine,
                    CloseableIterable.inMemoryIterable(
                        Utils.toCloseableIterator(actions.iterator()))));
        LOG.warn("undid an append of {} file(s) to Delta table {}", actions.size(), table);
        return;
      } catch (ConcurrentWriteException e) {
        LOG.debug("undo on {} lost a race, retrying", table);
      }
    }
    throw new MetadataStoreException("Delta table " + table + ": could not undo an append");
  }

  /**
   * The schema with the by-field columns as {@code map<string, string>}: what the reference creates
   * with {@code enable_map_datatype} on ({@code versioning/engine.py:238} {@code build_map_column}).
   */
  private static StructType byFieldAsMaps(StructType schema) {
    StructType out = new StructType();
    for (StructField f : schema.fields()) {
      out = f.getName().endsWith("_by_field") && f.getDataType() instanceof StructType
          ? out.add(f.getName(), new MapType(StringType.STRING, StringType.STRING, true), true)
          : out.add(f);
    }
    return out;
  }

  /**
   * Refuses a batch column whose type cannot be stored in the table's column (the store checks user
   * columns before; this catches by-field columns and tables written by other tools), naming both.
   */
  private static void checkTypes(String table, StructType schema, VectorSchemaRoot batch) {
    for (Field f : batch.getSchema().getFields()) {
      int i = schema.indexOf(f.getName());
      if (i < 0 || f.getType() instanceof ArrowType.Null) {
        continue;
      }
      DataType stored = schema.at(i).getDataType();
      DataType given = DeltaTypes.toDelta(f);
      boolean byFieldMap = stored instanceof MapType && given instanceof StructType;
      boolean timestamps = (stored instanceof TimestampType || stored instanceof TimestampNTZType)
          && (given instanceof TimestampType || given instanceof TimestampNTZType);
      if (!timestamps && !byFieldMap && !stored.getClass().equals(given.getClass())) {
        throw new MetadataStoreException("Delta table " + table + ": column '" + f.getName()
            + "' is " + stored + " in the table but the batch has " + given);
      }
    }
  }

  /**
   * The table's schema with the batch's new columns appended and new struct children added to
   * struct columns; existing columns keep their types.
   */
  static StructType merge(StructType table, StructType batch) {
    StructType out = new StructType();
    for (StructField f : table.fields()) {
      int i = batch.indexOf(f.getName());
      if (i >= 0
          && f.getDataType() instanceof StructType ts
          && batch.at(i).getDataType() instanceof StructType bs) {
        out = out.add(f.getName(), merge(ts, bs), f.isNullable(), f.getMetadata());
      } else {
        out = out.add(f);
      }
    }
    for (StructField f : batch.fields()) {
      if (table.indexOf(f.getName()) < 0) {
        out = out.add(f.getName(), f.getDataType(), true);
      }
    }
    return out;
  }

  /**
   * Appends a batch that brings new columns or struct children: the widened schema (a {@code
   * metaData} action) and the batch's files (the {@code add} actions) in one commit, so a reader sees
   * both or neither. Kernel refuses schema changes on tables without column mapping (which the
   * reference's delta-rs tables do not have), so this commit is written through the engine's atomic
   * log write (put-if-absent of the next version), as any Delta writer adding a nullable column does.
   *
   * @return the added paths, or null when another writer took the version first (the caller retries
   *     on the new snapshot; the files written here stay unreferenced)
   */
  private @Nullable List<String> appendWithNewSchema(
      String table, Snapshot snap, StructType schema, VectorSchemaRoot batch) {
    SnapshotImpl impl = (SnapshotImpl) snap;
    Set<String> unknown = new HashSet<>(impl.getProtocol().getWriterFeatures());
    unknown.removeAll(PLAIN_WRITER_FEATURES);
    if (!unknown.isEmpty()) {
      throw new MetadataStoreException("Delta table " + table
          + ": cannot add columns to a table with the writer features " + unknown
          + " (only plain appends are supported on it)");
    }
    String root = Utils.resolvePath(engine, connector.tablePath(table));
    List<Row> actions = new ArrayList<>();
    actions.add(SingleAction.createMetadataSingleAction(
        impl.getMetadata().withNewSchema(schema).toRow()));
    List<String> added = new ArrayList<>();
    String log = root + "/_delta_log/" + String.format("%020d.json", snap.getVersion() + 1);
    try {
      if (batch.getRowCount() > 0) {
        AddFile add = AddFile.convertDataFileStatus(
            schema,
            URI.create(root),
            writeFile(table, root, schema, batch),
            Map.of(),
            true,
            Map.of(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
        actions.add(SingleAction.createAddFileSingleAction(add.toRow()));
        added.add(add.getPath());
      }
      engine
          .getJsonHandler()
          .writeJsonFileAtomically(log, Utils.toCloseableIterator(actions.iterator()), false);
      LOG.info("widened the schema of Delta table {} (version {})", table, snap.getVersion() + 1);
      return added;
    } catch (FileAlreadyExistsException e) {
      LOG.debug("append with a schema change to {} lost a race, retrying", table);
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("appending to Delta table " + table + " failed", e);
    }
  }

  /** Writer features whose tables take a plain commit of metadata and add actions. */
  private static final Set<String> PLAIN_WRITER_FEATURES =
      Set.of("appendOnly", "invariants", "timestampNtz");

  /**
   * Commits a metadata action with the widened schema. Kernel refuses schema changes on tables
   * without column mapping (which the reference's delta-rs tables do not have), so this commit is
   * written through the engine's atomic log write, as any Delta writer adding a nullable column does.
   */
  private void widen(String table, Snapshot snap, StructType schema) {
    Metadata metadata = ((SnapshotImpl) snap).getMetadata().withNewSchema(schema);
    String log = Utils.resolvePath(engine, connector.tablePath(table)) + "/_delta_log/"
        + String.format("%020d.json", snap.getVersion() + 1);
    try {
      engine
          .getJsonHandler()
          .writeJsonFileAtomically(
              log,
              Utils.singletonCloseableIterator(
                  SingleAction.createMetadataSingleAction(metadata.toRow())),
              false);
      LOG.info("widened the schema of Delta table {} (version {})", table, snap.getVersion() + 1);
    } catch (FileAlreadyExistsException e) {
      LOG.debug("schema change of {} lost a race, retrying", table);
    } catch (IOException e) {
      throw new UncheckedIOException("changing the schema of Delta table " + table + " failed", e);
    }
  }

  @Override
  public void close() {
    if (readerEngine != null) {
      readerEngine.close(); // the rest is the main backend's
      return;
    }
    // The engine itself holds nothing between calls; an S3 client is closed here.
    files.close();
    parquet.close();
  }
}
