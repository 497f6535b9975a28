package io.metaxy.store;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.cell;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static io.metaxy.store.TestRows.rowOf;
import static io.metaxy.store.TestRows.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.MetaxyException;
import io.metaxy.SystemColumns;
import io.metaxy.filter.FilterEvaluationException;
import io.metaxy.filter.Filters;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.json.Json;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldDep;
import io.metaxy.spec.FieldDeps.Explicit;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.FieldsMapping;
import io.metaxy.spec.Lineage;
import io.metaxy.store.support.ArrowBatches;
import io.metaxy.versioning.HashAlgorithm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType.Timestamp;
import org.apache.arrow.vector.types.pojo.ArrowType.Utf8;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backend-agnostic store scenarios of {@code store-scenarios.md}, run against every store. Test
 * names start with the scenario number. Subclasses provide fresh, empty stores.
 */
public abstract class StoreConformanceSuite {
  protected static final FeatureKey T = FeatureKey.of("test");
  protected static final FeatureKey R = FeatureKey.of("root");
  protected static final FeatureKey D = FeatureKey.of("down");
  protected static final FeatureKey S = FeatureKey.of("soft_delete");
  protected static final FeatureKey UA = FeatureKey.of("upstream/a");
  protected static final FeatureKey UB = FeatureKey.of("upstream/b");

  protected BufferAllocator allocator;
  private final List<MetadataStore> created = new ArrayList<>();

  /** A fresh, empty store with these options. */
  protected abstract MetadataStore newStore(StoreOptions options);

  /** Whether the store computes large increments in id ranges ({@code StoreBackend.integerRange}). */
  protected boolean splitsIncrementsInIdRanges() {
    return false;
  }

  /**
   * Whether a store whose outermost scope is READ is read-only underneath, so that a nested WRITE scope
   * is allowed but its writes fail (DuckDB opens its file read-only; spec store.md §1.3).
   */
  protected boolean readScopeIsReadOnlyUnderneath() {
    return false;
  }

  /** Frees a store's resources after a test. */
  protected void dispose(MetadataStore store) {}

