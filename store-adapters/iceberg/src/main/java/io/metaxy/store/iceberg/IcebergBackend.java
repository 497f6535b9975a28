package io.metaxy.store.iceberg;

import io.metaxy.store.MetadataStoreException;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.support.ArrowBatches;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the Iceberg store: a catalog, and the namespace whose tables are the store's.
 * Appends write Parquet data files and commit them with one {@code AppendFiles} per table; scans plan
 * the table's files (the version filter pruning files and row groups), read them in commit order and
 * deduplicate in the JVM; {@link #replace} is one {@code OverwriteFiles} commit.
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
      @Nullable String tableLocationRoot) {
    this.catalog = catalog;
    this.namespace = namespace;
    this.autoCreateNamespace = autoCreateNamespace;
    this.tableLocationRoot = tableLocationRoot;
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

  private Table load(String table) {
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
    // What to read: the returned columns, plus what deduplication and the version filter need.
    Set<String> read = new LinkedHashSet<>();
    List<String> ids = request.dedupIdColumns();
    for (NestedField f : schema.columns()) {
      String n = f.name();
      boolean needed = request.returns(n)
          || (ids != null
              && (ids.contains(n)
                  || n.equals("metaxy_deleted_at")
                  || n.equals("metaxy_updated_at")));
      if (needed) {
        read.add(n);
      }
    }
    String version = request.featureVersion();
    boolean filterVersion = version != null && schema.findField(FEATURE_VERSION) != null;
    if (filterVersion) {
      read.add(FEATURE_VERSION);
    }
    List<NestedField> fields = new ArrayList<>();
    for (NestedField f : schema.columns()) {
      if (read.contains(f.name())) {
        fields.add(f);
      }
    }
    Schema projection = new Schema(fields);
    List<Record> rows = readRows(t, projection, filterVersion ? version : null);
    VectorSchemaRoot root = toArrow(projection, rows, allocator);
    try {
      if (ids != null) {
        root = replaceWith(
            root, ArrowBatches.take(root, ArrowBatches.latestPerId(root, ids), allocator));
      }
      List<String> drop = new ArrayList<>();
      for (FieldVector v : root.getFieldVectors()) {
        if (!request.returns(v.getName())) {
          drop.add(v.getName());
        }
      }
      if (!drop.isEmpty()) {
        root = ArrowBatches.without(root, drop, allocator);
      }
      if (!request.byFieldKeys().isEmpty()) {
        root = replaceWith(root, reshapeByField(root, request.byFieldKeys(), allocator));
      }
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /**
   * The rows of the table's current snapshot, files in commit order (data sequence number) so later
   * appends come later, as deduplication's tie-break needs; only rows of {@code version} when set.
   */
  private List<Record> readRows(Table t, Schema projection, @Nullable String version) {
    if (t.currentSnapshot() == null) {
      return List.of();
    }
    TableScan scan = t.newScan().project(projection);
    if (version != null) {
      scan = scan.filter(Expressions.equal(FEATURE_VERSION, version));
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
    List<Record> out = new ArrayList<>();
    for (FileScanTask task : tasks) {
      if (!task.deletes().isEmpty()) {
        throw new MetadataStoreException("Iceberg table " + t.name()
            + " has delete files (merge-on-read), which this store does not read yet");
      }
      Parquet.ReadBuilder rb = Parquet.read(t.io().newInputFile(task.file().location()))
          .project(projection)
          .split(task.start(), task.length())
          .createReaderFunc(fs -> GenericParquetReaders.buildReader(projection, fs));
      if (version != null) {
        rb = rb.filter(Expressions.equal(FEATURE_VERSION, version));
      }
      try (CloseableIterable<Record> records = rb.build()) {
        for (Record r : records) {
          if (version == null || version.equals(String.valueOf(r.getField(FEATURE_VERSION)))) {
            out.add(r);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static VectorSchemaRoot toArrow(
      Schema schema, List<Record> rows, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (NestedField f : schema.columns()) {
        FieldVector v = IcebergTypes.field(f).createVector(allocator);
        vectors.add(v);
        v.allocateNew();
        for (int r = 0; r < rows.size(); r++) {
          IcebergTypes.setArrow(v, r, rows.get(r).getField(f.name()));
        }
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return ArrowBatches.of(vectors, rows.size());
  }

  private static VectorSchemaRoot replaceWith(VectorSchemaRoot old, VectorSchemaRoot fresh) {
    old.close();
    return fresh;
  }

  /** By-field columns with exactly the requested children (absent keys null), whatever is stored. */
  private static VectorSchemaRoot reshapeByField(
      VectorSchemaRoot root, Map<String, List<String>> keys, BufferAllocator allocator) {
    List<FieldVector> out = new ArrayList<>();
    try {
      for (FieldVector v : root.getFieldVectors()) {
        List<String> k = keys.get(v.getName());
        if (k == null) {
          out.add(ArrowBatches.share(v, allocator));
          continue;
        }
        List<@Nullable Map<String, @Nullable Object>> rows = new ArrayList<>();
        for (int r = 0; r < root.getRowCount(); r++) {
          rows.add(ArrowBatches.byField(v, r));
        }
        out.add(ArrowBatches.byFieldStruct(v.getName(), k, rows, allocator));
      }
    } catch (RuntimeException e) {
      out.forEach(FieldVector::close);
      throw e;
    }
    return ArrowBatches.of(out, root.getRowCount());
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
          files.get(a.table()).add(writeFile(t, a.batch()));
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
      } catch (AlreadyExistsException e) {
        // created by another writer meanwhile
      }
    }
    namespaceChecked = true;
  }

  /** Writes a batch as one Parquet data file of the table's current schema (not yet committed). */
  private static DataFile writeFile(Table t, VectorSchemaRoot batch) {
    Schema schema = t.schema();
    OutputFile out = t.io()
        .newOutputFile(t.locationProvider()
            .newDataLocation(FileFormat.PARQUET.addExtension(UUID.randomUUID().toString())));
    DataWriter<Record> writer;
    try {
      writer = Parquet.writeData(out)
          .schema(schema)
          .setAll(t.properties())
          .createWriterFunc(ms -> GenericParquetWriter.create(schema, ms))
          .overwrite()
          .withSpec(PartitionSpec.unpartitioned())
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<NestedField> columns = new ArrayList<>();
    List<FieldVector> vectors = new ArrayList<>();
    for (NestedField f : schema.columns()) {
      FieldVector v = batch.getVector(f.name());
      if (v != null) {
        columns.add(f);
        vectors.add(v);
      }
    }
    try (writer) {
      GenericRecord template = GenericRecord.create(schema);
      for (int r = 0; r < batch.getRowCount(); r++) {
        GenericRecord rec = template.copy();
        for (int c = 0; c < columns.size(); c++) {
          NestedField f = columns.get(c);
          try {
            rec.setField(f.name(), IcebergTypes.icebergValue(vectors.get(c), r, f.type()));
          } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                "column \"" + f.name() + "\" row " + r + " cannot be stored as Iceberg " + f.type()
                    + " in table " + t.name() + ": " + e,
                e);
          }
        }
        writer.write(rec);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      try {
        t.io().deleteFile(out.location());
      } catch (RuntimeException ignored) {
        // best effort: an uncommitted file is never read
      }
      throw e;
    }
    return writer.toDataFile();
  }

  @Override
  public org.apache.arrow.vector.types.pojo.@Nullable Schema tableSchema(String table) {
    Table t = loadOrNull(table);
    if (t == null) {
      return null;
    }
    List<Field> fields = new ArrayList<>();
    for (NestedField f : t.schema().columns()) {
      Field arrow = IcebergTypes.field(f);
      // Nested columns (by-field structs) are not one fixed Arrow type: the store does not check
      // them.
      fields.add(
          f.type().isPrimitiveType() ? arrow : Field.nullable(f.name(), ArrowType.Null.INSTANCE));
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
