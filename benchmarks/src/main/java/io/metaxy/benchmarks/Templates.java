package io.metaxy.benchmarks;

import io.metaxy.FeatureKey;
import io.metaxy.SystemColumns;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ResolveOptions;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.SystemTables;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import io.metaxy.store.spi.ByFieldLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Builds the DuckDB file a scenario starts from, through the store API in Arrow batches: N root samples
 * per root and, for the stale phase, the leaf's rows at their correct provenance followed by a new audio
 * version for every tenth sample. For the new phase the leaf table exists and is empty. Tables are
 * created in the scenario's by-field layout: the store's default STRUCT, or MAP with
 * {@code enableMapDatatype(true)}; every built template's layout is checked ({@link #checkLayout}). The
 * incremental mode's templates ({@link #prepareIncremental}) hold the roots and the leaf at its correct
 * provenance, and the state of one resolve of the leaf in the store's system table.
 */
final class Templates {
  /** Rows per written batch: bounds the memory of generating 10M samples. */
  static final int CHUNK = 1 << 20;

  private Templates() {}

  /**
   * What building a template wrote of the roots through {@code MetadataStore.write}.
   *
   * @param rows root rows written (0 when a stale template started from the new-phase one)
   * @param seconds wall-clock seconds inside those write calls (generating the batches excluded)
   */
  record Written(long rows, double seconds) {}

