package io.metaxy.store.delta;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.ScanBuilder;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
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
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
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
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.support.ArrowBatches;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Delta "connection": a Kernel default engine (over Hadoop's file system for local roots, over
 * {@link S3FileIO} for S3), and the tables of one root path. Every write is one Delta commit made through Kernel's transaction API (Parquet written by the
 * engine's {@code ParquetHandler}); a commit that loses the race to another writer is retried on the
 * new snapshot, so concurrent appends lose nothing. Reads replay the log, read the live files in the
 * order they were added, and keep the latest row per id in the JVM.
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

  DeltaBackend(DeltaConnector connector, TableFiles files, Engine engine, boolean mapLayout) {
    this.connector = connector;
    this.files = files;
    this.engine = engine;
    this.mapLayout = mapLayout;
  }

  private @Nullable Snapshot latest(String table) {
    try {
      return TableManager.loadSnapshot(connector.tablePath(table)).build(engine);
    } catch (TableNotFoundException e) {
      return null;
    }
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
    Set<String> needed = new HashSet<>();
    if (request.featureVersion() != null) {
      needed.add("metaxy_feature_version");
    }
    if (request.dedupIdColumns() != null) {
      needed.addAll(request.dedupIdColumns());
      needed.add("metaxy_deleted_at");
      needed.add("metaxy_updated_at");
    }
    StructType read = new StructType();
    for (StructField f : schema.fields()) {
      if (request.returns(f.getName()) || needed.contains(f.getName())) {
        read = read.add(f);
      }
    }
    VectorSchemaRoot all = readAll(snap, read, request.featureVersion(), allocator);
    try {
      if (request.dedupIdColumns() != null) {
        int[] keep = ArrowBatches.latestPerId(all, request.dedupIdColumns());
        if (!isIdentity(keep, all.getRowCount())) {
          all = replaceWith(all, ArrowBatches.take(all, keep, allocator));
        }
      }
      List<String> drop = new ArrayList<>();
      for (FieldVector v : all.getFieldVectors()) {
        if (!request.returns(v.getName())) {
          drop.add(v.getName());
        }
      }
      if (!drop.isEmpty()) {
        all = replaceWith(all, ArrowBatches.without(all, drop, allocator));
      }
      if (!request.byFieldKeys().isEmpty()) {
        all = replaceWith(all, reshapeByField(all, request.byFieldKeys(), allocator));
      }
      return all;
    } catch (RuntimeException e) {
      all.close();
      throw e;
    }
  }

  /** The live rows of a snapshot (version-filtered), files in the order they were added. */
  private VectorSchemaRoot readAll(
      Snapshot snap, StructType read, @Nullable String featureVersion, BufferAllocator allocator) {
    ScanBuilder builder = snap.getScanBuilder().withReadSchema(read);
    if (featureVersion != null) {
      // Kernel skips files whose statistics exclude the version; rows are still checked below.
      builder = builder.withFilter(new Predicate(
          "=", new Column("metaxy_feature_version"), Literal.ofString(featureVersion)));
    }
    Scan scan = builder.build();
    Row scanState = scan.getScanState(engine);
    List<Row> files = scanFiles(scan);
    List<Field> arrowFields = new ArrayList<>();
    for (StructField f : read.fields()) {
      arrowFields.add(DeltaTypes.toArrow(f.getName(), f.getDataType()));
    }
    String wanted = featureVersion;
    VectorSchemaRoot out = VectorSchemaRoot.create(new Schema(arrowFields), allocator);
    try {
      out.allocateNew();
      int versionColumn = featureVersion == null ? -1 : read.indexOf("metaxy_feature_version");
      int n = 0;
      StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
      for (Row file : files) {
        FileStatus status = InternalScanFileUtils.getAddFileStatus(file);
        try (CloseableIterator<FileReadResult> raw = engine
                .getParquetHandler()
                .readParquetFiles(
                    Utils.singletonCloseableIterator(status), physical, Optional.empty());
            CloseableIterator<FilteredColumnarBatch> batches = Scan.transformPhysicalData(
                engine, scanState, file, raw.map(FileReadResult::getData))) {
          while (batches.hasNext()) {
            FilteredColumnarBatch fb = batches.next();
            ColumnarBatch data = fb.getData();
            ColumnVector selection = fb.getSelectionVector().orElse(null);
            ColumnVector version = versionColumn < 0 ? null : data.getColumnVector(versionColumn);
            for (int r = 0; r < data.getSize(); r++) {
              if (selection != null && (selection.isNullAt(r) || !selection.getBoolean(r))) {
                continue;
              }
              if (version != null
                  && (version.isNullAt(r) || !version.getString(r).equals(wanted))) {
                continue;
              }
              for (int c = 0; c < read.length(); c++) {
                DeltaTypes.copy(data.getColumnVector(c), r, out.getVector(c), n);
              }
              n++;
            }
          }
        }
      }
      for (FieldVector v : out.getFieldVectors()) {
        v.setValueCount(n);
      }
      out.setRowCount(n);
      return out;
    } catch (IOException e) {
      out.close();
      throw new UncheckedIOException("reading Delta table " + snap.getPath() + " failed", e);
    } catch (RuntimeException e) {
      out.close();
      throw e;
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

  private static VectorSchemaRoot replaceWith(VectorSchemaRoot old, VectorSchemaRoot fresh) {
    old.close();
    return fresh;
  }

  /** Whether deduplication kept every row in place (one row per id, the usual single write). */
  private static boolean isIdentity(int[] rows, int count) {
    if (rows.length != count) {
      return false;
    }
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] != i) {
        return false;
      }
    }
    return true;
  }

  private static VectorSchemaRoot reshapeByField(
      VectorSchemaRoot root, Map<String, List<String>> keys, BufferAllocator allocator) {
    List<FieldVector> out = new ArrayList<>();
    for (FieldVector v : root.getFieldVectors()) {
      List<String> k = keys.get(v.getName());
      if (k == null || (v instanceof StructVector s && s.getChildFieldNames().equals(k))) {
        // Already as asked: hand the buffers over instead of copying.
        TransferPair move = v.getTransferPair(allocator);
        move.transfer();
        out.add((FieldVector) move.getTo());
        continue;
      }
      List<@Nullable Map<String, @Nullable Object>> rows = new ArrayList<>();
      for (int r = 0; r < root.getRowCount(); r++) {
        rows.add(ArrowBatches.byField(v, r));
      }
      out.add(ArrowBatches.byFieldStruct(v.getName(), k, rows, allocator));
    }
    return ArrowBatches.of(out, root.getRowCount());
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
    ColumnarBatch view = new ArrowBatchView(batch, schema);
    DataWriteContext ctx = Transaction.getWriteContext(engine, state, Map.of());
    try (CloseableIterator<FilteredColumnarBatch> physical = Transaction.transformLogicalData(
            engine,
            state,
            Utils.singletonCloseableIterator(new FilteredColumnarBatch(view, Optional.empty())),
            Map.of());
        CloseableIterator<DataFileStatus> files = engine
            .getParquetHandler()
            .writeParquetFiles(ctx.getTargetDirectory(), physical, ctx.getStatisticsColumns());
        CloseableIterator<Row> adds =
            Transaction.generateAppendActions(engine, state, files, ctx)) {
      return adds.toInMemoryList();
    } catch (IOException e) {
      throw new UncheckedIOException("writing Parquet for Delta table " + table + " failed", e);
    }
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
    List<Column> stats = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (!(f.getDataType() instanceof StructType)) {
        stats.add(new Column(f.getName()));
      }
    }
    List<Row> actions = new ArrayList<>();
    actions.add(SingleAction.createMetadataSingleAction(
        impl.getMetadata().withNewSchema(schema).toRow()));
    List<String> added = new ArrayList<>();
    String log = root + "/_delta_log/" + String.format("%020d.json", snap.getVersion() + 1);
    try {
      if (batch.getRowCount() > 0) {
        FilteredColumnarBatch data =
            new FilteredColumnarBatch(new ArrowBatchView(batch, schema), Optional.empty());
        try (CloseableIterator<DataFileStatus> files = engine
            .getParquetHandler()
            .writeParquetFiles(root, Utils.singletonCloseableIterator(data), stats)) {
          while (files.hasNext()) {
            AddFile add = AddFile.convertDataFileStatus(
                schema,
                URI.create(root),
                files.next(),
                Map.of(),
                true,
                Map.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
            actions.add(SingleAction.createAddFileSingleAction(add.toRow()));
            added.add(add.getPath());
          }
        }
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
    // The engine itself holds nothing between calls; an S3 client is closed here.
    files.close();
  }

  /** A Kernel batch over an Arrow batch, typed as the table: missing columns read as nulls. */
  private record ArrowBatchView(VectorSchemaRoot root, StructType schema) implements ColumnarBatch {
    @Override
    public StructType getSchema() {
      return schema;
    }

    @Override
    public ColumnVector getColumnVector(int ordinal) {
      StructField f = schema.at(ordinal);
      DataType t = f.getDataType();
      return new ArrowColumnVector(root.getVector(f.getName()), t, 0, root.getRowCount());
    }

    @Override
    public int getSize() {
      return root.getRowCount();
    }
  }
}