  @BeforeEach
  void setUpAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    for (MetadataStore s : created) {
      s.close();
      dispose(s);
    }
    // Every batch a scenario got from a store was closed: nothing may remain allocated.
    allocator.close();
  }

  protected MetadataStore store(StoreOptions options) {
    MetadataStore s = newStore(options.allocator(allocator));
    created.add(s);
    return s;
  }

  protected MetadataStore store() {
    return store(StoreOptions.of(graph("1")));
  }

  protected static FeatureDefinition def(FeatureSpec spec) {
    return FeatureDefinition.of(spec, "test", Map.of());
  }

  /** The standard graph; {@code downCode} is D.result's code version. */
  protected static FeatureGraph graph(String downCode, FeatureDefinition... extra) {
    List<FeatureDefinition> defs = new ArrayList<>();
    defs.add(def(FeatureSpec.builder("test", "id").build()));
    defs.add(def(FeatureSpec.builder("root", "sample_uid").field("value", "1").build()));
    defs.add(def(FeatureSpec.builder("down", "sample_uid")
        .dep("root")
        .field("result", downCode)
        .build()));
    defs.add(
        def(FeatureSpec.builder("soft_delete", "sample_uid").field("value", "1").build()));
    defs.add(def(FeatureSpec.builder("upstream/a", "sample_uid").build()));
    defs.add(def(FeatureSpec.builder("upstream/b", "sample_uid").build()));
    defs.addAll(List.of(extra));
    return FeatureGraph.of(defs);
  }

  private void write(MetadataStore s, FeatureKey k, List<Map<String, Object>> rows) {
    try (VectorSchemaRoot b = batch(allocator, rows)) {
      s.write(k, b);
    }
  }

  private void write(MetadataStore s, FeatureKey k, Map<String, Object> row) {
    write(s, k, List.of(row));
  }

  private int count(MetadataStore s, FeatureKey k, ReadOptions o) {
    try (VectorSchemaRoot r = s.read(k, o)) {
      return r.getRowCount();
    }
  }

  private List<String> ids(MetadataStore s, FeatureKey k, ReadOptions o, String col) {
    try (VectorSchemaRoot r = s.read(k, o)) {
      return sorted(r, col);
    }
  }

  private static List<Map<String, Object>> rootRows(String... kv) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      rows.add(row(
          "sample_uid",
          Long.valueOf(kv[i]),
          "metaxy_provenance_by_field",
          pbf("value", kv[i + 1])));
    }
    return rows;
  }

  private void writeRootAndDown(MetadataStore s) {
    write(s, R, rootRows("1", "h1", "2", "h2", "3", "h3"));
    try (Increment inc = s.resolveUpdate(D)) {
      s.write(D, inc.newSamples());
    }
  }

  /** The increment's rows as sorted "id|provenance" strings, per part. */
  private static List<List<String>> parts(Increment inc) {
    List<List<String>> out = new ArrayList<>();
    for (VectorSchemaRoot r : List.of(inc.newSamples(), inc.stale(), inc.orphaned())) {
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < r.getRowCount(); i++) {
        rows.add(ArrowBatches.value(r.getVector("sample_uid"), i) + "|"
            + ArrowBatches.value(r.getVector("metaxy_provenance"), i));
      }
      Collections.sort(rows);
      out.add(rows);
    }
    return out;
  }

  /** The rows of the batches as "id|provenance" strings, in batch and row order. */
  private static List<String> rows(List<VectorSchemaRoot> batches) {
    List<String> rows = new ArrayList<>();
    for (VectorSchemaRoot r : batches) {
      for (int i = 0; i < r.getRowCount(); i++) {
        rows.add(ArrowBatches.value(r.getVector("sample_uid"), i) + "|"
            + ArrowBatches.value(r.getVector("metaxy_provenance"), i));
      }
    }
    return rows;
  }

  /**
   * The increment's batch views against its counts, its single batches and its rows to process: the
   * batches hold the rows of the single batch in the same order, and views taken before the single
   * batch was built stay readable.
   */
  private static void assertBatchesAgree(Increment inc, String what) {
    List<List<VectorSchemaRoot>> batches =
        List.of(inc.newBatches(), inc.staleBatches(), inc.orphanedBatches());
    List<Long> counts = List.of(inc.newCount(), inc.staleCount(), inc.orphanedCount());
    List<List<String>> before = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      before.add(rows(batches.get(k)));
      assertEquals((long) before.get(k).size(), counts.get(k), what + ": count of kind " + k);
    }
    List<IncrementRow> todo = inc.toProcess();
    assertEquals(inc.newCount() + inc.staleCount(), todo.size(), what);
    List<VectorSchemaRoot> whole = List.of(inc.newSamples(), inc.stale(), inc.orphaned());
    for (int k = 0; k < 3; k++) {
      assertEquals(
          before.get(k), rows(List.of(whole.get(k))), what + ": single batch of kind " + k);
      assertEquals(
          before.get(k), rows(batches.get(k)), what + ": batches still readable, kind " + k);
    }
    List<String> viewed = new ArrayList<>();
    for (IncrementRow r : todo) {
      viewed.add(r.get("sample_uid") + "|" + r.get("metaxy_provenance"));
    }
    List<String> want = new ArrayList<>(before.get(0));
    want.addAll(before.get(1));
    assertEquals(want, viewed, what + ": rows to process");
  }

  @Test
  void resolveUpdateInIdRangesEqualsTheWholeAnswer() {
    // Stores that can split the id space (DuckDB) compute the increment in ranges when a table
    // exceeds partitionRows; the answer must be the one computed at once: new, stale and orphaned
    // rows, sparse ids, several upstreams, and the progress figure.
    FeatureDefinition both = def(FeatureSpec.builder("both", "sample_uid")
        .dep("upstream/a")
        .dep("upstream/b")
        .field("x", "1")
        .build());
    MetadataStore s = store(StoreOptions.of(graph("1", both)));
    FeatureKey a = FeatureKey.of("upstream/a");
    FeatureKey b = FeatureKey.of("upstream/b");
    FeatureKey ab = FeatureKey.of("both");
    try (var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> rootRows = new ArrayList<>();
      List<Map<String, Object>> aRows = new ArrayList<>();
      List<Map<String, Object>> bRows = new ArrayList<>();
      for (long id = -40; id < 400; id += 1 + (id % 5 == 0 ? 7 : 0)) {
        rootRows.add(row("sample_uid", id, "metaxy_provenance_by_field", pbf("value", "v" + id)));
        aRows.add(row("sample_uid", id, "metaxy_provenance_by_field", pbf("default", "a" + id)));
        if (id % 3 != 0) {
          bRows.add(row("sample_uid", id, "metaxy_provenance_by_field", pbf("default", "b" + id)));
        }
      }
      write(s, R, rootRows);
      write(s, a, aRows);
      write(s, b, bRows);
      for (FeatureKey k : List.of(D, ab)) {
        try (Increment inc = s.resolveUpdate(k)) {
          // Store two thirds of the expected rows: the rest stays new.
          BitSet keep = new BitSet();
          for (int i = 0; i < inc.newSamples().getRowCount(); i++) {
            keep.set(i, i % 3 != 2);
          }
          try (VectorSchemaRoot some = ArrowBatches.filter(inc.newSamples(), keep, allocator)) {
            s.write(k, some);
          }
        }
        // Orphans: stored rows with ids no upstream has (also beyond the upstream range).
        write(
            s,
            k,
            List.of(
                row(
                    "sample_uid",
                    10_000L,
                    "metaxy_provenance_by_field",
                    pbf(k.equals(D) ? "result" : "x", "o1")),
                row(
                    "sample_uid",
                    -1_000L,
                    "metaxy_provenance_by_field",
                    pbf(k.equals(D) ? "result" : "x", "o2"))));
      }
      // New versions of some upstream rows: those samples become stale.
      List<Map<String, Object>> changed = new ArrayList<>();
      List<Map<String, Object>> changedB = new ArrayList<>();
      for (long id = -40; id < 400; id += 13) {
        changed.add(row("sample_uid", id, "metaxy_provenance_by_field", pbf("value", "w" + id)));
        changedB.add(row("sample_uid", id, "metaxy_provenance_by_field", pbf("default", "c" + id)));
      }
      write(s, R, changed);
      write(s, b, changedB);
      List<ResolveProgress> reported = new ArrayList<>();
      s.addProgressListener(reported::add);
      for (FeatureKey k : List.of(D, ab)) {
        for (long size : List.of(7L, 64L, 1_000L)) {
          reported.clear();
          try (Increment whole =
              s.resolveUpdate(k, ResolveOptions.DEFAULT.partitionRows(Long.MAX_VALUE))) {
            assertEquals(List.of(), reported, "a resolve in one piece reports no progress");
            // Forced full: an incremental answer reads only the touched ids, in one piece.
            try (Increment split =
                s.resolveUpdate(k, ResolveOptions.DEFAULT.partitionRows(size).fullResolve())) {
              if (splitsIncrementsInIdRanges() && size == 7) {
                // One batch per id range, not a copy of them all. (The orphans at -1,000 and 10,000
                // stretch the id range: only the smallest size cuts the upstream ids apart.)
                assertTrue(
                    split.newBatches().size() >= 2,
                    k + " in parts of " + size + ": " + split.newBatches().size());
              }
              assertBatchesAgree(split, k + " in parts of " + size);
              assertBatchesAgree(whole, k + " in one piece");
              List<List<String>> want = parts(whole);
              assertFalse(
                  want.get(0).isEmpty() || want.get(1).isEmpty() || want.get(2).isEmpty(),
                  k + ": " + want);
              assertEquals(want, parts(split), k + " in parts of " + size);
              assertEquals(
                  whole.inputProgress(),
                  split.inputProgress(),
                  k + " progress in parts of " + size);
            }
          }
          // One report per id range, in order; a store that does not split reports nothing.
          if (splitsIncrementsInIdRanges() && size < 1_000) {
            assertTrue(reported.size() >= 2, k + " in parts of " + size + ": " + reported);
          }
          for (int i = 0; i < reported.size(); i++) {
            assertEquals(new ResolveProgress(k, i + 1, reported.size()), reported.get(i));
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ A. lifecycle

  @Test
  void s01_readOnClosedStoreFails() {
    MetadataStore s = store();
    StoreNotOpenException e = assertThrows(StoreNotOpenException.class, () -> s.read(T));
    assertTrue(e.getMessage().contains("must be opened before use"));
  }

  @Test
  void s02_writeOnClosedStoreFails() {
    MetadataStore s = store();
    try (VectorSchemaRoot b =
        batch(allocator, row("id", "1", "metaxy_provenance_by_field", pbf("default", "h")))) {
      StoreNotOpenException e = assertThrows(StoreNotOpenException.class, () -> s.write(T, b));
      assertTrue(e.getMessage().contains("must be opened before use"));
    }
  }

  @Test
  void s03_hasFeatureOnClosedStoreFails() {
    assertThrows(StoreNotOpenException.class, () -> store().hasFeature(T));
  }

  @Test
  void s04_writeInReadModeFails() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.READ);
        VectorSchemaRoot b =
            batch(allocator, row("id", "1", "metaxy_provenance_by_field", pbf("default", "h")))) {
      assertTrue(assertThrows(StoreNotOpenException.class, () -> s.write(T, b))
          .getMessage()
          .contains("open in read mode"));
      assertTrue(assertThrows(StoreNotOpenException.class, () -> s.dropFeatureMetadata(T))
          .getMessage()
          .contains("open in read mode"));
      assertTrue(assertThrows(
              StoreNotOpenException.class, () -> s.delete(T, List.of(), DeleteOptions.SOFT))
          .getMessage()
          .contains("open in read mode"));
    }
  }

  @Test
  void s05_nestedOpenUsesModeStack() {
    MetadataStore s = store();
    if (readScopeIsReadOnlyUnderneath()) {
      // The row the nested WRITE scope below cannot write on such a backend.
      try (var w = s.open(AccessMode.WRITE)) {
        write(s, T, row("id", "1", "metaxy_provenance_by_field", pbf("default", "h")));
      }
    }
    try (var outer = s.open(AccessMode.READ)) {
      assertEquals(AccessMode.READ, s.accessMode());
      try (var inner = s.open(AccessMode.WRITE)) {
        assertEquals(2, s.openDepth());
        assertEquals(AccessMode.WRITE, s.accessMode());
        if (readScopeIsReadOnlyUnderneath()) {
          assertThrows(
              StoreUnavailableException.class,
              () -> write(s, T, row("id", "9", "metaxy_provenance_by_field", pbf("default", "h"))));
        } else {
          write(s, T, row("id", "1", "metaxy_provenance_by_field", pbf("default", "h")));
        }
        try (var innermost = s.open(AccessMode.READ)) {
          assertEquals(3, s.openDepth());
          assertEquals(AccessMode.READ, s.accessMode());
        }
        assertEquals(AccessMode.WRITE, s.accessMode());
      }
      assertEquals(AccessMode.READ, s.accessMode());
      assertThrows(
          StoreNotOpenException.class,
          () -> write(s, T, row("id", "2", "metaxy_provenance_by_field", pbf("default", "h"))));
      assertEquals(1, count(s, T, ReadOptions.DEFAULT));
    }
    assertFalse(s.isOpen());
    assertThrows(IllegalStateException.class, () -> {
      try (var a = s.open(AccessMode.WRITE);
          var b = s.open(AccessMode.READ);
          var c = s.open(AccessMode.WRITE)) {
        throw new IllegalStateException("boom");
      }
    });
    assertFalse(s.isOpen());
    assertEquals(0, s.openDepth());
  }

  @Test
  void s06_defaultOpenIsReadAndReopenable() {
    MetadataStore s = store();
    for (int i = 0; i < 3; i++) {
      try (var scope = s.open()) {
        assertEquals(AccessMode.READ, s.accessMode());
      }
      assertFalse(s.isOpen());
    }
  }

  @Test
  void s07_writeMultiEdgeCases() {
    MetadataStore s = store();
    s.writeMulti(Map.of(), null);
    try (VectorSchemaRoot b = batch(allocator, rootRows("1", "h1"))) {
      assertThrows(StoreNotOpenException.class, () -> s.writeMulti(Map.of(R, b), null));
    }
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = batch(allocator, row("sample_uid", 1L, "path", "/a"))) {
      MetadataSchemaException e =
          assertThrows(MetadataSchemaException.class, () -> s.writeMulti(Map.of(R, b), null));
      assertTrue(e.getMessage().contains("metaxy_provenance_by_field"));
    }
  }

  // ------------------------------------------------------------------ B. existence

  @Test
  void s08_hasFeature() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      assertFalse(s.hasFeature(T));
      write(s, T, row("id", "1", "metaxy_provenance_by_field", pbf("default", "asd")));
      assertTrue(s.hasFeature(T));
    }
  }

  @Test
  void s09_unknownFeatureInStore() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      assertThrows(FeatureNotFoundException.class, () -> s.read(R));
    }
  }

  @Test
  void s10_oneTablePerFeature() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, R, rootRows("1", "a", "2", "b"));
      write(
          s,
          UA,
          List.of(
              row("sample_uid", 1L, "metaxy_provenance_by_field", pbf("default", "x")),
              row("sample_uid", 2L, "metaxy_provenance_by_field", pbf("default", "y")),
              row("sample_uid", 3L, "metaxy_provenance_by_field", pbf("default", "z"))));
      assertEquals(2, count(s, R, ReadOptions.DEFAULT));
      assertEquals(3, count(s, UA, ReadOptions.DEFAULT));
    }
    assertEquals("upstream__a", UA.tableName());
    assertEquals("metaxy_system__feature_versions", SystemTables.FEATURE_VERSIONS.tableName());
    assertEquals("a_b__c", FeatureKey.of("a-b/c").tableName());
  }

  // ------------------------------------------------------------------ C. write

  @Test
  void s11_autoFilledSystemColumns() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, R, rootRows("1", "h1", "2", "h2", "3", "h3"));
      try (VectorSchemaRoot r = s.read(R)) {
        assertEquals(3, r.getRowCount());
        for (String c : SystemColumns.ALL) {
          assertNotNull(r.getVector(c), c);
        }
        for (int i = 0; i < 3; i++) {
          assertEquals(s.featureVersion(R), cell(r, "metaxy_feature_version", i));
          assertEquals(s.projectVersion(R), cell(r, "metaxy_project_version", i));
          assertEquals(cell(r, "metaxy_created_at", 0), cell(r, "metaxy_created_at", i));
          assertEquals(cell(r, "metaxy_created_at", i), cell(r, "metaxy_updated_at", i));
          assertNull(cell(r, "metaxy_deleted_at", i));
          assertNull(cell(r, "metaxy_materialization_id", i));
          @SuppressWarnings("unchecked")
          Map<String, Object> p = (Map<String, Object>) cell(r, "metaxy_provenance_by_field", i);
          assertEquals(s.hash((String) p.get("value")), cell(r, "metaxy_provenance", i));
          assertEquals(cell(r, "metaxy_provenance", i), cell(r, "metaxy_data_version", i));
          assertEquals(p, cell(r, "metaxy_data_version_by_field", i));
        }
      }
    }
  }

  @Test
  void s12_missingProvenanceByFieldWritesNothing() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = batch(allocator, row("sample_uid", 1L, "path", "/a"))) {
      MetadataSchemaException e = assertThrows(MetadataSchemaException.class, () -> s.write(R, b));
      assertTrue(e.getMessage().contains("metaxy_provenance_by_field"));
      assertFalse(s.hasFeature(R));
    }
  }

  @Test
  void s12b_missingIdColumnAndWrongTypesAreNamed() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot b =
          batch(allocator, row("other", 1L, "metaxy_provenance_by_field", pbf("value", "x")))) {
        assertTrue(assertThrows(MetadataSchemaException.class, () -> s.write(R, b))
            .getMessage()
            .contains("'sample_uid'"));
      }
      try (VectorSchemaRoot b =
          batch(allocator, row("sample_uid", 1L, "metaxy_provenance_by_field", "not-a-struct"))) {
        assertTrue(assertThrows(MetadataSchemaException.class, () -> s.write(R, b))
            .getMessage()
            .contains("Struct or Map"));
      }
      try (VectorSchemaRoot b = batch(
          allocator,
          row(
              "sample_uid",
              1L,
              "metaxy_provenance_by_field",
              pbf("value", "x"),
              "metaxy_created_at",
              "yesterday"))) {
        assertTrue(assertThrows(MetadataSchemaException.class, () -> s.write(R, b))
            .getMessage()
            .contains("'metaxy_created_at'"));
      }
      try (VectorSchemaRoot b = batch(
          allocator, row("sample_uid", 1L, "metaxy_provenance_by_field", pbf("other", "x")))) {
        MetadataSchemaException e =
            assertThrows(MetadataSchemaException.class, () -> s.write(R, b));
        assertTrue(e.getMessage().contains("value"), e.getMessage());
      }
      assertFalse(s.hasFeature(R));
    }
  }

  @Test
  void s12c_noAutoCreateMeansTableNotFound() {
    MetadataStore s = store(StoreOptions.of(graph("1")).autoCreateTables(false));
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot b = batch(allocator, rootRows("1", "h1"))) {
      TableNotFoundException e = assertThrows(TableNotFoundException.class, () -> s.write(R, b));
      assertTrue(e.getMessage().contains("root"), e.getMessage());
      assertFalse(s.hasFeature(R));
      new SystemTables(s).pushGraphSnapshot(null, Map.of());
      assertTrue(s.hasFeature(SystemTables.FEATURE_VERSIONS));
    }
  }

  @Test
  void s13_materializationIdPrecedence() {
    MetadataStore s = store(StoreOptions.of(graph("1")).materializationId("default-run-123"));
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, T, row("id", "1", "metaxy_provenance_by_field", pbf("default", "h")));
      try (VectorSchemaRoot b =
          batch(allocator, row("id", "2", "metaxy_provenance_by_field", pbf("default", "h")))) {
        s.write(T, b, new WriteOptions("override-run-456", false));
      }
      try (VectorSchemaRoot r = s.read(T)) {
        assertEquals("default-run-123", cell(r, "metaxy_materialization_id", rowOf(r, "id", "1")));
        assertEquals("override-run-456", cell(r, "metaxy_materialization_id", rowOf(r, "id", "2")));
      }
    }
  }

  @Test
  void s14_filterByMaterializationId() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      String[][] w = {{"1", "run-1"}, {"2", "run-2"}, {"3", "run-1"}};
      for (String[] x : w) {
        try (VectorSchemaRoot b =
            batch(allocator, row("id", x[0], "metaxy_provenance_by_field", pbf("default", "h")))) {
          s.write(T, b, new WriteOptions(x[1], false));
        }
      }
      assertEquals(
          List.of("1", "3"),
          ids(
              s,
              T,
              ReadOptions.DEFAULT.filters(RowFilter.eq("metaxy_materialization_id", "run-1")),
              "id"));
      assertEquals(
          List.of("2"),
          ids(
              s,
              T,
              ReadOptions.DEFAULT.filters(RowFilter.eq("metaxy_materialization_id", "run-2")),
              "id"));
    }
  }

  @Test
  void s15_updatedAtOverwrittenCreatedAtKept() {
    MetadataStore s = store();
    Instant old = Instant.parse("2020-01-01T12:00:00Z");
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s,
          T,
          row(
              "id",
              "1",
              "metaxy_provenance_by_field",
              pbf("default", "h"),
              "metaxy_updated_at",
              old,
              "metaxy_created_at",
              old));
      try (VectorSchemaRoot r = s.read(T, ReadOptions.DEFAULT.sampleHistory())) {
        Instant updated = (Instant) cell(r, "metaxy_updated_at", 0);
        assertTrue(updated.isAfter(Instant.now().minus(Duration.ofSeconds(60))));
        assertEquals(old, cell(r, "metaxy_created_at", 0));
      }
    }
  }

  @Test
  void s16_versionsStampedUnlessPreserved() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s,
          T,
          row(
              "id",
              "1",
              "metaxy_provenance_by_field",
              pbf("default", "h"),
              "metaxy_feature_version",
              "old",
              "metaxy_project_version",
              "oldp"));
      try (VectorSchemaRoot r = s.read(T)) {
        assertEquals(s.featureVersion(T), cell(r, "metaxy_feature_version", 0));
      }
      try (VectorSchemaRoot b = batch(
          allocator,
          row(
              "id",
              "2",
              "metaxy_provenance_by_field",
              pbf("default", "h"),
              "metaxy_feature_version",
              "old",
              "metaxy_project_version",
              "oldp"))) {
        s.write(T, b, new WriteOptions(null, true));
      }
      assertEquals(List.of("1"), ids(s, T, ReadOptions.DEFAULT, "id"));
      try (VectorSchemaRoot r =
          s.read(T, ReadOptions.DEFAULT.featureHistory().featureVersion("old"))) {
        assertEquals(1, r.getRowCount());
        assertEquals("oldp", cell(r, "metaxy_project_version", 0));
      }
    }
  }

  @Test
  void s17_partialDataVersionOverride() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, R, rootRows("1", "h1", "2", "h2", "3", "h3"));
      try (Increment inc = s.resolveUpdate(D)) {
        VectorSchemaRoot n = inc.newSamples();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n.getRowCount(); i++) {
          long id = (Long) cell(n, "sample_uid", i);
          rows.add(row(
              "sample_uid",
              id,
              "metaxy_provenance_by_field",
              cell(n, "metaxy_provenance_by_field", i),
              "metaxy_data_version_by_field",
              id == 1 ? pbf("result", "custom_hash") : null));
        }
        write(s, D, rows);
      }
      try (VectorSchemaRoot r = s.read(D)) {
        int one = rowOf(r, "sample_uid", 1);
        assertEquals(Map.of("result", "custom_hash"), cell(r, "metaxy_data_version_by_field", one));
        assertEquals(s.hash("custom_hash"), cell(r, "metaxy_data_version", one));
        for (long id : new long[] {2, 3}) {
          int i = rowOf(r, "sample_uid", id);
          assertEquals(
              cell(r, "metaxy_provenance_by_field", i), cell(r, "metaxy_data_version_by_field", i));
          assertEquals(cell(r, "metaxy_provenance", i), cell(r, "metaxy_data_version", i));
        }
      }
    }
  }

  @Test
  void s20_appendSemantics() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, R, rootRows("1", "a", "2", "b"));
      write(s, R, rootRows("3", "c", "4", "d"));
      assertEquals(List.of("1", "2", "3", "4"), ids(s, R, ReadOptions.DEFAULT, "sample_uid"));
    }
  }

  // ------------------------------------------------------------------ D. read

  @Test
  void s21_latestWriteWins() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      for (int i = 1; i <= 5; i++) {
        write(
            s,
            T,
            row(
                "id",
                "row1",
                "value",
                (long) i * 10,
                "metaxy_provenance_by_field",
                pbf("default", "hash_v" + i)));
      }
      try (VectorSchemaRoot r = s.read(T)) {
        assertEquals(1, r.getRowCount());
        assertEquals(50L, cell(r, "value", 0));
      }
      assertEquals(5, count(s, T, ReadOptions.DEFAULT.sampleHistory()));
    }
  }

  @Test
  void s22_eachIdDeduplicatedIndependently() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      for (long v = 1; v <= 3; v++) {
        write(
            s,
            T,
            List.of(
                row(
                    "id",
                    "a",
                    "value",
                    10 * v,
                    "metaxy_provenance_by_field",
                    pbf("default", "a" + v)),
                row(
                    "id",
                    "b",
                    "value",
                    100 * v,
                    "metaxy_provenance_by_field",
                    pbf("default", "b" + v)),
                row(
                    "id",
                    "c",
                    "value",
                    1000 * v,
                    "metaxy_provenance_by_field",
                    pbf("default", "c" + v))));
      }
      try (VectorSchemaRoot r = s.read(T)) {
        assertEquals(30L, cell(r, "value", rowOf(r, "id", "a")));
        assertEquals(300L, cell(r, "value", rowOf(r, "id", "b")));
        assertEquals(3000L, cell(r, "value", rowOf(r, "id", "c")));
      }
      assertEquals(9, count(s, T, ReadOptions.DEFAULT.sampleHistory()));
    }
  }

  @Test
  void s23_orderingKeyIsUpdatedAtNotInsertionOrder() {
    MetadataStore s = store();
    Instant base = Instant.parse("2024-01-01T00:00:00Z");
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s, T, row("id", "other", "value", 0L, "metaxy_provenance_by_field", pbf("default", "h")));
      // Raw appends: system columns are supplied, so only updated_at differs between the rows.
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Instant u = i == 42 ? base.plus(Duration.ofDays(365)) : base.plusSeconds(i);
        rows.add(row(
            "id",
            "same_id",
            "value",
            (long) i,
            "metaxy_provenance_by_field",
            pbf("default", "h" + i),
            "metaxy_updated_at",
            u));
      }
      Collections.shuffle(rows, new Random(7));
      try (VectorSchemaRoot b = batch(allocator, rows);
          VectorSchemaRoot full = rawRows(s, T, b)) {
        appendRaw(s, T, full);
      }
      try (VectorSchemaRoot r =
          s.read(T, ReadOptions.DEFAULT.filters(RowFilter.eq("id", "same_id")))) {
        assertEquals(1, r.getRowCount());
        assertEquals(42L, cell(r, "value", 0));
        assertEquals(base.plus(Duration.ofDays(365)), cell(r, "metaxy_updated_at", 0));
      }
    }
  }

  @Test
  void s23b_dedupTiesGoToTheLaterAppend() {
    MetadataStore s = store();
    Instant same = Instant.parse("2024-01-01T00:00:00Z");
    try (var scope = s.open(AccessMode.WRITE)) {
      for (long v = 1; v <= 3; v++) {
        try (VectorSchemaRoot b = batch(
                allocator,
                row(
                    "id",
                    "x",
                    "value",
                    v,
                    "metaxy_provenance_by_field",
                    pbf("default", "h"),
                    "metaxy_updated_at",
                    same));
            VectorSchemaRoot full = rawRows(s, T, b)) {
          appendRaw(s, T, full);
        }
      }
      try (VectorSchemaRoot r = s.read(T)) {
        assertEquals(1, r.getRowCount());
        assertEquals(3L, cell(r, "value", 0));
      }
    }
  }

  /** The batch a normal write would append, but keeping the given updated_at values. */
  private VectorSchemaRoot rawRows(MetadataStore s, FeatureKey k, VectorSchemaRoot b) {
    return s.stamping().withSystemColumns(k, b, WriteOptions.DEFAULT, 0L, null, true);
  }

  /** Appends a complete batch bypassing system-column filling (a "raw" backend append). */
  private static void appendRaw(MetadataStore s, FeatureKey k, VectorSchemaRoot full) {
    s.onBackend(AccessMode.WRITE, b -> {
      b.append(k.tableName(), full);
      return null;
    });
  }

  @Test
  void s24_userFiltersApplyAfterDedup() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> first = new ArrayList<>();
      for (String id : List.of("a", "b", "c", "d", "e")) {
        first.add(row("id", id, "status", null, "metaxy_provenance_by_field", pbf("default", id)));
      }
      write(s, T, first);
      write(
          s,
          T,
          List.of(
              row("id", "a", "status", "100", "metaxy_provenance_by_field", pbf("default", "a2")),
              row("id", "b", "status", "200", "metaxy_provenance_by_field", pbf("default", "b2")),
              row("id", "c", "status", "300", "metaxy_provenance_by_field", pbf("default", "c2"))));
      assertEquals(
          List.of("d", "e"),
          ids(s, T, ReadOptions.DEFAULT.filters(RowFilter.isNull("status")), "id"));
      assertEquals(
          List.of("a", "b", "c"),
          ids(s, T, ReadOptions.DEFAULT.filters(RowFilter.isNotNull("status")), "id"));
      assertEquals(5, count(s, T, ReadOptions.DEFAULT));
    }
  }

  @Test
  void s26_columnProjection() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s,
          R,
          List.of(
              row(
                  "sample_uid",
                  1L,
                  "height",
                  480L,
                  "metaxy_provenance_by_field",
                  pbf("value", "a")),
              row(
                  "sample_uid",
                  2L,
                  "height",
                  null,
                  "metaxy_provenance_by_field",
                  pbf("value", "b")),
              row(
                  "sample_uid",
                  3L,
                  "height",
                  1080L,
                  "metaxy_provenance_by_field",
                  pbf("value", "c"))));
      try (VectorSchemaRoot r =
          s.read(R, ReadOptions.DEFAULT.columns("sample_uid", "metaxy_provenance_by_field"))) {
        assertEquals(List.of("sample_uid", "metaxy_provenance_by_field"), ArrowBatches.names(r));
      }
      try (VectorSchemaRoot r = s.read(
          R, ReadOptions.DEFAULT.columns("sample_uid").filters(RowFilter.isNull("height")))) {
        assertEquals(List.of("sample_uid"), ArrowBatches.names(r));
        assertEquals(List.of("2"), sorted(r, "sample_uid"));
      }
      // A JVM-only filter may look at columns the projection leaves out.
      RowFilter tall = batch -> {
        BitSet b = new BitSet();
        FieldVector h = ArrowBatches.column(batch, "height", "test batch");
        for (int i = 0; i < batch.getRowCount(); i++) {
          Object v = ArrowBatches.value(h, i);
          if (v != null && ((Number) v).longValue() > 500) {
            b.set(i);
          }
        }
        return b;
      };
      try (VectorSchemaRoot r =
          s.read(R, ReadOptions.DEFAULT.columns("sample_uid").filters(tall))) {
        assertEquals(List.of("sample_uid"), ArrowBatches.names(r));
        assertEquals(List.of("3"), sorted(r, "sample_uid"));
      }
      // A projected read still returns the latest row per sample.
      write(
          s,
          R,
          List.of(row(
              "sample_uid",
              1L,
              "height",
              2000L,
              "metaxy_provenance_by_field",
              pbf("value", "a2"))));
      try (VectorSchemaRoot r = s.read(R, ReadOptions.DEFAULT.columns("height"))) {
        assertEquals(List.of("height"), ArrowBatches.names(r));
        assertEquals(List.of("1080", "2000", "null"), sorted(r, "height"));
      }
    }
  }

  @Test
  void s27_defaultReadIsCurrentVersionOnly() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeRootAndDown(s);
      String v1 = s.featureVersion(D);
      s.useGraph(graph("2"));
      assertNotEquals(v1, s.featureVersion(D));
      assertEquals(0, count(s, D, ReadOptions.DEFAULT));
      assertEquals(3, count(s, D, ReadOptions.DEFAULT.featureHistory()));
      assertEquals(3, count(s, D, ReadOptions.DEFAULT.featureHistory().featureVersion(v1)));
      assertThrows(
          IllegalArgumentException.class, () -> s.read(D, ReadOptions.DEFAULT.featureVersion(v1)));
    }
  }

  @Test
  void s28_featureHistoryDedupsAcrossVersions() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, R, rootRows("1", "h1"));
      try (Increment inc = s.resolveUpdate(D)) {
        s.write(D, inc.newSamples());
      }
      s.useGraph(graph("2"));
      try (Increment inc = s.resolveUpdate(D)) {
        assertEquals(1, inc.newSamples().getRowCount());
        s.write(D, inc.newSamples());
      }
      try (VectorSchemaRoot r = s.read(D, ReadOptions.DEFAULT.featureHistory())) {
        assertEquals(1, r.getRowCount());
        assertEquals(s.featureVersion(D), cell(r, "metaxy_feature_version", 0));
      }
      assertEquals(2, count(s, D, ReadOptions.DEFAULT.featureHistory().sampleHistory()));
    }
  }

  // ------------------------------------------------------------------ E. deletion

  private void writeSoftBase(MetadataStore s) {
    Instant c = Instant.parse("2024-01-01T00:00:00Z");
    write(
        s,
        S,
        List.of(
            row(
                "sample_uid",
                "a",
                "value",
                1L,
                "metaxy_provenance_by_field",
                pbf("value", "p1"),
                "metaxy_created_at",
                c),
            row(
                "sample_uid",
                "b",
                "value",
                2L,
                "metaxy_provenance_by_field",
                pbf("value", "p2"),
                "metaxy_created_at",
                c)));
  }

  @Test
  void s30_softDeleteHidesRows() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeSoftBase(s);
      s.delete(S, List.of(RowFilter.eq("sample_uid", "a")), DeleteOptions.SOFT);
      try (VectorSchemaRoot r = s.read(S)) {
        assertEquals(List.of("b"), sorted(r, "sample_uid"));
        assertNull(cell(r, "metaxy_deleted_at", 0));
      }
      try (VectorSchemaRoot r = s.read(S, ReadOptions.DEFAULT.softDeleted())) {
        assertEquals(List.of("a", "b"), sorted(r, "sample_uid"));
        assertNotNull(cell(r, "metaxy_deleted_at", rowOf(r, "sample_uid", "a")));
        assertNull(cell(r, "metaxy_deleted_at", rowOf(r, "sample_uid", "b")));
      }
    }
  }

  @Test
  void s31_softDeleteTimestamps() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s,
          S,
          row("sample_uid", "a", "value", 1L, "metaxy_provenance_by_field", pbf("value", "p1")));
      Instant c;
      Instant u;
      try (VectorSchemaRoot r = s.read(S)) {
        c = (Instant) cell(r, "metaxy_created_at", 0);
        u = (Instant) cell(r, "metaxy_updated_at", 0);
      }
      s.delete(S, List.of(), DeleteOptions.SOFT);
      try (VectorSchemaRoot r = s.read(S, ReadOptions.DEFAULT.softDeleted())) {
        assertEquals(1, r.getRowCount());
        assertEquals(u, cell(r, "metaxy_updated_at", 0));
        assertEquals(c, cell(r, "metaxy_created_at", 0));
        assertTrue(((Instant) cell(r, "metaxy_deleted_at", 0)).isAfter(u));
      }
      try (VectorSchemaRoot r = s.read(S, ReadOptions.DEFAULT.softDeleted().sampleHistory())) {
        assertEquals(2, r.getRowCount());
        assertEquals(
            1,
            TestRows.values(r, "metaxy_deleted_at").stream()
                .filter(x -> x != null)
                .count());
      }
    }
  }

  @Test
  void s32_writeDeleteWriteDelete() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s,
          S,
          row("sample_uid", "y", "value", 100L, "metaxy_provenance_by_field", pbf("value", "p")));
      s.delete(S, List.of(RowFilter.eq("sample_uid", "y")), DeleteOptions.SOFT);
      write(
          s,
          S,
          row("sample_uid", "y", "value", 200L, "metaxy_provenance_by_field", pbf("value", "p")));
      s.delete(S, List.of(RowFilter.eq("sample_uid", "y")), DeleteOptions.SOFT);
      assertEquals(0, count(s, S, ReadOptions.DEFAULT));
      try (VectorSchemaRoot r = s.read(S, ReadOptions.DEFAULT.softDeleted())) {
        assertEquals(1, r.getRowCount());
        assertEquals(200L, cell(r, "value", 0));
        assertNotNull(cell(r, "metaxy_deleted_at", 0));
      }
    }
  }

  @Test
  void s33_softDeleteThenRewriteRestores() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s,
          S,
          row("sample_uid", "a", "value", 1L, "metaxy_provenance_by_field", pbf("value", "p")));
      s.delete(S, List.of(RowFilter.eq("sample_uid", "a")), DeleteOptions.SOFT);
      assertEquals(0, count(s, S, ReadOptions.DEFAULT));
      write(
          s,
          S,
          row("sample_uid", "a", "value", 2L, "metaxy_provenance_by_field", pbf("value", "p")));
      try (VectorSchemaRoot r = s.read(S)) {
        assertEquals(1, r.getRowCount());
        assertEquals(2L, cell(r, "value", 0));
      }
      try (VectorSchemaRoot r = s.read(S, ReadOptions.DEFAULT.softDeleted().sampleHistory())) {
        boolean deletedOne = false;
        boolean liveTwo = false;
        for (int i = 0; i < r.getRowCount(); i++) {
          deletedOne |= Long.valueOf(1).equals(cell(r, "value", i))
              && cell(r, "metaxy_deleted_at", i) != null;
          liveTwo |= Long.valueOf(2).equals(cell(r, "value", i))
              && cell(r, "metaxy_deleted_at", i) == null;
        }
        assertTrue(deletedOne && liveTwo);
      }
    }
  }

  @Test
  void s34_softDeletingHistoricalRowHidesSample() {
    MetadataStore s = store();
    Instant base = Instant.parse("2024-01-01T00:00:00Z");
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s,
          S,
          row(
              "sample_uid",
              "a",
              "value",
              1L,
              "metaxy_provenance_by_field",
              pbf("value", "p"),
              "metaxy_created_at",
              base));
      write(
          s,
          S,
          row(
              "sample_uid",
              "a",
              "value",
              2L,
              "metaxy_provenance_by_field",
              pbf("value", "p"),
              "metaxy_created_at",
              base.plusSeconds(300)));
      s.delete(
          S,
          List.of(RowFilter.eq("metaxy_created_at", base)),
          DeleteOptions.SOFT.featureHistory().sampleHistory());
      assertEquals(0, count(s, S, ReadOptions.DEFAULT));
      try (VectorSchemaRoot r = s.read(S, ReadOptions.DEFAULT.softDeleted().sampleHistory())) {
        boolean deletedOne = false;
        boolean liveTwo = false;
        for (int i = 0; i < r.getRowCount(); i++) {
          deletedOne |= Long.valueOf(1).equals(cell(r, "value", i))
              && cell(r, "metaxy_deleted_at", i) != null;
          liveTwo |= Long.valueOf(2).equals(cell(r, "value", i))
              && cell(r, "metaxy_deleted_at", i) == null;
        }
        assertTrue(deletedOne && liveTwo);
      }
    }
  }

  @Test
  void s35_manualOldTombstoneDoesNotDelete() {
    MetadataStore s = store();
    Instant base = Instant.now();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s,
          S,
          row("sample_uid", "x", "value", 100L, "metaxy_provenance_by_field", pbf("value", "p")));
      write(
          s,
          S,
          row(
              "sample_uid",
              "x",
              "value",
              100L,
              "metaxy_provenance_by_field",
              pbf("value", "p"),
              "metaxy_deleted_at",
              Instant.parse("2024-01-01T00:00:01Z"),
              "metaxy_created_at",
              base.plusSeconds(1)));
      write(
          s,
          S,
          row("sample_uid", "x", "value", 200L, "metaxy_provenance_by_field", pbf("value", "p")));
      for (ReadOptions o : List.of(ReadOptions.DEFAULT, ReadOptions.DEFAULT.softDeleted())) {
        try (VectorSchemaRoot r = s.read(S, o)) {
          assertEquals(1, r.getRowCount());
          assertEquals(200L, cell(r, "value", 0));
          assertNull(cell(r, "metaxy_deleted_at", 0));
        }
      }
    }
  }

  @Test
  void s36_deleteEverything() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        rows.add(row("id", String.valueOf(i), "metaxy_provenance_by_field", pbf("default", "h")));
      }
      write(s, T, rows);
      s.delete(T, List.of(), DeleteOptions.SOFT);
      assertEquals(0, count(s, T, ReadOptions.DEFAULT));
      assertEquals(10, count(s, T, ReadOptions.DEFAULT.softDeleted()));
      s.delete(T, List.of(), DeleteOptions.HARD);
      assertEquals(0, count(s, T, ReadOptions.DEFAULT));
      assertEquals(0, count(s, T, ReadOptions.DEFAULT.softDeleted().sampleHistory()));
    }
  }

  private void writeUsers(MetadataStore s) {
    write(
        s,
        T,
        List.of(
            row("id", "u1", "status", "active", "metaxy_provenance_by_field", pbf("default", "1")),
            row("id", "u2", "status", "active", "metaxy_provenance_by_field", pbf("default", "2")),
            row(
                "id",
                "u3",
                "status",
                "inactive",
                "metaxy_provenance_by_field",
                pbf("default", "3"))));
  }

  @Test
  void s37_hardDelete() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeUsers(s);
      s.delete(T, List.of(RowFilter.eq("status", "inactive")), DeleteOptions.HARD.featureHistory());
    }
    try (var scope = s.open(AccessMode.READ)) {
      assertEquals(List.of("u1", "u2"), ids(s, T, ReadOptions.DEFAULT, "id"));
      assertEquals(List.of("u1", "u2"), ids(s, T, ReadOptions.DEFAULT.softDeleted(), "id"));
    }
  }

  @Test
  void s38_softDeleteByDefault() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeUsers(s);
      s.delete(T, List.of(RowFilter.eq("status", "inactive")), DeleteOptions.SOFT.featureHistory());
      assertEquals(List.of("u1", "u2"), ids(s, T, ReadOptions.DEFAULT, "id"));
      assertEquals(List.of("u1", "u2", "u3"), ids(s, T, ReadOptions.DEFAULT.softDeleted(), "id"));
    }
  }

  @Test
  void s39_hardDeleteOfHistoricalRowKeepsLatest() {
    MetadataStore s = store();
    Instant base = Instant.parse("2024-01-01T00:00:00Z");
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s,
          S,
          row(
              "sample_uid",
              "a",
              "value",
              1L,
              "metaxy_provenance_by_field",
              pbf("value", "p"),
              "metaxy_created_at",
              base));
      write(
          s,
          S,
          row(
              "sample_uid",
              "a",
              "value",
              2L,
              "metaxy_provenance_by_field",
              pbf("value", "p"),
              "metaxy_created_at",
              base.plusSeconds(300)));
      s.delete(
          S,
          List.of(RowFilter.eq("metaxy_created_at", base)),
          DeleteOptions.HARD.featureHistory().sampleHistory());
      try (VectorSchemaRoot r = s.read(S)) {
        assertEquals(1, r.getRowCount());
        assertEquals(2L, cell(r, "value", 0));
        assertNull(cell(r, "metaxy_deleted_at", 0));
      }
    }
  }

  @Test
  void s40_hardDeleteThenRewrite() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s,
          S,
          row("sample_uid", "a", "value", 1L, "metaxy_provenance_by_field", pbf("value", "p")));
      s.delete(S, List.of(RowFilter.eq("sample_uid", "a")), DeleteOptions.HARD);
      assertEquals(0, count(s, S, ReadOptions.DEFAULT));
      write(
          s,
          S,
          row("sample_uid", "a", "value", 2L, "metaxy_provenance_by_field", pbf("value", "p")));
      try (VectorSchemaRoot r = s.read(S)) {
        assertEquals(1, r.getRowCount());
        assertEquals(2L, cell(r, "value", 0));
      }
    }
  }

  @Test
  void s41_hardDeleteByTimestamp() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int d = 1; d <= 10; d++) {
        rows.add(row(
            "id",
            "r" + d,
            "ts_tz",
            Instant.parse(String.format("2024-01-%02dT00:00:00Z", d)),
            "metaxy_provenance_by_field",
            pbf("default", "h")));
      }
      write(s, T, rows);
      s.delete(
          T,
          List.of(RowFilter.gt("ts_tz", Instant.parse("2024-01-05T00:00:00Z"))),
          DeleteOptions.HARD);
      assertEquals(5, count(s, T, ReadOptions.DEFAULT));
    }
  }

  @Test
  void s42_deleteAcceptsPredicateShapes() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        rows.add(row(
            "id",
            "r" + i,
            "value",
            (long) i,
            "price",
            i * 1.5,
            "status",
            i % 2 == 0 ? "active" : "pending",
            "metaxy_provenance_by_field",
            pbf("default", "h")));
      }
      write(s, T, rows);
      s.delete(
          T,
          List.of(RowFilter.gt("price", 5), RowFilter.eq("status", "active")),
          DeleteOptions.SOFT);
      s.delete(
          T,
          List.of(
              RowFilter.in("status", List.of("active", "pending")),
              RowFilter.ge("value", 5L),
              RowFilter.lt("value", 8L)),
          DeleteOptions.HARD);
      s.delete(
          T,
          List.of(RowFilter.or(List.of(RowFilter.lt("value", 2L), RowFilter.gt("value", 8L)))),
          DeleteOptions.HARD);
      // Visible: r2, r3 (r4, r6, r8 soft-deleted by the first delete; r0, r1, r5-r7, r9 removed by
      // the hard ones).
      assertEquals(List.of("r2", "r3"), ids(s, T, ReadOptions.DEFAULT, "id"));
    }
  }

  @Test
  void s43_softDeleteOfFallbackData() {
    MetadataStore prod = store(StoreOptions.of(graph("1")).name("prod"));
    MetadataStore dev = store(StoreOptions.of(graph("1")).name("dev").fallbackStores(prod));
    writeUpstreamA(prod);
    try (var scope = dev.open(AccessMode.WRITE)) {
      dev.delete(UA, List.of(RowFilter.eq("sample_uid", 1L)), DeleteOptions.SOFT);
      try (VectorSchemaRoot r = dev.read(UA, ReadOptions.DEFAULT.softDeleted().noFallback())) {
        assertEquals(List.of("1"), sorted(r, "sample_uid"));
        assertNotNull(cell(r, "metaxy_deleted_at", 0));
      }
      assertEquals(0, count(dev, UA, ReadOptions.DEFAULT.filters(RowFilter.eq("sample_uid", 1L))));
      assertEquals(0, count(dev, UA, ReadOptions.DEFAULT));
    }
  }

  // ------------------------------------------------------------------ F. resolve_update

  @Test
  void s44_rootFeatureNeedsSamples() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.READ)) {
      assertTrue(assertThrows(IllegalArgumentException.class, () -> s.resolveUpdate(R))
          .getMessage()
          .contains("root feature"));
    }
  }

  @Test
  void s45_rootFeatureFirstRun() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.READ);
        VectorSchemaRoot samples = batch(allocator, rootRows("1", "h1", "2", "h2", "3", "h3"));
        Increment inc = s.resolveUpdate(R, ResolveOptions.DEFAULT.samples(samples))) {
      VectorSchemaRoot n = inc.newSamples();
      assertEquals(List.of("1", "2", "3"), sorted(n, "sample_uid"));
      assertEquals(0, inc.stale().getRowCount());
      assertEquals(0, inc.orphaned().getRowCount());
      int two = rowOf(n, "sample_uid", 2);
      assertEquals(Map.of("value", "h2"), cell(n, "metaxy_provenance_by_field", two));
      assertEquals(s.hash("h2"), cell(n, "metaxy_provenance", two));
      assertEquals(cell(n, "metaxy_provenance", two), cell(n, "metaxy_data_version", two));
      assertEquals(
          cell(n, "metaxy_provenance_by_field", two), cell(n, "metaxy_data_version_by_field", two));
    }
  }

  @Test
  void s46_rootFeatureIncrement() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot samples = batch(allocator, rootRows("1", "h1", "2", "h2", "3", "h3"));
          Increment inc = s.resolveUpdate(R, ResolveOptions.DEFAULT.samples(samples))) {
        s.write(R, inc.newSamples());
      }
      try (VectorSchemaRoot samples =
              batch(allocator, rootRows("1", "h1", "2", "h2_updated", "4", "h4"));
          Increment inc = s.resolveUpdate(R, ResolveOptions.DEFAULT.samples(samples))) {
        assertEquals(List.of("4"), sorted(inc.newSamples(), "sample_uid"));
        assertEquals(List.of("2"), sorted(inc.stale(), "sample_uid"));
        assertEquals(List.of("3"), sorted(inc.orphaned(), "sample_uid"));
      }
    }
  }

  @Test
  void s47_rootCustomDataVersionPreserved() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.READ);
        VectorSchemaRoot samples = batch(
            allocator,
            row(
                "sample_uid",
                1L,
                "metaxy_provenance_by_field",
                pbf("value", "h1"),
                "metaxy_data_version_by_field",
                pbf("value", "custom_v1"),
                "metaxy_data_version",
                "custom_v1"));
        Increment inc = s.resolveUpdate(R, ResolveOptions.DEFAULT.samples(samples))) {
      VectorSchemaRoot n = inc.newSamples();
      assertEquals("custom_v1", cell(n, "metaxy_data_version", 0));
      assertEquals(Map.of("value", "custom_v1"), cell(n, "metaxy_data_version_by_field", 0));
      assertNotEquals(cell(n, "metaxy_provenance", 0), cell(n, "metaxy_data_version", 0));
    }
  }

  /** Root samples 1, 2 and 3 with paths /1, /2, /3 and provenance h1, h2, h3. */
  private void writeThreeRoots(MetadataStore s) {
    write(
        s,
        R,
        List.of(
            row("sample_uid", 1L, "path", "/1", "metaxy_provenance_by_field", pbf("value", "h1")),
            row("sample_uid", 2L, "path", "/2", "metaxy_provenance_by_field", pbf("value", "h2")),
            row("sample_uid", 3L, "path", "/3", "metaxy_provenance_by_field", pbf("value", "h3"))));
  }

  @Test
  void s48_downstreamFirstRun() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeThreeRoots(s);
      try (Increment inc = s.resolveUpdate(D);
          VectorSchemaRoot up = s.read(R)) {
        VectorSchemaRoot n = inc.newSamples();
        assertEquals(List.of("1", "2", "3"), sorted(n, "sample_uid"));
        assertEquals(0, inc.stale().getRowCount());
        assertEquals(0, inc.orphaned().getRowCount());
        assertNotNull(n.getVector("path"));
        assertNull(
            n.getVector("metaxy_deleted_at"), "upstream system columns do not leak into new rows");
        for (int i = 0; i < 3; i++) {
          Object id = cell(n, "sample_uid", i);
          @SuppressWarnings("unchecked")
          Map<String, Object> udv = (Map<String, Object>)
              cell(up, "metaxy_data_version_by_field", rowOf(up, "sample_uid", id));
          String expectedField = s.hash("result|1|root.value|" + udv.get("value"));
          assertEquals(Map.of("result", expectedField), cell(n, "metaxy_provenance_by_field", i));
          assertEquals(s.hash(expectedField), cell(n, "metaxy_provenance", i));
          assertEquals(cell(n, "metaxy_provenance", i), cell(n, "metaxy_data_version", i));
        }
      }
    }
  }

  @Test
  void s49_idempotency() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeRootAndDown(s);
      try (Increment inc = s.resolveUpdate(D)) {
        assertTrue(inc.isEmpty());
      }
    }
  }

  @Test
  void s50_upstreamChangeMakesStale() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeRootAndDown(s);
      write(s, R, rootRows("2", "h2b"));
      try (Increment inc = s.resolveUpdate(D)) {
        assertEquals(0, inc.newSamples().getRowCount());
        assertEquals(List.of("2"), sorted(inc.stale(), "sample_uid"));
        assertEquals(0, inc.orphaned().getRowCount());
      }
    }
  }

  @Test
  void s51_upstreamRemovalOrphans() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeRootAndDown(s);
      s.dropFeatureMetadata(R);
      write(s, R, rootRows("1", "h1", "2", "h2"));
      try (Increment inc = s.resolveUpdate(D)) {
        assertEquals(0, inc.newSamples().getRowCount());
        assertEquals(0, inc.stale().getRowCount());
        assertEquals(List.of("3"), sorted(inc.orphaned(), "sample_uid"));
        assertNotNull(inc.orphaned().getVector("metaxy_created_at"));
      }
    }
  }

  @Test
  void s52_currentMetadataIsDeduplicated() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      List<String> kv = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        kv.add(String.valueOf(i));
        kv.add("h" + i);
      }
      write(s, R, rootRows(kv.toArray(String[]::new)));
      try (Increment inc = s.resolveUpdate(D)) {
        for (int i = 0; i < 5; i++) {
          s.write(D, inc.newSamples());
        }
      }
      assertEquals(10, count(s, D, ReadOptions.DEFAULT));
      assertEquals(50, count(s, D, ReadOptions.DEFAULT.sampleHistory()));
      try (Increment inc = s.resolveUpdate(D)) {
        assertEquals(0, inc.orphaned().getRowCount());
      }
    }
  }

  @Test
  void s54_upstreamFilters() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s,
          R,
          List.of(
              row("sample_uid", 1L, "value", 10L, "metaxy_provenance_by_field", pbf("value", "a")),
              row("sample_uid", 2L, "value", 20L, "metaxy_provenance_by_field", pbf("value", "b")),
              row(
                  "sample_uid",
                  3L,
                  "value",
                  30L,
                  "metaxy_provenance_by_field",
                  pbf("value", "c"))));
      try (Increment inc =
          s.resolveUpdate(D, ResolveOptions.DEFAULT.filter(R, RowFilter.gt("value", 15L)))) {
        assertEquals(List.of("2", "3"), sorted(inc.newSamples(), "sample_uid"));
      }
    }
  }

  @Test
  void s55_globalFilters() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (long i = 1; i <= 5; i++) {
        rows.add(row(
            "sample_uid",
            i,
            "value",
            10L * i,
            "metaxy_provenance_by_field",
            pbf("value", "h" + i)));
      }
      write(s, R, rows);
      try (Increment inc = s.resolveUpdate(
          D, ResolveOptions.DEFAULT.globalFilters(RowFilter.in("sample_uid", List.of(2L, 3L))))) {
        assertEquals(List.of("2", "3"), sorted(inc.newSamples(), "sample_uid"));
      }
      try (Increment inc = s.resolveUpdate(
          D,
          ResolveOptions.DEFAULT
              .filter(R, RowFilter.lt("value", 40L))
              .globalFilters(RowFilter.in("sample_uid", List.of(2L, 3L, 4L, 5L))))) {
        assertEquals(List.of("2", "3"), sorted(inc.newSamples(), "sample_uid"));
      }
    }
  }

  @Test
  void s56_targetFiltersVsGlobalFiltersOnTargetOnlyColumn() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeRootAndDown(s);
      write(
          s,
          D,
          List.of(row(
              "sample_uid", 1L, "height", 10L, "metaxy_provenance_by_field", pbf("result", "x"))));
      try (Increment inc =
          s.resolveUpdate(D, ResolveOptions.DEFAULT.targetFilters(RowFilter.isNull("height")))) {
        assertNotNull(inc);
      }
      MetaxyException e = assertThrows(
          MetaxyException.class,
          () ->
              s.resolveUpdate(D, ResolveOptions.DEFAULT.globalFilters(RowFilter.isNull("height"))));
      assertTrue(e.getMessage().contains("height"));
    }
  }

  private void writeDownWithExtras(MetadataStore s, String[] datasets, String[] extras) {
    List<String> kv = new ArrayList<>();
    for (int i = 1; i <= datasets.length; i++) {
      kv.add(String.valueOf(i));
      kv.add("h" + i);
    }
    write(s, R, rootRows(kv.toArray(String[]::new)));
    try (Increment inc = s.resolveUpdate(D)) {
      VectorSchemaRoot n = inc.newSamples();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < n.getRowCount(); i++) {
        int id = ((Long) cell(n, "sample_uid", i)).intValue();
        Map<String, Object> r = row(
            "sample_uid",
            (long) id,
            "dataset",
            datasets[id - 1],
            "extra",
            extras[id - 1],
            "metaxy_provenance_by_field",
            cell(n, "metaxy_provenance_by_field", i));
        rows.add(r);
      }
      write(s, D, rows);
    }
  }

  @Test
  void s60_stalenessPredicateSingleAnd() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeDownWithExtras(
          s, new String[] {"mead", "mead", "voxceleb"}, new String[] {null, "has_extra", null});
      try (Increment inc = s.resolveUpdate(
          D,
          ResolveOptions.DEFAULT.stalenessPredicates(RowFilter.and(
              List.of(RowFilter.eq("dataset", "mead"), RowFilter.isNull("extra")))))) {
        assertEquals(List.of("1"), sorted(inc.stale(), "sample_uid"));
        assertEquals(0, inc.newSamples().getRowCount());
        assertEquals(0, inc.orphaned().getRowCount());
      }
    }
  }

  @Test
  void s61_predicatesAreOred() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeDownWithExtras(s, new String[] {"mead", "voxceleb", "mead", "voxceleb"}, new String[] {
        "has", null, null, "has"
      });
      try (Increment inc = s.resolveUpdate(
          D,
          ResolveOptions.DEFAULT.stalenessPredicates(
              RowFilter.eq("dataset", "mead"), RowFilter.isNull("extra")))) {
        assertEquals(List.of("1", "2", "3"), sorted(inc.stale(), "sample_uid"));
      }
    }
  }

  @Test
  void s62_staleListedOnce() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeDownWithExtras(s, new String[] {"mead", "mead", "vox"}, new String[] {"x", "x", "x"});
      write(s, R, rootRows("1", "changed"));
      try (Increment inc = s.resolveUpdate(
          D, ResolveOptions.DEFAULT.stalenessPredicates(RowFilter.eq("dataset", "mead")))) {
        assertEquals(List.of("1", "2"), sorted(inc.stale(), "sample_uid"));
      }
    }
  }

  @Test
  void s63_newSamplesAreNotAlsoStale() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeDownWithExtras(s, new String[] {"mead"}, new String[] {"x"});
      write(s, R, rootRows("2", "h2"));
      try (Increment inc = s.resolveUpdate(
          D, ResolveOptions.DEFAULT.stalenessPredicates(RowFilter.eq("dataset", "mead")))) {
        assertEquals(List.of("2"), sorted(inc.newSamples(), "sample_uid"));
        assertEquals(List.of("1"), sorted(inc.stale(), "sample_uid"));
      }
    }
  }

  @Test
  void s64_skipComparisonOverridesPredicates() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeDownWithExtras(s, new String[] {"mead"}, new String[] {"x"});
      try (Increment inc = s.resolveUpdate(
          D,
          ResolveOptions.DEFAULT
              .skippingComparison()
              .stalenessPredicates(RowFilter.eq("dataset", "mead")))) {
        assertEquals(1, inc.newSamples().getRowCount());
        assertEquals(0, inc.stale().getRowCount());
      }
    }
  }

  @Test
  void s65_firstRunWithPredicates() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, R, rootRows("1", "a", "2", "b"));
      try (Increment inc = s.resolveUpdate(
          D, ResolveOptions.DEFAULT.stalenessPredicates(RowFilter.eq("sample_uid", 1L)))) {
        assertEquals(2, inc.newSamples().getRowCount());
        assertEquals(0, inc.stale().getRowCount());
      }
    }
  }

  @Test
  void s66_globalFiltersScopePredicates() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeDownWithExtras(
          s, new String[] {"mead", "mead", "voxceleb"}, new String[] {"x", "x", "x"});
      try (Increment inc = s.resolveUpdate(
          D,
          ResolveOptions.DEFAULT
              .globalFilters(RowFilter.in("sample_uid", List.of(1L, 3L)))
              .stalenessPredicates(RowFilter.eq("dataset", "mead")))) {
        assertEquals(List.of("1"), sorted(inc.stale(), "sample_uid"));
        assertEquals(0, inc.newSamples().getRowCount());
      }
    }
  }

  @Test
  void s67_skipComparison() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, R, rootRows("1", "h1", "2", "h2"));
      try (VectorSchemaRoot samples = batch(allocator, rootRows("1", "h1", "2", "h2", "3", "h3"));
          Increment inc =
              s.resolveUpdate(R, ResolveOptions.DEFAULT.samples(samples).skippingComparison())) {
        assertEquals(List.of("1", "2", "3"), sorted(inc.newSamples(), "sample_uid"));
        assertEquals(0, inc.stale().getRowCount() + inc.orphaned().getRowCount());
        assertEquals(
            TestRows.values(inc.newSamples(), "metaxy_provenance"),
            TestRows.values(inc.newSamples(), "metaxy_data_version"));
      }
      write(s, R, rootRows("3", "h3"));
      try (Increment inc = s.resolveUpdate(D)) {
        s.write(D, inc.newSamples());
      }
      try (Increment inc = s.resolveUpdate(D, ResolveOptions.DEFAULT.skippingComparison())) {
        assertEquals(3, inc.newSamples().getRowCount());
        assertNotNull(inc.newSamples().getVector("metaxy_provenance"));
      }
    }
  }

  @Test
  void s70_optionalDependencyLeftJoin() {
    FeatureGraph g = optionalGraph(false);
    MetadataStore s = store(StoreOptions.of(g));
    FeatureKey req = FeatureKey.of("required_parent");
    FeatureKey opt = FeatureKey.of("optional_parent");
    FeatureKey child = FeatureKey.of("child");
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, req, List.of(sv("s1", "r1"), sv("s2", "r2"), sv("s3", "r3")));
      write(s, opt, List.of(sv("s1", "o1"), sv("s3", "o3")));
      Map<Object, Object> before = new HashMap<>();
      try (Increment inc = s.resolveUpdate(child)) {
        assertEquals(List.of("s1", "s2", "s3"), sorted(inc.newSamples(), "sample_uid"));
        for (int i = 0; i < 3; i++) {
          before.put(
              cell(inc.newSamples(), "sample_uid", i),
              cell(inc.newSamples(), "metaxy_provenance_by_field", i));
        }
        s.write(child, inc.newSamples());
      }
      write(s, opt, List.of(sv("s1", "o1b"), sv("s3", "o3b")));
      try (Increment inc = s.resolveUpdate(child)) {
        assertEquals(List.of("s1", "s3"), sorted(inc.stale(), "sample_uid"));
        assertEquals(0, inc.newSamples().getRowCount());
        for (int i = 0; i < 2; i++) {
          assertNotEquals(
              before.get(cell(inc.stale(), "sample_uid", i)),
              cell(inc.stale(), "metaxy_provenance_by_field", i));
        }
      }
    }
  }

  @Test
  void s71_allOptionalDepsFullOuterJoin() {
    MetadataStore s = store(StoreOptions.of(optionalGraph(true)));
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, FeatureKey.of("required_parent"), List.of(sv("s1", "a"), sv("s2", "b")));
      write(s, FeatureKey.of("optional_parent"), List.of(sv("s2", "c"), sv("s3", "d")));
      try (Increment inc = s.resolveUpdate(FeatureKey.of("child"))) {
        assertEquals(List.of("s1", "s2", "s3"), sorted(inc.newSamples(), "sample_uid"));
      }
    }
  }

  private static Map<String, Object> sv(String id, String h) {
    return row("sample_uid", id, "metaxy_provenance_by_field", pbf("default", h));
  }

  private static FeatureGraph optionalGraph(boolean allOptional) {
    FeatureDep reqDep = new FeatureDep(
        FeatureKey.of("required_parent"),
        null,
        null,
        FieldsMapping.DEFAULT,
        null,
        Lineage.IDENTITY,
        allOptional);
    FeatureDep optDep = new FeatureDep(
        FeatureKey.of("optional_parent"),
        null,
        null,
        FieldsMapping.DEFAULT,
        null,
        Lineage.IDENTITY,
        true);
    return FeatureGraph.of(List.of(
        def(FeatureSpec.builder("required_parent", "sample_uid").build()),
        def(FeatureSpec.builder("optional_parent", "sample_uid").build()),
        def(FeatureSpec.builder("child", "sample_uid")
            .dep(reqDep)
            .dep(optDep)
            .field("computed", "1")
            .build())));
  }

  @Test
  void s72_expansionOrphansCountedPerParent() {
    FeatureGraph g = FeatureGraph.of(List.of(
        def(FeatureSpec.builder("video", "video_id").build()),
        def(FeatureSpec.builder("video_frames", "video_id", "frame_id")
            .dep(new FeatureDep(
                FeatureKey.of("video"),
                null,
                null,
                FieldsMapping.DEFAULT,
                null,
                new Lineage.Expansion(List.of("video_id"), null),
                false))
            .build())));
    MetadataStore s = store(StoreOptions.of(g));
    FeatureKey video = FeatureKey.of("video");
    FeatureKey frames = FeatureKey.of("video_frames");
    try (var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> videos = new ArrayList<>();
      for (int v = 1; v <= 5; v++) {
        videos.add(row("video_id", "v" + v, "metaxy_provenance_by_field", pbf("default", "h" + v)));
      }
      write(s, video, videos);
      try (Increment inc = s.resolveUpdate(frames)) {
        VectorSchemaRoot n = inc.newSamples();
        assertEquals(5, n.getRowCount());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n.getRowCount(); i++) {
          for (long f = 0; f < 10; f++) {
            rows.add(row(
                "video_id",
                cell(n, "video_id", i),
                "frame_id",
                f,
                "metaxy_provenance_by_field",
                cell(n, "metaxy_provenance_by_field", i)));
          }
        }
        write(s, frames, rows);
        write(s, frames, rows);
      }
      try (Increment inc = s.resolveUpdate(frames)) {
        assertTrue(inc.isEmpty(), "s73: no orphans, no stale when parents exist");
      }
      s.dropFeatureMetadata(video);
      write(s, video, videos.subList(0, 2));
      try (Increment inc = s.resolveUpdate(frames)) {
        assertEquals(List.of("v3", "v4", "v5"), sorted(inc.orphaned(), "video_id"));
      }
      write(
          s,
          video,
          List.of(row("video_id", "v1", "metaxy_provenance_by_field", pbf("default", "changed"))));
      try (Increment inc = s.resolveUpdate(frames)) {
        assertEquals(
            List.of("v1"), sorted(inc.stale(), "video_id"), "s74: one stale row per parent");
        assertEquals(0, inc.newSamples().getRowCount());
      }
    }
  }

  @Test
  void s75_aggregationFieldIsolation() {
    FeatureGraph g = FeatureGraph.of(List.of(
        def(FeatureSpec.builder("sensor_readings", "sensor_id", "reading_id")
            .field("temperature", "1")
            .field("humidity", "1")
            .build()),
        def(FeatureSpec.builder("hourly_stats", "sensor_id")
            .dep(new FeatureDep(
                FeatureKey.of("sensor_readings"),
                null,
                null,
                FieldsMapping.DEFAULT,
                null,
                new Lineage.Aggregation(List.of("sensor_id")),
                false))
            .field(new FieldSpec(
                FieldKey.of("avg_temp"),
                "1",
                new Explicit(List.of(new FieldDep(
                    FeatureKey.of("sensor_readings"), List.of(FieldKey.of("temperature")))))))
            .field(new FieldSpec(
                FieldKey.of("avg_humidity"),
                "1",
                new Explicit(List.of(new FieldDep(
                    FeatureKey.of("sensor_readings"), List.of(FieldKey.of("humidity")))))))
            .build())));
    MetadataStore s = store(StoreOptions.of(g));
    FeatureKey readings = FeatureKey.of("sensor_readings");
    FeatureKey stats = FeatureKey.of("hourly_stats");
    try (var scope = s.open(AccessMode.WRITE)) {
      write(
          s,
          readings,
          List.of(
              row(
                  "sensor_id",
                  "s1",
                  "reading_id",
                  "r1",
                  "metaxy_provenance_by_field",
                  pbf("temperature", "t1", "humidity", "h1")),
              row(
                  "sensor_id",
                  "s1",
                  "reading_id",
                  "r2",
                  "metaxy_provenance_by_field",
                  pbf("temperature", "t2", "humidity", "h2"))));
      Object before;
      try (Increment inc = s.resolveUpdate(stats)) {
        assertEquals(2, inc.newSamples().getRowCount());
        before = cell(inc.newSamples(), "metaxy_provenance_by_field", 0);
        try (VectorSchemaRoot one = ArrowBatches.take(inc.newSamples(), new int[] {0}, allocator)) {
          s.write(stats, one);
        }
      }
      write(
          s,
          readings,
          List.of(
              row(
                  "sensor_id",
                  "s1",
                  "reading_id",
                  "r1",
                  "metaxy_provenance_by_field",
                  pbf("temperature", "t1b", "humidity", "h1")),
              row(
                  "sensor_id",
                  "s1",
                  "reading_id",
                  "r2",
                  "metaxy_provenance_by_field",
                  pbf("temperature", "t2b", "humidity", "h2"))));
      try (Increment inc = s.resolveUpdate(stats)) {
        assertEquals(2, inc.stale().getRowCount());
        @SuppressWarnings("unchecked")
        Map<String, Object> b = (Map<String, Object>) before;
        @SuppressWarnings("unchecked")
        Map<String, Object> a =
            (Map<String, Object>) cell(inc.stale(), "metaxy_provenance_by_field", 0);
        assertNotEquals(b.get("avg_temp"), a.get("avg_temp"));
        assertEquals(b.get("avg_humidity"), a.get("avg_humidity"));
        assertEquals(
            cell(inc.stale(), "metaxy_provenance", 0), cell(inc.stale(), "metaxy_provenance", 1));
      }
    }
  }

  @Test
  void s76_targetVersionBumpMakesEverythingNew() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeRootAndDown(s);
      s.useGraph(graph("2"));
      try (Increment inc = s.resolveUpdate(D)) {
        assertEquals(List.of("1", "2", "3"), sorted(inc.newSamples(), "sample_uid"));
        assertEquals(0, inc.stale().getRowCount() + inc.orphaned().getRowCount());
      }
    }
  }

  @Test
  void s77_upstreamSoftDeleteOrphansDownstream() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeRootAndDown(s);
      s.delete(R, List.of(RowFilter.eq("sample_uid", 3L)), DeleteOptions.SOFT);
      try (Increment inc = s.resolveUpdate(D)) {
        assertEquals(List.of("3"), sorted(inc.orphaned(), "sample_uid"));
      }
    }
  }

  @Test
  void s78_targetSoftDeleteMakesSampleNewAgain() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeRootAndDown(s);
      s.delete(D, List.of(RowFilter.eq("sample_uid", 3L)), DeleteOptions.SOFT);
      try (Increment inc = s.resolveUpdate(D)) {
        assertEquals(List.of("3"), sorted(inc.newSamples(), "sample_uid"));
      }
    }
  }

  @Test
  void s79_missingUpstreamTableFails() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.READ)) {
      FeatureNotFoundException e =
          assertThrows(FeatureNotFoundException.class, () -> s.resolveUpdate(D));
      assertEquals(List.of(R), e.keys());
    }
  }

  @Test
  void s80_hashTruncation() {
    MetadataStore s =
        store(StoreOptions.of(graph("1")).hashAlgorithm(HashAlgorithm.MD5).truncation(16));
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, R, rootRows("1", "h1", "2", "h2"));
      try (Increment inc = s.resolveUpdate(D)) {
        for (Object p : TestRows.values(inc.newSamples(), "metaxy_provenance")) {
          assertEquals(16, p.toString().length());
        }
      }
    }
  }

  // ------------------------------------------------------------------ G. fallback

  private void writeUpstreamA(MetadataStore prod) {
    try (var scope = prod.open(AccessMode.WRITE)) {
      write(
          prod,
          UA,
          List.of(
              row("sample_uid", 1L, "metaxy_provenance_by_field", pbf("default", "x")),
              row("sample_uid", 2L, "metaxy_provenance_by_field", pbf("default", "y")),
              row("sample_uid", 3L, "metaxy_provenance_by_field", pbf("default", "z"))));
    }
  }

  @Test
  void s82_chainedFallbackRead() {
    MetadataStore prod = store(StoreOptions.of(graph("1")).name("prod"));
    MetadataStore staging = store(StoreOptions.of(graph("1")).name("staging").fallbackStores(prod));
    MetadataStore dev = store(StoreOptions.of(graph("1")).name("dev").fallbackStores(staging));
    writeUpstreamA(prod);
    try (var scope = dev.open()) {
      MetadataStore.ReadResult r = dev.readWithStore(UA, ReadOptions.DEFAULT);
      try (VectorSchemaRoot b = r.batch()) {
        assertEquals(3, b.getRowCount());
      }
      assertSame(prod, r.store());
      assertThrows(
          FeatureNotFoundException.class, () -> dev.read(UA, ReadOptions.DEFAULT.noFallback()));
      assertFalse(prod.isOpen(), "fallbacks are opened on demand and closed again");
    }
  }

  @Test
  void s83_hasFeatureWithFallback() {
    MetadataStore prod = store(StoreOptions.of(graph("1")).name("prod"));
    MetadataStore dev = store(StoreOptions.of(graph("1")).name("dev").fallbackStores(prod));
    writeUpstreamA(prod);
    try (var scope = dev.open()) {
      assertFalse(dev.hasFeature(UA, false));
      assertTrue(dev.hasFeature(UA, true));
      assertSame(prod, dev.findStoreForFeature(UA));
    }
  }

  @Test
  void s84_writesNeverGoToFallbacks() {
    MetadataStore prod = store(StoreOptions.of(graph("1")).name("prod"));
    MetadataStore dev = store(StoreOptions.of(graph("1")).name("dev").fallbackStores(prod));
    writeUpstreamA(prod);
    try (var scope = dev.open(AccessMode.WRITE)) {
      write(dev, UB, row("sample_uid", 1L, "metaxy_provenance_by_field", pbf("default", "x")));
      assertTrue(dev.hasFeature(UB));
    }
    try (var scope = prod.open()) {
      assertFalse(prod.hasFeature(UB));
    }
  }

  @Test
  void s86_noMixingWithFallback() {
    MetadataStore prod = store(StoreOptions.of(graph("1")).name("prod"));
    MetadataStore dev = store(StoreOptions.of(graph("1")).name("dev").fallbackStores(prod));
    writeUpstreamA(prod);
    try (var scope = dev.open(AccessMode.WRITE)) {
      write(dev, UA, row("sample_uid", 9L, "metaxy_provenance_by_field", pbf("default", "x")));
      assertEquals(List.of("9"), ids(dev, UA, ReadOptions.DEFAULT, "sample_uid"));
    }
  }

  @Test
  void s87_hashAlgorithmMustMatch() {
    MetadataStore prod = store(StoreOptions.of(graph("1")).hashAlgorithm(HashAlgorithm.MD5));
    MetadataStore dev = store(
        StoreOptions.of(graph("1")).hashAlgorithm(HashAlgorithm.XXHASH64).fallbackStores(prod));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, dev::open);
    assertTrue(e.getMessage().contains("hash_algorithm"));
    assertFalse(dev.isOpen());
  }

  @Test
  void s88_resolveUpdateWithUpstreamInFallback() {
    MetadataStore prod = store(StoreOptions.of(graph("1")).name("prod"));
    MetadataStore dev = store(StoreOptions.of(graph("1")).name("dev").fallbackStores(prod));
    try (var scope = prod.open(AccessMode.WRITE)) {
      write(prod, R, rootRows("1", "h1", "2", "h2", "3", "h3"));
    }
    try (var scope = dev.open();
        Increment inc = dev.resolveUpdate(D)) {
      assertEquals(3, inc.newSamples().getRowCount());
      assertEquals(0, inc.stale().getRowCount() + inc.orphaned().getRowCount());
    }
  }

  // ------------------------------------------------------------------ H. copy, write_multi

  @Test
  void s94_writeMultiWritesAll() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot r = batch(allocator, rootRows("1", "h1"));
        VectorSchemaRoot d = batch(
            allocator, row("sample_uid", 1L, "metaxy_provenance_by_field", pbf("result", "x")))) {
      s.writeMulti(Map.of(R, r, D, d), "run-7");
      try (VectorSchemaRoot x = s.read(R);
          VectorSchemaRoot y = s.read(D)) {
        assertEquals("run-7", cell(x, "metaxy_materialization_id", 0));
        assertEquals("run-7", cell(y, "metaxy_materialization_id", 0));
        assertTrue(
            ((Instant) cell(y, "metaxy_created_at", 0))
                .isBefore((Instant) cell(x, "metaxy_created_at", 0)),
            "dependents are written first");
      }
    }
  }

  @Test
  void s95_copyMetadata() {
    MetadataStore src = store(StoreOptions.of(graph("1")).name("src"));
    MetadataStore dest = store(StoreOptions.of(graph("1")).name("dest"));
    try (var scope = src.open(AccessMode.WRITE)) {
      write(src, R, rootRows("1", "h1", "2", "h2", "3", "h3"));
      write(src, UA, row("sample_uid", 1L, "metaxy_provenance_by_field", pbf("default", "x")));
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> dest.copyMetadata(src, List.of(R), List.of(), true, false));
    try (var a = src.open();
        var b = dest.open(AccessMode.WRITE)) {
      MetadataStore.CopyResult r = dest.copyMetadata(src, List.of(R, UB), List.of(), true, false);
      assertEquals(new MetadataStore.CopyResult(1, 3), r);
      try (VectorSchemaRoot x = src.read(R);
          VectorSchemaRoot y = dest.read(R)) {
        for (String c :
            List.of("metaxy_feature_version", "metaxy_project_version", "metaxy_created_at")) {
          assertEquals(TestRows.values(x, c), TestRows.values(y, c));
        }
      }
      dest.dropFeatureMetadata(R);
      assertEquals(
          new MetadataStore.CopyResult(1, 1),
          dest.copyMetadata(src, List.of(R), List.of(RowFilter.eq("sample_uid", 2L)), true, false));
      // Per-feature filters add to the global ones; UA's rows are filtered by the global one only.
      dest.dropFeatureMetadata(R);
      MetadataStore.CopyResult perFeature = dest.copyMetadata(
          src,
          List.of(R, UA),
          Map.of(R, List.of(RowFilter.sql("sample_uid >= 2"))),
          List.of(RowFilter.sql("sample_uid <= 2")),
          true,
          false);
      assertEquals(new MetadataStore.CopyResult(2, 2), perFeature);
      try (VectorSchemaRoot y = dest.read(R)) {
        assertEquals(List.of(2L), TestRows.values(y, "sample_uid"));
      }
      IllegalArgumentException stray = assertThrows(
          IllegalArgumentException.class,
          () -> dest.copyMetadata(
              src,
              List.of(R),
              Map.of(UB, List.of(RowFilter.eq("sample_uid", 1L))),
              List.of(),
              true,
              false));
      assertTrue(stray.getMessage().contains(UB.toString()), stray.getMessage());
    }
  }

  @Test
  void s96_readFeatureSchemaFromStore() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, R, rootRows("1", "h1", "2", "h2"));
      Schema schema = s.readFeatureSchemaFromStore(R);
      try (VectorSchemaRoot rows = s.read(R, ReadOptions.DEFAULT.noFallback())) {
        assertEquals(rows.getSchema(), schema);
      }
      assertThrows(FeatureNotFoundException.class, () -> s.readFeatureSchemaFromStore(UB));
    }
  }

  // ------------------------------------------------------------------ end to end (overview graph)

  private static FeatureGraph overview(String audioCode) {
    FeatureKey video = FeatureKey.of("example/video");
    FeatureKey crop = FeatureKey.of("example/crop");
    return FeatureGraph.of(List.of(
        def(FeatureSpec.builder("example/video", "video_id")
            .field("audio", audioCode)
            .field("frames", "1")
            .build()),
        def(FeatureSpec.builder("example/crop", "video_id")
            .dep("example/video")
            .field("audio", "1")
            .field("frames", "1")
            .build()),
        def(FeatureSpec.builder("example/face_detection", "video_id")
            .dep("example/crop")
            .field(new FieldSpec(
                FieldKey.of("faces"),
                "1",
                new Explicit(List.of(new FieldDep(crop, List.of(FieldKey.of("frames")))))))
            .build()),
        def(FeatureSpec.builder("example/stt", "video_id")
            .dep("example/video")
            .field(new FieldSpec(
                FieldKey.of("transcription"),
                "1",
                new Explicit(List.of(new FieldDep(video, List.of(FieldKey.of("audio")))))))
            .build())));
  }

  /** Resolves a feature, writes new and stale samples, and returns {new, stale, orphaned} id lists. */
  private List<List<String>> step(MetadataStore s, FeatureKey k) {
    try (Increment inc = s.resolveUpdate(k)) {
      List<List<String>> out = List.of(
          sorted(inc.newSamples(), "video_id"),
          sorted(inc.stale(), "video_id"),
          sorted(inc.orphaned(), "video_id"));
      s.write(k, inc.newSamples());
      s.write(k, inc.stale());
      return out;
    }
  }

  @Test
  void e2e_overviewGraph() {
    FeatureKey video = FeatureKey.of("example/video");
    FeatureKey crop = FeatureKey.of("example/crop");
    FeatureKey faces = FeatureKey.of("example/face_detection");
    FeatureKey stt = FeatureKey.of("example/stt");
    List<String> all = List.of("v1", "v2", "v3", "v4", "v5");
    List<String> none = List.of();
    MetadataStore s = store(StoreOptions.of(overview("1")));
    try (var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> videos = new ArrayList<>();
      for (String v : all) {
        videos.add(row(
            "video_id",
            v,
            "path",
            "/data/" + v + ".mp4",
            "metaxy_provenance_by_field",
            pbf("audio", "a-" + v, "frames", "f-" + v)));
      }
      write(s, video, videos);
      assertEquals(List.of(all, none, none), step(s, crop));
      assertEquals(List.of(all, none, none), step(s, faces));
      assertEquals(List.of(all, none, none), step(s, stt));
      for (FeatureKey k : List.of(crop, faces, stt)) {
        try (Increment inc = s.resolveUpdate(k)) {
          assertTrue(inc.isEmpty(), "nothing to do for " + k);
        }
      }

      // New audio for v2 and v4: crop and stt are stale for exactly those; face detection reads
      // only frames.
      write(
          s,
          video,
          List.of(
              row(
                  "video_id",
                  "v2",
                  "path",
                  "/data/v2.mp4",
                  "metaxy_provenance_by_field",
                  pbf("audio", "a2-new", "frames", "f-v2")),
              row(
                  "video_id",
                  "v4",
                  "path",
                  "/data/v4.mp4",
                  "metaxy_provenance_by_field",
                  pbf("audio", "a4-new", "frames", "f-v4"))));
      try (Increment inc = s.resolveUpdate(faces)) {
        assertTrue(inc.isEmpty());
      }
      assertEquals(List.of(none, List.of("v2", "v4"), none), step(s, crop));
      assertEquals(List.of(none, List.of("v2", "v4"), none), step(s, stt));
      try (Increment inc = s.resolveUpdate(faces)) {
        assertTrue(inc.isEmpty(), "recomputed crops keep their frames data version");
      }

      // Bump the audio code version of video: new feature versions for video, crop and stt only.
      String facesVersion = s.featureVersion(faces);
      String cropVersion = s.featureVersion(crop);
      s.useGraph(overview("2"));
      assertEquals(facesVersion, s.featureVersion(faces));
      assertNotEquals(cropVersion, s.featureVersion(crop));
      try (VectorSchemaRoot samples = s.read(video, ReadOptions.DEFAULT.featureHistory());
          Increment inc = s.resolveUpdate(video, ResolveOptions.DEFAULT.samples(samples))) {
        assertEquals(all, sorted(inc.newSamples(), "video_id"));
        s.write(video, inc.newSamples());
      }
      assertEquals(List.of(all, none, none), step(s, crop));
      assertEquals(List.of(all, none, none), step(s, stt));
      assertEquals(5, count(s, faces, ReadOptions.DEFAULT), "face detection rows stay current");
      try (Increment inc = s.resolveUpdate(faces)) {
        assertTrue(inc.isEmpty(), "face detection is untouched by an audio change");
      }
    }
  }

  // ------------------------------------------------------------------ FeatureDep filters, rebase,
  // system tables

  @Test
  void s57_featureDepFilters() {
    FeatureDep dep = new FeatureDep(
        FeatureKey.of("people"),
        null,
        null,
        FieldsMapping.DEFAULT,
        List.of("age >= 25"),
        Lineage.IDENTITY,
        false);
    FeatureGraph g = FeatureGraph.of(List.of(
        def(FeatureSpec.builder("people", "sample_uid")
            .field("age", "1")
            .field("status", "1")
            .build()),
        def(FeatureSpec.builder("adults", "sample_uid")
            .dep(dep)
            .field("score", "1")
            .build())));
    MetadataStore s = store(StoreOptions.of(g));
    try (var scope = s.open(AccessMode.WRITE)) {
      long[] ages = {20, 25, 30, 22};
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        rows.add(row(
            "sample_uid",
            "s" + (i + 1),
            "age",
            ages[i],
            "metaxy_provenance_by_field",
            pbf("age", "a" + i, "status", "s" + i)));
      }
      write(s, FeatureKey.of("people"), rows);
      try (Increment inc = s.resolveUpdate(FeatureKey.of("adults"))) {
        assertEquals(List.of("s2", "s3"), sorted(inc.newSamples(), "sample_uid"));
        assertEquals(List.of("25", "30"), sorted(inc.newSamples(), "age"));
      }
    }
  }

  @Test
  void s98_filterStrings() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      long[] ages = {17, 25, 30, 45};
      String[] status = {"active", "active", "inactive", "deleted"};
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        rows.add(row(
            "id",
            String.valueOf(i + 1),
            "age",
            ages[i],
            "status",
            status[i],
            "metaxy_provenance_by_field",
            pbf("default", "h")));
      }
      write(s, T, rows);
      assertEquals(
          List.of("3", "4"),
          ids(s, T, ReadOptions.DEFAULT.filters(RowFilter.sql("age > 25")), "id"));
      assertEquals(
          List.of("1", "3"),
          ids(
              s,
              T,
              ReadOptions.DEFAULT.filters(
                  RowFilter.sql("(age > 25 OR age < 20) AND status != 'deleted'")),
              "id"));
      assertEquals(
          List.of("1", "2", "3"),
          ids(s, T, ReadOptions.DEFAULT.filters(RowFilter.sql("status NOT IN ('deleted')")), "id"));
    }
  }

  private static FeatureGraph rebaseGraph(String code, boolean extraField) {
    FeatureSpec.Builder down =
        FeatureSpec.builder("down", "sample_uid").dep("root").field("result", code);
    if (extraField) {
      down.field("extra", "1");
    }
    return FeatureGraph.of(List.of(
        def(FeatureSpec.builder("root", "sample_uid").field("value", "1").build()),
        def(down.build())));
  }

  private String setUpRebase(MetadataStore s, boolean customDataVersion) {
    write(s, R, rootRows("1", "h1", "2", "h2", "3", "h3"));
    try (Increment inc = s.resolveUpdate(D)) {
      VectorSchemaRoot n = inc.newSamples();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < n.getRowCount(); i++) {
        Map<String, Object> r = row(
            "sample_uid",
            cell(n, "sample_uid", i),
            "metaxy_provenance_by_field",
            cell(n, "metaxy_provenance_by_field", i),
            "metaxy_provenance",
            cell(n, "metaxy_provenance", i));
        boolean custom = customDataVersion && Long.valueOf(1).equals(cell(n, "sample_uid", i));
        r.put(
            "metaxy_data_version_by_field",
            custom ? pbf("result", "custom_field_hash") : cell(n, "metaxy_provenance_by_field", i));
        r.put("metaxy_data_version", custom ? "custom_user_hash" : cell(n, "metaxy_provenance", i));
        rows.add(r);
      }
      write(s, D, rows);
    }
    new SystemTables(s).pushGraphSnapshot(null, Map.of());
    return s.featureVersion(D);
  }

  @Test
  void s89_rebaseHappyPathAnd92_keepsUserDataVersion() {
    MetadataStore s = store(StoreOptions.of(rebaseGraph("1", false)));
    try (var scope = s.open(AccessMode.WRITE)) {
      String v1 = setUpRebase(s, true);
      s.useGraph(rebaseGraph("2", false));
      new SystemTables(s).pushGraphSnapshot(null, Map.of());
      String v2 = s.featureVersion(D);
      try (VectorSchemaRoot existing = s.read(
              D,
              ReadOptions.DEFAULT
                  .featureHistory()
                  .filters(RowFilter.eq("metaxy_feature_version", v1)));
          VectorSchemaRoot rebased = s.rebase(D, existing, v2)) {
        s.write(D, rebased, new WriteOptions(null, true));
      }
      try (VectorSchemaRoot r = s.read(D)) {
        assertEquals(3, r.getRowCount());
        for (int i = 0; i < 3; i++) {
          assertEquals(v2, cell(r, "metaxy_feature_version", i));
          assertEquals(s.projectVersion(D), cell(r, "metaxy_project_version", i));
        }
        int one = rowOf(r, "sample_uid", 1);
        assertEquals("custom_user_hash", cell(r, "metaxy_data_version", one));
        assertEquals(
            Map.of("result", "custom_field_hash"), cell(r, "metaxy_data_version_by_field", one));
        for (long id : new long[] {2, 3}) {
          int i = rowOf(r, "sample_uid", id);
          assertEquals(cell(r, "metaxy_provenance", i), cell(r, "metaxy_data_version", i));
        }
      }
      try (Increment inc = s.resolveUpdate(D)) {
        assertTrue(inc.isEmpty(), "rebased rows are current");
      }
    }
  }

  @Test
  void s90_rebaseDefaultsToCurrentAnd93_picksUpNewFields() {
    MetadataStore s = store(StoreOptions.of(rebaseGraph("1", false)));
    try (var scope = s.open(AccessMode.WRITE)) {
      String v1 = setUpRebase(s, false);
      s.useGraph(rebaseGraph("1", true));
      try (VectorSchemaRoot existing =
              s.read(D, ReadOptions.DEFAULT.featureHistory().featureVersion(v1));
          VectorSchemaRoot rebased = s.rebase(D, existing, null)) {
        assertEquals(3, rebased.getRowCount());
        @SuppressWarnings("unchecked")
        Map<String, Object> p =
            (Map<String, Object>) cell(rebased, "metaxy_provenance_by_field", 0);
        assertEquals(Set.of("result", "extra"), p.keySet());
        s.write(D, rebased, new WriteOptions(null, true));
      }
      assertEquals(3, count(s, D, ReadOptions.DEFAULT));
    }
  }

  @Test
  void s91_rebaseErrors() {
    MetadataStore s = store(StoreOptions.of(rebaseGraph("1", false)));
    try (var scope = s.open(AccessMode.WRITE)) {
      setUpRebase(s, false);
      try (VectorSchemaRoot existing = s.read(D)) {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.rebase(R, existing, null))
            .getMessage()
            .contains("Cannot rebase root feature"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s.rebase(D, existing, "nope"))
            .getMessage()
            .contains("not found in system storage"));
      }
    }
  }

  @Test
  void s96_pushGraphSnapshot() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      SystemTables sys = new SystemTables(s);
      SystemTables.PushResult first = sys.pushGraphSnapshot(null, Map.of("team", "vision"));
      assertFalse(first.alreadyPushed());
      SystemTables.PushResult second = sys.pushGraphSnapshot(null, Map.of("team", "vision"));
      assertTrue(second.alreadyPushed());
      assertEquals(first.projectVersion(), second.projectVersion());
      assertEquals(List.of(), second.updatedFeatures());
      try (VectorSchemaRoot r =
          s.read(SystemTables.FEATURE_VERSIONS, ReadOptions.DEFAULT.featureHistory())) {
        assertEquals(
            List.of(
                "project",
                "feature_key",
                "metaxy_feature_version",
                "metaxy_definition_version",
                "recorded_at",
                "feature_spec",
                "feature_schema",
                "feature_class_path",
                "metaxy_project_version",
                "tags",
                "deleted_at"),
            ArrowBatches.names(r));
        assertEquals(s.graph().keys().size(), r.getRowCount());
        Map<String, Object> tags = Json.parseObject((String) cell(r, "tags", 0), "tags");
        assertEquals("vision", tags.get("team"));
        assertTrue(
            Json.parseObject((String) tags.get("metaxy"), "metaxy tag").containsKey("version"));
      }
      try (VectorSchemaRoot snaps = sys.readGraphSnapshots(null)) {
        assertEquals(1, snaps.getRowCount());
        assertEquals((long) s.graph().keys().size(), cell(snaps, "feature_count", 0));
      }
      try (VectorSchemaRoot features = sys.readFeatures(null, null)) {
        assertEquals(s.graph().keys().size(), features.getRowCount());
        assertEquals(
            s.featureVersion(D),
            cell(features, "metaxy_feature_version", rowOf(features, "feature_key", "down")));
      }
      s.useGraph(graph("2"));
      try (VectorSchemaRoot features = sys.readFeatures(null, null)) {
        assertEquals(0, features.getRowCount(), "the new graph's version is not pushed yet");
      }
      SystemTables.PushResult third = sys.pushGraphSnapshot(null, Map.of());
      try (VectorSchemaRoot old = sys.readFeatures(first.projectVersion(), "test")) {
        assertNotEquals(
            s.featureVersion(D),
            cell(old, "metaxy_feature_version", rowOf(old, "feature_key", "down")));
      }
      assertFalse(third.alreadyPushed());
      assertNotEquals(first.projectVersion(), third.projectVersion());
      try (VectorSchemaRoot snaps = sys.readGraphSnapshots(null)) {
        assertEquals(
            List.of(third.projectVersion(), first.projectVersion()),
            TestRows.values(snaps, "metaxy_project_version"));
      }
    }
  }

  @Test
  void s97_systemDataMissing() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.READ)) {
      assertThrows(
          SystemDataNotFoundException.class,
          () -> s.read(SystemTables.FEATURE_VERSIONS, ReadOptions.DEFAULT.featureHistory()));
      try (VectorSchemaRoot features = new SystemTables(s).readFeatures(null, null)) {
        assertEquals(0, features.getRowCount());
        assertTrue(ArrowBatches.names(features).contains("feature_spec"));
      }
      try (VectorSchemaRoot snaps = new SystemTables(s).readGraphSnapshots(null)) {
        assertEquals(0, snaps.getRowCount());
        assertEquals(
            List.of("metaxy_project_version", "recorded_at", "feature_count"),
            ArrowBatches.names(snaps));
      }
    }
  }

  // ------------------------------------------------------------------ more F and G

  @Test
  void s53_localUpstreamSmallerThanDownstream() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> down = new ArrayList<>();
      List<String> kv = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        down.add(row("sample_uid", (long) i, "metaxy_provenance_by_field", pbf("result", "r" + i)));
        if (i < 20) {
          kv.add(String.valueOf(i));
          kv.add("h" + i);
        }
      }
      write(s, D, down);
      write(s, R, rootRows(kv.toArray(String[]::new)));
      try (Increment inc = s.resolveUpdate(D)) {
        assertEquals(80, inc.orphaned().getRowCount());
        assertEquals(0, inc.newSamples().getRowCount());
      }
    }
  }

  @Test
  void s81_inputProgress() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      List<String> kv = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        kv.add(String.valueOf(i));
        kv.add("h" + i);
      }
      write(s, R, rootRows(kv.toArray(String[]::new)));
      try (Increment inc = s.resolveUpdate(D)) {
        assertEquals(0.0, inc.inputProgress().getAsDouble());
        try (VectorSchemaRoot three =
            ArrowBatches.take(inc.newSamples(), new int[] {0, 1, 2}, allocator)) {
          s.write(D, three);
        }
      }
      try (Increment inc = s.resolveUpdate(D)) {
        assertEquals(30.0, inc.inputProgress().getAsDouble(), 1e-9);
        s.write(D, inc.newSamples());
      }
      try (Increment inc = s.resolveUpdate(D)) {
        assertEquals(100.0, inc.inputProgress().getAsDouble(), 1e-9);
      }
      s.delete(R, List.of(), DeleteOptions.HARD);
      try (Increment inc = s.resolveUpdate(D)) {
        assertTrue(inc.inputProgress().isEmpty(), "no upstream rows");
      }
      try (VectorSchemaRoot samples = batch(allocator, rootRows("1", "h1"));
          Increment inc = s.resolveUpdate(R, ResolveOptions.DEFAULT.samples(samples))) {
        assertTrue(inc.inputProgress().isEmpty(), "samples-driven increments have no input");
      }
    }
  }

  @Test
  void s85_storeInfoAndStoreMetadata() {
    MetadataStore fallback = store(StoreOptions.of(graph("1")).name("fallback"));
    MetadataStore primary =
        store(StoreOptions.of(graph("1")).name("primary").fallbackStores(fallback));
    writeUpstreamA(fallback);
    try (var scope = primary.open(AccessMode.WRITE)) {
      MetadataStore.ReadResult r = primary.readWithStore(UA, ReadOptions.DEFAULT);
      r.batch().close();
      assertEquals("fallback", r.store().name());
      Map<String, Object> meta = primary.storeMetadata(UA, true);
      assertEquals("primary", meta.get("name"));
      assertEquals(primary.display(), meta.get("display"));
      @SuppressWarnings("unchecked")
      Map<String, Object> from = (Map<String, Object>) meta.get("resolved_from");
      assertEquals("fallback", from.get("name"));
      assertEquals(fallback.getClass().getName(), from.get("type"));
      assertEquals("upstream__a", from.get("table_name"));
      assertFalse(primary.storeMetadata(UA, false).containsKey("resolved_from"));
      write(primary, UA, row("sample_uid", 7L, "metaxy_provenance_by_field", pbf("default", "x")));
      @SuppressWarnings("unchecked")
      Map<String, Object> now =
          (Map<String, Object>) primary.storeMetadata(UA, true).get("resolved_from");
      assertEquals("primary", now.get("name"));
      assertTrue(primary.toString().startsWith("[primary] "));
    }
  }

  @Test
  void s18_nullTypedSystemColumnsAreCast() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot base = batch(allocator, rootRows("1", "h1", "2", "h2"))) {
      List<FieldVector> vs = new ArrayList<>();
      for (FieldVector v : base.getFieldVectors()) {
        vs.add(ArrowBatches.copyColumn(v, v.getName(), allocator));
      }
      for (String c : List.of(
          "metaxy_provenance",
          "metaxy_feature_version",
          "metaxy_project_version",
          "metaxy_data_version",
          "metaxy_created_at",
          "metaxy_materialization_id")) {
        NullVector nv = new NullVector(c);
        nv.setValueCount(2);
        vs.add(nv);
      }
      try (VectorSchemaRoot b = ArrowBatches.of(vs, 2)) {
        s.write(R, b);
      }
      try (VectorSchemaRoot r = s.read(R)) {
        assertEquals(2, r.getRowCount());
        for (String c : List.of(
            "metaxy_provenance",
            "metaxy_feature_version",
            "metaxy_project_version",
            "metaxy_data_version",
            "metaxy_materialization_id")) {
          assertEquals(Utf8.INSTANCE, r.getVector(c).getField().getType(), c);
        }
        assertTrue(r.getVector("metaxy_created_at").getField().getType() instanceof Timestamp);
        assertEquals(s.featureVersion(R), cell(r, "metaxy_feature_version", 0));
        assertNotNull(cell(r, "metaxy_created_at", 0), "null created_at cells get the write time");
      }
    }
  }

  @Test
  void s58_renameAndSelectUnderAggregationAnd59_globalFilterOnSelectedColumn() {
    FeatureDep dep = new FeatureDep(
        FeatureKey.of("director_notes"),
        List.of("dataset", "director_notes_type", "text_path", "text_size", "chunk_id"),
        Map.of("path", "text_path", "size", "text_size"),
        FieldsMapping.DEFAULT,
        null,
        new Lineage.Aggregation(List.of("chunk_id")),
        false);
    FeatureGraph g = FeatureGraph.of(List.of(
        def(FeatureSpec.builder("director_notes", "director_notes_id").build()),
        def(FeatureSpec.builder("chunks", "chunk_id").dep(dep).build())));
    MetadataStore s = store(StoreOptions.of(g));
    FeatureKey notes = FeatureKey.of("director_notes");
    try (var scope = s.open(AccessMode.WRITE)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      String[] datasets = {"ds_a", "ds_a", "ds_a", "ds_b", "ds_b", "ds_b"};
      String[] chunks = {"g1", "g1", "g2", "g1", "g2", "g2"};
      for (int i = 0; i < 6; i++) {
        rows.add(row(
            "director_notes_id",
            "i" + (i + 1),
            "dataset",
            datasets[i],
            "director_notes_type",
            "t",
            "path",
            "/p" + i,
            "size",
            (long) i,
            "chunk_id",
            chunks[i],
            "extra",
            "x",
            "metaxy_provenance_by_field",
            pbf("default", "h" + i)));
      }
      write(s, notes, rows);
      try (Increment inc = s.resolveUpdate(FeatureKey.of("chunks"))) {
        List<String> cols = ArrowBatches.names(inc.newSamples());
        assertTrue(
            cols.containsAll(
                List.of("chunk_id", "dataset", "director_notes_type", "text_path", "text_size")),
            cols.toString());
        assertFalse(cols.contains("extra"));
        assertFalse(cols.contains("path"));
        assertEquals(
            6, inc.newSamples().getRowCount(), "aggregation keeps one row per upstream row");
      }
      try (Increment inc = s.resolveUpdate(
          FeatureKey.of("chunks"),
          ResolveOptions.DEFAULT.globalFilters(RowFilter.eq("dataset", "ds_a")))) {
        assertEquals(List.of("ds_a", "ds_a", "ds_a"), sorted(inc.newSamples(), "dataset"));
        assertEquals(List.of("g1", "g1", "g2"), sorted(inc.newSamples(), "chunk_id"));
      }
    }
  }

  // ------------------------------------------------------------------ scenario 19: missing-column
  // warning

  @Test
  void s19_missingProvenanceWarnsOnlyForNonRootFeatures() {
    MetadataStore s = store();
    List<StoreWarning> warnings = new ArrayList<>();
    Consumer<StoreWarning> listener = warnings::add;
    s.addWarningListener(listener);
    try (var scope = s.open(AccessMode.WRITE)) {
      write(s, R, rootRows("1", "h1", "2", "h2"));
      assertEquals(List.of(), warnings, "a root feature written with only pbf");
      try (Increment inc = s.resolveUpdate(D)) {
        s.write(D, inc.newSamples());
      }
      assertEquals(List.of(), warnings, "a non-root feature written with pbf and provenance");
      write(s, D, row("sample_uid", 3L, "metaxy_provenance_by_field", pbf("result", "r3")));
      assertEquals(1, warnings.size(), "a non-root feature written with pbf only: " + warnings);
      StoreWarning w = warnings.get(0);
      assertEquals(StoreWarning.Kind.COLUMN_MISSING, w.kind());
      assertEquals(D, w.feature());
      assertEquals("metaxy_provenance", w.column());
      assertTrue(
          w.message().contains("'metaxy_provenance'") && w.message().contains("down"), w.message());
      try (VectorSchemaRoot r = s.read(D)) {
        assertNotNull(
            cell(r, "metaxy_provenance", rowOf(r, "sample_uid", 3L)),
            "the provenance was computed");
      }
      s.removeWarningListener(listener);
      write(s, D, row("sample_uid", 4L, "metaxy_provenance_by_field", pbf("result", "r4")));
      assertEquals(1, warnings.size(), "a removed listener hears nothing");
    }
  }

  // ------------------------------------------------------------------ computeProvenance (spec
  // §1.8)

  @Test
  void computeProvenance_handJoinedRowsMatchResolveUpdate() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE)) {
      writeThreeRoots(s);
      try (Increment inc = s.resolveUpdate(D);
          VectorSchemaRoot up = s.read(
              R,
              ReadOptions.DEFAULT.columns("sample_uid", "path", "metaxy_data_version_by_field"));
          VectorSchemaRoot joined = ArrowBatches.of(
              List.of(
                  ArrowBatches.copyColumn(up.getVector("sample_uid"), "sample_uid", allocator),
                  ArrowBatches.copyColumn(up.getVector("path"), "path", allocator),
                  ArrowBatches.copyColumn(
                      up.getVector("metaxy_data_version_by_field"),
                      "metaxy_data_version_by_field__root",
                      allocator)),
              up.getRowCount());
          VectorSchemaRoot out = s.computeProvenance(D, joined)) {
        assertEquals(
            List.of(
                    "sample_uid",
                    "path",
                    "metaxy_provenance_by_field",
                    "metaxy_provenance",
                    "metaxy_data_version_by_field",
                    "metaxy_data_version")
                .stream()
                .sorted()
                .toList(),
            ArrowBatches.names(out).stream().sorted().toList(),
            "the renamed upstream column is dropped, others kept");
        VectorSchemaRoot expected = inc.newSamples();
        assertEquals(3, out.getRowCount());
        for (int i = 0; i < out.getRowCount(); i++) {
          Object id = cell(out, "sample_uid", i);
          int e = rowOf(expected, "sample_uid", id);
          for (String c : List.of(
              "metaxy_provenance_by_field",
              "metaxy_provenance",
              "metaxy_data_version_by_field",
              "metaxy_data_version")) {
            assertEquals(cell(expected, c, e), cell(out, c, i), c + " of sample " + id);
          }
          assertEquals("/" + id, cell(out, "path", i));
        }
        assertEquals(
            ArrowBatches.names(up).size(),
            ArrowBatches.names(joined).size(),
            "the input is left as it was");
        s.write(D, out);
      }
      try (Increment inc = s.resolveUpdate(D)) {
        assertTrue(inc.isEmpty(), "rows written with computed provenance are current");
      }
    }
  }

  @Test
  void computeProvenance_missingUpstreamColumnsAreNamed() {
    FeatureKey j = FeatureKey.of("joined");
    MetadataStore s = store(StoreOptions.of(graph(
        "1",
        def(FeatureSpec.builder("joined", "sample_uid")
            .dep("upstream/a")
            .dep("upstream/b")
            .build()))));
    try (VectorSchemaRoot rows = batch(
        allocator,
        row("sample_uid", 1L, "metaxy_data_version_by_field__upstream_a", pbf("default", "x")))) {
      assertThrows(StoreNotOpenException.class, () -> s.computeProvenance(j, rows));
      try (var scope = s.open(AccessMode.READ)) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> s.computeProvenance(j, rows));
        assertTrue(e.getMessage().contains("joined"), e.getMessage());
        assertTrue(
            e.getMessage().contains("[metaxy_data_version_by_field__upstream_b]"), e.getMessage());
        try (VectorSchemaRoot none = batch(allocator, row("sample_uid", 1L))) {
          IllegalArgumentException both =
              assertThrows(IllegalArgumentException.class, () -> s.computeProvenance(j, none));
          assertTrue(
              both.getMessage()
                  .contains(
                      "[metaxy_data_version_by_field__upstream_a, metaxy_data_version_by_field__upstream_b]"),
              both.getMessage());
        }
      }
    }
  }

  @Test
  void computeProvenance_rootFeatureAndForeignAllocator() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.READ);
        BufferAllocator foreign = new RootAllocator()) {
      try (VectorSchemaRoot rows =
              batch(foreign, List.of(row("sample_uid", 1L), row("sample_uid", 2L)));
          VectorSchemaRoot out = s.computeProvenance(R, rows)) {
        assertEquals(2, out.getRowCount());
        assertNotNull(cell(out, "metaxy_provenance", 0));
        assertEquals(
            cell(out, "metaxy_provenance", 0),
            cell(out, "metaxy_provenance", 1),
            "root: same for every row");
        assertEquals(
            cell(out, "metaxy_provenance_by_field", 0), cell(out, "metaxy_provenance_by_field", 1));
        rows.close();
        assertEquals(2L, cell(out, "sample_uid", 1), "the result outlives the caller's rows");
      }
    }
  }

  // ------------------------------------------------------------------ resolveSelection (spec
  // §1.16)

  private static FeatureDefinition otherProject(String key) {
    return FeatureDefinition.of(FeatureSpec.builder(key, "sample_uid").build(), "other", Map.of());
  }

  @Test
  void resolveSelection_latestDefinitionPerKeyByProjectsOrKeys() {
    FeatureDefinition o1 = otherProject("other/one");
    FeatureDefinition o2 = otherProject("other/two");
    MetadataStore s = store(StoreOptions.of(graph("1", o1, o2)));
    try (var scope = s.open(AccessMode.WRITE)) {
      SystemTables sys = new SystemTables(s);
      assertEquals(List.of(), sys.resolveSelection(FeatureSelection.all()), "nothing pushed yet");
      sys.pushGraphSnapshot("test", Map.of());
      sys.pushGraphSnapshot("other", Map.of());
      s.useGraph(graph("2", o1, o2));
      sys.pushGraphSnapshot("test", Map.of());

      List<FeatureDefinition> down = sys.resolveSelection(FeatureSelection.keys(D));
      assertEquals(1, down.size());
      assertEquals(D, down.get(0).spec().key());
      assertEquals(
          "2", down.get(0).spec().fields().get(0).codeVersion(), "the latest pushed definition");
      assertEquals("test", down.get(0).project());

      assertEquals(
          List.of(FeatureKey.of("other/one"), FeatureKey.of("other/two")),
          keysOf(sys.resolveSelection(FeatureSelection.projects("other"))));
      assertEquals(
          List.of(D, FeatureKey.of("other/one"), FeatureKey.of("other/two")),
          keysOf(sys.resolveSelection(FeatureSelection.projects("other")
              .or(FeatureSelection.keys(D, FeatureKey.of("never/pushed"))))),
          "projects and keys are OR-combined; an unknown key is omitted");
      assertEquals(
          List.of(), sys.resolveSelection(FeatureSelection.keys(FeatureKey.of("never/pushed"))));
      assertEquals(List.of(), sys.resolveSelection(FeatureSelection.projects("nope")));
      List<FeatureKey> all = keysOf(sys.resolveSelection(FeatureSelection.all()));
      assertEquals(s.graph().keys().size(), all.size());
      assertEquals(all.stream().sorted().toList(), all, "sorted by key");
      assertEquals(
          keysOf(sys.resolveSelection(FeatureSelection.projects("test"))),
          keysOf(sys.resolveSelection(FeatureSelection.projects("test", "test"))));
      assertThrows(IllegalArgumentException.class, () -> FeatureSelection.projects(new String[0]));
      assertEquals(List.of(), sys.resolveSelection(FeatureSelection.none()));
      assertEquals(
          keysOf(sys.resolveSelection(FeatureSelection.projects("other"))),
          keysOf(sys.resolveSelection(FeatureSelection.projects("test", "other")
              .minus(FeatureSelection.projects("test")))));
      assertEquals(
          List.of(D),
          keysOf(sys.resolveSelection(
              FeatureSelection.keys(D, FeatureKey.of("other/one")).and(FeatureSelection.keys(D)))));
    }
  }

  private static List<FeatureKey> keysOf(List<FeatureDefinition> defs) {
    return defs.stream().map(d -> d.spec().key()).toList();
  }

  // ------------------------------------------------------------------ BufferedMetadataWriter
  // through each store

  @Test
  void bufferedWriter_flushesQueuedBatchesThroughTheStore() {
    MetadataStore s = store();
    BufferedMetadataWriter w = new BufferedMetadataWriter(s, null, Duration.ofHours(1), 0);
    w.start();
    try (VectorSchemaRoot a = batch(allocator, rootRows("1", "h1", "2", "h2"));
        VectorSchemaRoot b = batch(allocator, rootRows("3", "h3"));
        VectorSchemaRoot t =
            batch(allocator, row("id", "x", "metaxy_provenance_by_field", pbf("default", "d")))) {
      w.put(R, a);
      w.put(T, t);
      w.put(R, b);
    }
    assertTrue(w.flush(Duration.ofSeconds(60)));
    assertEquals(Map.of(R, 3L, T, 1L), w.numWritten());
    try (VectorSchemaRoot more = batch(allocator, rootRows("4", "h4"))) {
      w.put(R, more);
    }
    w.stop();
    assertEquals(4L, w.numWritten(R));
    try (var scope = s.open(AccessMode.READ);
        VectorSchemaRoot r = s.read(R)) {
      assertEquals(List.of("1", "2", "3", "4"), sorted(r, "sample_uid"));
      Object first = cell(r, "metaxy_created_at", rowOf(r, "sample_uid", 1L));
      assertEquals(
          first,
          cell(r, "metaxy_created_at", rowOf(r, "sample_uid", 3L)),
          "batches of one flush: one write");
      assertNotEquals(first, cell(r, "metaxy_created_at", rowOf(r, "sample_uid", 4L)));
      assertEquals(1, count(s, T, ReadOptions.DEFAULT));
    }
  }

  // ------------------------------------------------------------------ the write contract (issue
  // 14)

  /** A feature with two fields and a declared schema: integer id, string label. */
  private static final FeatureKey TYPED = FeatureKey.of("typed");

  private static FeatureGraph contractGraph() {
    Map<String, Object> schema = Map.of(
        "properties",
        Map.of(
            "sample_uid", Map.of("type", "integer"),
            "label", Map.of("anyOf", List.of(Map.of("type", "string"), Map.of("type", "null")))));
    return graph(
        "1",
        FeatureDefinition.of(
            FeatureSpec.builder("typed", "sample_uid")
                .field("a", "1")
                .field("b", "1")
                .build(),
            "test",
            schema));
  }

  private int allRows(MetadataStore s, FeatureKey k) {
    return s.hasFeature(k)
        ? count(s, k, ReadOptions.DEFAULT.featureHistory().sampleHistory().softDeleted())
        : 0;
  }

  /** Asserts the write is refused with a message naming {@code what}, and that nothing was stored. */
  private void assertRefused(
      MetadataStore s,
      FeatureKey k,
      List<Map<String, Object>> rows,
      WriteOptions o,
      String... what) {
    int before = allRows(s, k);
    refused++;
    try (VectorSchemaRoot b = batch(allocator, rows)) {
      MetadataSchemaException e =
          assertThrows(MetadataSchemaException.class, () -> s.write(k, b, o));
      for (String w : what) {
        assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
      }
    }
    assertEquals(before, allRows(s, k), "nothing stored after a refused write to " + k);
  }

  private int refused;

  private void assertRefused(
      MetadataStore s, FeatureKey k, List<Map<String, Object>> rows, String... what) {
    assertRefused(s, k, rows, WriteOptions.DEFAULT, what);
  }

  private static Map<String, Object> typedRow(Object id, Object label, Map<String, String> pbf) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("sample_uid", id);
    r.put("label", label);
    r.put("metaxy_provenance_by_field", pbf);
    return r;
  }

  @Test
  void contract_badWritesAreRefusedAlikeAndStoreNothing() {
    MetadataStore s = store(StoreOptions.of(contractGraph()));
    try (var scope = s.open(AccessMode.WRITE)) {
      Map<String, String> ok = pbf("a", "x", "b", "y");
      // Declared types are enforced before the table exists.
      assertRefused(
          s,
          TYPED,
          List.of(typedRow("7", "l", ok)),
          "id column 'sample_uid'",
          "declared integer",
          "string");
      assertRefused(
          s, TYPED, List.of(typedRow(7L, 3L, ok)), "column 'label'", "declared string", "int64");
      assertFalse(s.hasFeature(TYPED), "a refused first write creates no table");
      write(s, TYPED, List.of(typedRow(1L, "one", ok), typedRow(2L, "two", ok)));
      assertEquals(2, allRows(s, TYPED));

      assertRefused(
          s,
          TYPED,
          List.of(typedRow(5L, "l", ok), typedRow(null, "l", ok)),
          "id column 'sample_uid'",
          "null in row 1");
      assertRefused(
          s,
          TYPED,
          List.of(typedRow(5L, "l", ok), typedRow(6L, "l", null)),
          "metaxy_provenance_by_field",
          "null in row 1");
      assertRefused(
          s,
          TYPED,
          List.of(typedRow(5L, "l", ok), typedRow(6L, "l", pbf("a", "x", "b", null))),
          "no value for field 'b' in row 1");
      assertRefused(
          s,
          TYPED,
          List.of(typedRow(5L, "l", pbf("a", "x", "b", "y", "c", "z"))),
          "field 'c'",
          "does not declare");
      assertRefused(s, TYPED, List.of(typedRow(5L, "l", pbf("a", "x"))), "declared field 'b'");
      assertRefused(
          s,
          TYPED,
          List.of(typedRow(5L, "l", ok), typedRow(6L, "l", ok), typedRow(5L, "m", ok)),
          "rows 0 and 2",
          "sample_uid");
      // The table's types hold for features without a declared schema too.
      write(s, R, rootRows("1", "h1"));
      assertRefused(
          s,
          R,
          List.of(row("sample_uid", "2", "metaxy_provenance_by_field", pbf("value", "h"))),
          "id column 'sample_uid'",
          "int64 in the stored table",
          "string in the batch");
      write(
          s,
          R,
          List.of(
              row("sample_uid", 3L, "note", "n", "metaxy_provenance_by_field", pbf("value", "h"))));
      assertRefused(
          s,
          R,
          List.of(
              row("sample_uid", 4L, "note", 9L, "metaxy_provenance_by_field", pbf("value", "h"))),
          "column 'note'",
          "string in the stored table",
          "int64 in the batch");
      // A preserved version is never swapped silently.
      assertRefused(
          s,
          TYPED,
          List.of(row(
              "sample_uid", 9L, "metaxy_feature_version", "v0", "metaxy_provenance_by_field", ok)),
          new WriteOptions(null, true),
          "metaxy_project_version");
      // A store in READ mode for an unknown column in a filter: the same error everywhere, no SQL
      // text.
      FilterEvaluationException f = assertThrows(
          FilterEvaluationException.class,
          () -> s.read(
              TYPED,
              ReadOptions.DEFAULT.filters(List.of(RowFilter.of(Filters.parse("nope = 1"))))));
      assertTrue(
          f.getMessage().contains("\"nope\"") && f.getMessage().contains("typed"), f.getMessage());
      // A value the database cannot compare or cast: the JVM evaluator's error, not the database's
      // text.
      f = assertThrows(
          FilterEvaluationException.class,
          () -> s.read(
              TYPED,
              ReadOptions.DEFAULT.filters(
                  List.of(RowFilter.of(Filters.parse("sample_uid = 'abc'"))))));
      assertTrue(
          f.getMessage().contains("sample_uid")
              && !f.getMessage().toLowerCase(Locale.ROOT).contains("error:"),
          f.getMessage());
      // A read of a column the feature lacks fails naming it, and keeps no memory (the allocator's
      // close after each test would report a leak).
      RuntimeException c = assertThrows(
          RuntimeException.class,
          () -> s.read(TYPED, ReadOptions.DEFAULT.columns("sample_uid", "nope")));
      assertTrue(c.getMessage().contains("nope"), c.getMessage());
      assertEquals(2, allRows(s, TYPED));
    }
    System.out.println("reliability bad-writes " + s.getClass().getSimpleName() + ": " + refused
        + " bad batches refused, 0 rows stored by them, 3 bad reads refused");
  }

  @Test
  void contract_writeMultiStoresAllOrNothing() {
    MetadataStore s = store();
    try (var scope = s.open(AccessMode.WRITE);
        VectorSchemaRoot r = batch(allocator, rootRows("1", "h1"));
        VectorSchemaRoot bad = batch(
            allocator,
            List.of(
                row("sample_uid", 1L, "metaxy_provenance_by_field", pbf("result", "x")),
                row("sample_uid", 1L, "metaxy_provenance_by_field", pbf("result", "y"))))) {
      assertThrows(MetadataSchemaException.class, () -> s.writeMulti(Map.of(R, r, D, bad), null));
      assertFalse(s.hasFeature(R), "the valid batch of a refused writeMulti is not stored");
    }
  }

  @Test
  void contract_oneStoreFromManyThreads() throws Exception {
    MetadataStore s = store();
    int threads = 4;
    int batches = 5;
    int rows = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    try (var scope = s.open(AccessMode.WRITE)) {
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean writing = new AtomicBoolean(true);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int b = 0; b < batches; b++) {
            List<Map<String, Object>> rs = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
              long id = ((long) thread * batches + b) * rows + i;
              rs.add(row("sample_uid", id, "metaxy_provenance_by_field", pbf("value", "h" + id)));
            }
            // The table does not exist yet: the first appends race to create it.
            write(s, R, rs);
          }
          return null;
        }));
      }
      Future<?> reader = pool.submit(() -> {
        start.await();
        while (writing.get()) {
          if (s.hasFeature(R)) {
            try (VectorSchemaRoot r = s.read(R);
                Increment inc = s.resolveUpdate(D)) {
              assertEquals(0, r.getRowCount() % rows, "a read sees whole batches only");
              assertEquals(
                  0, inc.newSamples().getRowCount() % rows, "a resolve sees whole batches only");
            }
          }
        }
        return null;
      });
      start.countDown();
      for (var f : done) {
        try {
          f.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
          failures.add(e.getCause());
        }
      }
      writing.set(false);
      try {
        reader.get(5, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        failures.add(e.getCause());
      }
      assertEquals(List.of(), failures);
      try (VectorSchemaRoot r = s.read(R)) {
        assertEquals(threads * batches * rows, r.getRowCount());
        assertEquals(threads * batches * rows, new HashSet<>(sorted(r, "sample_uid")).size());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