  /** A store that could not be built or opened for writing: the benchmark skips it, saying why. */
  static final class CannotOpen extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CannotOpen(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Builds the template of {@code sc} at {@code file} (replacing it). */
  public static Written prepare(Scenario sc, Path file) {
    return prepare(sc, file, null);
  }

  /**
   * Builds the template of {@code sc} at {@code file} (replacing it). A stale-phase template may start
   * from {@code newTemplate}, the new-phase template of the same graph, N, hash and layout: its roots are
   * then copied instead of written again, which halves the setup of large N.
   *
   * @param newTemplate the new-phase template to start from, or null to write everything
   * @throws IllegalArgumentException when {@code newTemplate} is given for a new-phase scenario
   * @throws IllegalStateException when the built file's by-field columns do not have the scenario's layout
   *     (e.g. {@code newTemplate} has the other one: existing tables keep theirs)
   */
  public static Written prepare(Scenario sc, Path file, Path newTemplate) {
    if (newTemplate != null && sc.phase() != Phase.STALE) {
      throw new IllegalArgumentException(
          "only a stale-phase template can start from the new-phase template " + newTemplate);
    }
    delete(file);
    if (newTemplate != null) {
      copy(newTemplate, file);
    }
    Written w;
    try (BufferAllocator a = new RootAllocator();
        DuckDbMetadataStore store = new DuckDbMetadataStore(
            StoreOptions.of(sc.shape().graph())
                .hashAlgorithm(sc.hash())
                .enableMapDatatype(sc.layout() == ByFieldLayout.MAP)
                .allocator(a),
            file.toString())) {
      w = write(store, sc, newTemplate == null, file, a);
    }
    // The store is closed: check what it left on disk, independently of the store.
    checkLayout(file, sc.shape(), sc.layout());
    return w;
  }

  /**
   * Builds the template of {@code sc} on a lakehouse store at {@code template} (replacing it), every
   * table written through the store API. Its layout is not checked on disk: the rounds' counts verify
   * what the store reads back.
   *
   * @param s3Endpoint the S3 server's endpoint, for the S3 stores
   * @throws CannotOpen when the store cannot be built from its configuration or opened for writing
   */
  static Written prepare(Scenario sc, BenchStore kind, Path template, String s3Endpoint) {
    kind.delete(template);
    try (BufferAllocator a = new RootAllocator()) {
      MetadataStore store;
      try {
        Files.createDirectories(template);
        store = BenchStore.open(kind.config(sc, template, s3Endpoint), sc, a);
      } catch (IOException | RuntimeException e) {
        kind.delete(template);
        throw new CannotOpen(kind.label() + " cannot be opened: " + e.getMessage(), e);
      }
      try (store) {
        return write(store, sc, true, template, a);
      }
    }
  }

  /**
   * Writes the scenario's rows through {@code store}: the roots (unless they are there already), then
   * the empty leaf (new phase) or the leaf at its correct provenance followed by the changed audio
   * (stale phase).
   *
   * @throws CannotOpen when the store cannot be opened for writing
   */
  @SuppressWarnings("try") // the scope keeps the store open for writing
  private static Written write(
      MetadataStore store, Scenario sc, boolean writeRoots, Path file, BufferAllocator a) {
    FeatureKey leaf = sc.shape().leaf();
    Written w;
    try (MetadataStore.Scope scope = openForWriting(store)) {
      w = writeRoots ? writeRoots(store, sc.shape(), sc.n(), a) : new Written(0, 0);
      if (sc.phase() == Phase.NEW) {
        try (VectorSchemaRoot empty = leafBatch(sc.shape(), a)) {
          store.write(leaf, empty);
        }
      } else {
        // Full: the paper times the first resolve of a file, so the template records no resolve
        // state.
        writeCurrentLeaf(store, sc.shape(), sc.n(), file, ResolveOptions.DEFAULT.fullResolve());
        for (int from = 0; from < sc.n(); from += CHUNK) {
          int to = (int) Math.min(sc.n(), (long) from + CHUNK);
          try (VectorSchemaRoot b = rootBatch(sc.shape(), Shape.VIDEO, from, to, true, a)) {
            store.write(Shape.VIDEO, b);
          }
        }
      }
    }
    return w;
  }

  /** Opens {@code store} for writing. */
  private static MetadataStore.Scope openForWriting(MetadataStore store) {
    try {
      return store.open(AccessMode.WRITE);
    } catch (RuntimeException e) {
      throw new CannotOpen(store + " cannot be opened for writing: " + e.getMessage(), e);
    }
  }

  /** Writes N samples of every root of {@code shape} (the store is open for writing), timing the writes. */
  private static Written writeRoots(MetadataStore store, Shape shape, int n, BufferAllocator a) {
    long rootRows = 0;
    long rootNanos = 0;
    for (FeatureKey root : shape.roots()) {
      for (int from = 0; from < n; from += CHUNK) {
        int to = (int) Math.min(n, (long) from + CHUNK);
        try (VectorSchemaRoot b = rootBatch(shape, root, from, to, false, a)) {
          long t0 = System.nanoTime();
          store.write(root, b);
          rootNanos += System.nanoTime() - t0;
          rootRows += b.getRowCount();
        }
      }
    }
    return new Written(rootRows, rootNanos / 1e9);
  }

  /**
   * Writes the leaf's rows at their correct provenance (the store is open for writing and the leaf has
   * none yet): its first increment, resolved with {@code opts}, must be N new samples.
   */
  private static void writeCurrentLeaf(
      MetadataStore store, Shape shape, int n, Path file, ResolveOptions opts) {
    FeatureKey leaf = shape.leaf();
    try (Increment inc = store.resolveUpdate(leaf, opts)) {
      VectorSchemaRoot rows = inc.newSamples();
      if (rows.getRowCount() != n || inc.stale().getRowCount() != 0) {
        throw new IllegalStateException("template " + file + ": the leaf's first increment has "
            + rows.getRowCount() + " new rows, expected " + n);
      }
      for (int from = 0; from < rows.getRowCount(); from += CHUNK) {
        int len = Math.min(CHUNK, rows.getRowCount() - from);
        try (VectorSchemaRoot slice = rows.slice(from, len)) {
          store.write(leaf, slice);
        }
      }
    }
  }

  /** The system table in which the store records its resolves' states (DuckDB table name). */
  static final String RESOLVE_STATE_TABLE =
      new FeatureKey(List.of(SystemTables.SYSTEM_PART, "resolve_state")).tableName();

  /**
   * Builds the template of the incremental mode at {@code file} (replacing it): N samples per root of
   * {@code shape} and the leaf's rows at their correct provenance (the stale template before its audio
   * change: every output written), then one {@code resolveUpdate} of the leaf with the default options
   * in the same write scope, which records its state (append cursors, no outstanding sample) in the
   * store's system table. The leaf's rows are computed by a full resolve that records nothing, so the
   * system table holds that one state only.
   *
   * @return the roots' writes
   * @throws IllegalStateException when the last resolve finds work, or the file has no recorded state or
   *     the wrong layout after the store closed
   */
  static Written prepareIncremental(Shape shape, int n, Variant variant, Path file) {
    delete(file);
    Written w;
    try (BufferAllocator a = new RootAllocator();
        DuckDbMetadataStore store = new DuckDbMetadataStore(
            StoreOptions.of(shape.graph())
                .hashAlgorithm(variant.hash())
                .enableMapDatatype(variant.layout() == ByFieldLayout.MAP)
                .allocator(a),
            file.toString());
        MetadataStore.Scope scope = openForWriting(store)) {
      w = writeRoots(store, shape, n, a);
      writeCurrentLeaf(store, shape, n, file, ResolveOptions.DEFAULT.fullResolve());
      try (Increment inc = store.resolveUpdate(shape.leaf())) {
        if (!inc.isEmpty()) {
          throw new IllegalStateException(
              "template " + file + ": with every output written the leaf"
                  + " still has new=" + inc.newCount() + " stale=" + inc.staleCount() + " orphaned="
                  + inc.orphanedCount());
        }
      }
    }
    checkLayout(file, shape, variant.layout());
    long states = count(file, RESOLVE_STATE_TABLE);
    if (states != 1) {
      throw new IllegalStateException("template " + file + " should hold one recorded resolve state"
          + " in " + RESOLVE_STATE_TABLE + ", found " + states);
    }
    return w;
  }

  /** The rows of {@code table} in {@code file} (not open elsewhere), or -1 when it has no such table. */
  static long count(Path file, String table) {
    try (Connection c = BaselineQuery.connect(file);
        PreparedStatement tables = c.prepareStatement(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?")) {
      tables.setString(1, table);
      try (ResultSet rs = tables.executeQuery()) {
        if (!rs.next() || rs.getLong(1) == 0) {
          return -1;
        }
      }
      try (PreparedStatement ps =
              c.prepareStatement("SELECT count(*) FROM \"" + table.replace("\"", "\"\"") + "\"");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot count the rows of " + table + " in " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks that both by-field columns of every table of {@code shape} in {@code file} have
   * {@code layout}: {@code MAP(VARCHAR, VARCHAR)} for MAP, a {@code STRUCT(...)} for STRUCT. Reads
   * {@code information_schema.columns} over its own read-only JDBC connection; the file must not be open
   * elsewhere.
   *
   * @throws IllegalStateException when a table or by-field column is missing or has the other layout
   */
  static void checkLayout(Path file, Shape shape, ByFieldLayout layout) {
    List<FeatureKey> features = new ArrayList<>(shape.roots());
    features.add(shape.leaf());
    List<String> problems = new ArrayList<>();
    try (Connection c = BaselineQuery.connect(file);
        PreparedStatement ps = c.prepareStatement("SELECT data_type FROM information_schema.columns"
            + " WHERE table_name = ? AND column_name = ?")) {
      for (FeatureKey key : features) {
        String table = key.tableName();
        for (String column :
            List.of(SystemColumns.PROVENANCE_BY_FIELD, SystemColumns.DATA_VERSION_BY_FIELD)) {
          ps.setString(1, table);
          ps.setString(2, column);
          try (ResultSet rs = ps.executeQuery()) {
            String type = rs.next() ? rs.getString(1) : null;
            boolean ok = type != null
                && (layout == ByFieldLayout.MAP
                    ? type.replace(" ", "").equalsIgnoreCase("MAP(VARCHAR,VARCHAR)")
                    : type.toUpperCase(Locale.ROOT).startsWith("STRUCT("));
            if (!ok) {
              problems.add(table + "." + column + " is " + (type == null ? "missing" : type));
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the column types of template " + file + ": " + e.getMessage(), e);
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "template " + file + " should have " + layout + " by-field columns ("
              + (layout == ByFieldLayout.MAP
                  ? "MAP(VARCHAR, VARCHAR), enableMapDatatype(true)"
                  : "STRUCT, the store's default")
              + "), but " + String.join("; ", problems));
    }
  }

  /** Copies a template to a fresh round file (replacing it). */
  public static void copy(Path template, Path round) {
    try {
      delete(round);
      Files.copy(template, round, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy template " + template + " to " + round, e);
    }
  }

  /** Deletes a DuckDB file and its write-ahead log, if present. */
  public static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }

  /**
   * Root rows {@code [from, to)}: the id and one provenance string per field. With {@code changedOnly},
   * only the samples that change in the stale phase, with a second version of their audio.
   */
  static VectorSchemaRoot rootBatch(
      Shape shape, FeatureKey root, int from, int to, boolean changedOnly, BufferAllocator a) {
    long[] ids = LongStream.range(from, to)
        .filter(i -> !changedOnly || Scenario.changes(i))
        .toArray();
    return rootBatch(shape, root, ids, changedOnly, a);
  }

  /**
   * Root rows of the samples {@code ids}, in that order: the id and one provenance string per field; with
   * {@code changed}, the second version of {@link Shape#CHANGED_FIELD} (the stale phase's change), else
   * the first version of every field.
   */
  static VectorSchemaRoot rootBatch(
      Shape shape, FeatureKey root, long[] ids, boolean changed, BufferAllocator a) {
    List<String> fields = shape.rootFields(root);
    final int rows = ids.length;
    BigIntVector id = new BigIntVector(Shape.ID, a);
    StructVector pbf = StructVector.empty(SystemColumns.PROVENANCE_BY_FIELD, a);
    List<VarCharVector> children = new ArrayList<>();
    for (String f : fields) {
      children.add(
          pbf.addOrGet(f, FieldType.nullable(ArrowType.Utf8.INSTANCE), VarCharVector.class));
    }
    id.allocateNew(rows);
    pbf.setInitialCapacity(rows);
    pbf.allocateNew();
    long[] seeds = new long[fields.size()];
    int[] versions = new int[fields.size()];
    for (int c = 0; c < fields.size(); c++) {
      seeds[c] = seed(root, fields.get(c));
      versions[c] = changed && fields.get(c).equals(Shape.CHANGED_FIELD) ? 2 : 1;
    }
    for (int r = 0; r < rows; r++) {
      long i = ids[r];
      id.set(r, i);
      pbf.setIndexDefined(r);
      for (int c = 0; c < fields.size(); c++) {
        children.get(c).setSafe(r, value(seeds[c], i, versions[c]));
      }
    }
    List<FieldVector> vectors = List.of(id, pbf);
    for (FieldVector v : vectors) {
      v.setValueCount(rows);
    }
    children.forEach(v -> v.setValueCount(rows));
    VectorSchemaRoot out = new VectorSchemaRoot(vectors);
    out.setRowCount(rows);
    return out;
  }

  /** An empty batch of the leaf (id and provenance by field), which creates its table. */
  private static VectorSchemaRoot leafBatch(Shape shape, BufferAllocator a) {
    BigIntVector id = new BigIntVector(Shape.ID, a);
    StructVector pbf = StructVector.empty(SystemColumns.PROVENANCE_BY_FIELD, a);
    for (String f : shape.leafFields()) {
      pbf.addOrGet(f, FieldType.nullable(ArrowType.Utf8.INSTANCE), VarCharVector.class);
    }
    id.allocateNew(0);
    pbf.allocateNew();
    VectorSchemaRoot out = new VectorSchemaRoot(List.<FieldVector>of(id, pbf));
    out.setRowCount(0);
    return out;
  }

  /** Mixed into every value of one root field, so fields differ. */
  private static long seed(FeatureKey root, String field) {
    return (root.toString() + "." + field).hashCode() * 0xC2B2AE3D27D4EB4FL;
  }

  /**
   * The upstream data version of one field of one sample: 16 hex digits of a mixed 64-bit value, as a
   * content hash would look. Deterministic, so every template of the same N holds the same data.
   */
  private static byte[] value(long seed, long sample, int version) {
    long h = sample * 0x9E3779B97F4A7C15L + seed + version;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    byte[] out = new byte[16];
    for (int k = 15; k >= 0; k--) {
      out[k] = (byte) "0123456789abcdef".charAt((int) (h & 15));
      h >>>= 4;
    }
    return out;
  }
}
