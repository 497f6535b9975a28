package io.metaxy.engine;

import static io.metaxy.engine.Batches.row;
import static io.metaxy.engine.Batches.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldsMapping;
import io.metaxy.spec.Lineage;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VersioningEngineTest {
  private static final FeatureKey UP = FeatureKey.of("up");
  private static final FeatureKey OTHER = FeatureKey.of("other");
  private static final FeatureKey DOWN = FeatureKey.of("down");

  private final BufferAllocator allocator = new RootAllocator();
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    // Fails the test if anything the engine allocated was not released.
    allocator.close();
  }

  private <T extends AutoCloseable> T track(T t) {
    open.add(t);
    return t;
  }

  private static String h(String s) {
    return Truncation.DEFAULT.apply(HashAlgorithm.XXHASH64.hash(s));
  }

  private static FeatureDefinition def(FeatureSpec spec) {
    return new FeatureDefinition(spec, "test", Map.of(), false, Map.of(), null);
  }

  private static FeatureSpec root(String key, String... fields) {
    FeatureSpec.Builder b = FeatureSpec.builder(key, "sample_uid");
    for (String f : fields) {
      b.field(f, "1");
    }
    return b.build();
  }

  private static FeatureDep dep(FeatureKey k, Lineage lineage, boolean optional) {
    return new FeatureDep(k, null, null, FieldsMapping.DEFAULT, null, lineage, optional);
  }

  private VersioningEngine engine(FeatureSpec... specs) {
    List<FeatureDefinition> defs = new ArrayList<>();
    for (FeatureSpec s : specs) {
      defs.add(def(s));
    }
    return new VersioningEngine(
        FeatureGraph.of(defs), HashAlgorithm.XXHASH64, Truncation.DEFAULT, allocator);
  }

  private VectorSchemaRoot batch(List<Map<String, Object>> rows) {
    return track(Batches.of(allocator, rows));
  }

  private static Map<String, Object> up(long id, String a, String b) {
    return row(
        "sample_uid",
        id,
        "path",
        "p" + id,
        "metaxy_provenance_by_field",
        struct("a", a, "b", b),
        "metaxy_provenance",
        "pv" + id,
        "metaxy_data_version_by_field",
        struct("a", a, "b", b),
        "metaxy_data_version",
        "dv" + id,
        "metaxy_feature_version",
        "fv");
  }

  private VersioningEngine simple() {
    return engine(
        root("up", "a", "b"),
        FeatureSpec.builder("down", "sample_uid").dep("up").field("x", "1").build());
  }

  @Test
  void identityProvenanceFollowsTheRecipe() {
    VersioningEngine e = simple();
    VectorSchemaRoot u = batch(List.of(up(1, "a1", "b1"), up(2, "a2", null)));
    VectorSchemaRoot out = track(e.expected(DOWN, Map.of(UP, u)));
    assertEquals(
        List.of(
            "sample_uid",
            "path",
            "metaxy_provenance_by_field",
            "metaxy_provenance",
            "metaxy_data_version_by_field",
            "metaxy_data_version"),
        ProvenanceColumns.columnNames(out));
    List<Map<String, Object>> rows = Batches.rows(out);
    String x1 = h("x|1|up.a|a1|up.b|b1");
    assertEquals(
        row(
            "sample_uid",
            1L,
            "path",
            "p1",
            "metaxy_provenance_by_field",
            struct("x", x1),
            "metaxy_provenance",
            h(x1),
            "metaxy_data_version_by_field",
            struct("x", x1),
            "metaxy_data_version",
            h(x1)),
        rows.get(0));
    // A null parent value of a required dependency makes the field and the sample provenance null.
    assertEquals(struct("x", null), rows.get(1).get("metaxy_provenance_by_field"));
    assertNull(rows.get(1).get("metaxy_provenance"));
  }

  @Test
  void resultOutlivesTheInputBatches() {
    VersioningEngine e = simple();
    VectorSchemaRoot u = Batches.of(allocator, List.of(up(7, "a", "b")));
    VectorSchemaRoot out = track(e.expected(DOWN, Map.of(UP, u)));
    u.close();
    assertEquals(List.of(7L), Batches.column(out, "sample_uid"));
    assertEquals(List.of("p7"), Batches.column(out, "path"));
  }

  @Test
  void inputsFromAnotherRootAllocatorAreCopied() {
    VersioningEngine e = simple();
    try (BufferAllocator other = new RootAllocator()) {
      try (VectorSchemaRoot u = Batches.of(other, List.of(up(3, "a", "b")))) {
        VectorSchemaRoot out = track(e.expected(DOWN, Map.of(UP, u)));
        assertEquals(List.of(3L), Batches.column(out, "sample_uid"));
      }
      // Closing "other" here would fail if the result still held its buffers.
    }
  }

  @Test
  void diffSplitsNewStaleAndOrphaned() {
    VersioningEngine e = simple();
    VectorSchemaRoot u =
        batch(List.of(up(1, "a", "b"), up(2, "a", "b"), up(3, "a", "b"), up(4, "a", "b")));
    VectorSchemaRoot exp = track(e.expected(DOWN, Map.of(UP, u)));
    String p = (String) Batches.column(exp, "metaxy_provenance").get(0);
    VectorSchemaRoot cur = batch(List.of(
        row("sample_uid", 1L, "metaxy_provenance", p, "note", "same"),
        row("sample_uid", 2L, "metaxy_provenance", "old", "note", "changed"),
        row("sample_uid", 3L, "metaxy_provenance", null, "note", "null provenance"),
        row("sample_uid", 9L, "metaxy_provenance", "gone", "note", "orphan")));
    IncrementBatches inc = track(e.diff(DOWN, exp, cur));
    assertEquals(List.of(4L), Batches.column(inc.newRows(), "sample_uid"));
    assertEquals(Set.of(2L, 3L), new HashSet<>(Batches.column(inc.stale(), "sample_uid")));
    // Stale rows carry the new provenance and the expected columns.
    assertEquals(List.of(p, p), Batches.column(inc.stale(), "metaxy_provenance"));
    assertEquals(ProvenanceColumns.columnNames(exp), ProvenanceColumns.columnNames(inc.stale()));
    assertEquals(
        Batches.column(inc.stale(), "metaxy_provenance"),
        Batches.column(inc.stale(), "metaxy_data_version"));
    assertEquals(
        Batches.column(inc.stale(), "metaxy_provenance_by_field"),
        Batches.column(inc.stale(), "metaxy_data_version_by_field"));
    // Data versions equal the provenance, so the increments share the provenance buffers for them.
    assertEquals(
        inc.stale().getVector("metaxy_provenance").getDataBuffer().memoryAddress(),
        inc.stale().getVector("metaxy_data_version").getDataBuffer().memoryAddress());
    assertEquals(
        List.of(row("sample_uid", 9L, "metaxy_provenance", "gone", "note", "orphan")),
        Batches.rows(inc.orphaned()));
  }

  @Test
  void diffWithoutCurrentRowsMakesEverythingNew() {
    VersioningEngine e = simple();
    VectorSchemaRoot exp =
        track(e.expected(DOWN, Map.of(UP, batch(List.of(up(1, "a", "b"), up(2, "a", "b"))))));
    IncrementBatches inc = track(e.diff(DOWN, exp, null));
    assertEquals(2, inc.newRows().getRowCount());
    assertEquals(0, inc.stale().getRowCount());
    assertEquals(0, inc.orphaned().getRowCount());
  }

  @Test
  void nullKeysNeverMatch() {
    VersioningEngine e = engine(
        root("up", "a"),
        FeatureSpec.builder("down", "sample_uid").dep("up").field("x", "1").build());
    VectorSchemaRoot exp = batch(List.of(
        row("sample_uid", null, "metaxy_provenance", "p"),
        row("sample_uid", 1L, "metaxy_provenance", "p")));
    VectorSchemaRoot cur = batch(List.of(
        row("sample_uid", null, "metaxy_provenance", "p"),
        row("sample_uid", 1L, "metaxy_provenance", "p")));
    IncrementBatches inc = track(e.diff(DOWN, exp, cur));
    assertEquals(Arrays.asList((Object) null), Batches.column(inc.newRows(), "sample_uid"));
    assertEquals(0, inc.stale().getRowCount());
    assertEquals(Arrays.asList((Object) null), Batches.column(inc.orphaned(), "sample_uid"));
  }

  @Test
  void requiredDepsInnerJoinOptionalDepsContributeEmptyStrings() {
    FeatureSpec down = FeatureSpec.builder("down", "sample_uid")
        .dep(dep(UP, Lineage.IDENTITY, false))
        .dep(dep(OTHER, Lineage.IDENTITY, true))
        .field("x", "1")
        .build();
    VersioningEngine e = engine(root("up", "a"), root("other", "o"), down);
    VectorSchemaRoot u = batch(List.of(
        row("sample_uid", 1L, "metaxy_data_version_by_field", struct("a", "a1")),
        row("sample_uid", 2L, "metaxy_data_version_by_field", struct("a", "a2"))));
    VectorSchemaRoot o = batch(List.of(
        row("sample_uid", 1L, "metaxy_data_version_by_field", struct("o", "o1")),
        row("sample_uid", 3L, "metaxy_data_version_by_field", struct("o", "o3"))));
    VectorSchemaRoot out = track(e.expected(DOWN, Map.of(UP, u, OTHER, o)));
    List<Map<String, Object>> rows = Batches.rows(out);
    assertEquals(2, rows.size());
    assertEquals(List.of(1L, 2L), Batches.column(out, "sample_uid"));
    assertEquals(
        struct("x", h("x|1|other.o|o1|up.a|a1")), rows.get(0).get("metaxy_provenance_by_field"));
    assertEquals(
        struct("x", h("x|1|other.o||up.a|a2")), rows.get(1).get("metaxy_provenance_by_field"));
    // An absent optional upstream batch behaves like an empty one.
    VectorSchemaRoot alone = track(e.expected(DOWN, Map.of(UP, u)));
    assertEquals(
        struct("x", h("x|1|other.o||up.a|a1")),
        Batches.rows(alone).get(0).get("metaxy_provenance_by_field"));
  }

  @Test
  void allOptionalDepsFullJoinWithCoalescedIds() {
    FeatureSpec down = FeatureSpec.builder("down", "sample_uid")
        .dep(dep(UP, Lineage.IDENTITY, true))
        .dep(dep(OTHER, Lineage.IDENTITY, true))
        .field("x", "1")
        .build();
    VersioningEngine e = engine(root("up", "a"), root("other", "o"), down);
    VectorSchemaRoot u =
        batch(List.of(row("sample_uid", 1L, "metaxy_data_version_by_field", struct("a", "a1"))));
    VectorSchemaRoot o =
        batch(List.of(row("sample_uid", 2L, "metaxy_data_version_by_field", struct("o", "o2"))));
    VectorSchemaRoot out = track(e.expected(DOWN, Map.of(UP, u, OTHER, o)));
    assertEquals(Set.of(1L, 2L), new HashSet<>(Batches.column(out, "sample_uid")));
    Set<Object> hashes = new HashSet<>(Batches.column(out, "metaxy_provenance_by_field"));
    assertEquals(
        Set.of(struct("x", h("x|1|other.o||up.a|a1")), struct("x", h("x|1|other.o|o2|up.a|"))),
        hashes);
  }

  @Test
  void aggregationOrdersNumericallySkipsNullsAndKeepsRows() {
    FeatureSpec readings =
        FeatureSpec.builder("up", "sensor", "reading").field("t", "1").build();
    FeatureSpec down = FeatureSpec.builder("down", "sensor")
        .dep(dep(UP, new Lineage.Aggregation(List.of("sensor")), false))
        .field("avg", "1")
        .build();
    VersioningEngine e = engine(readings, down);
    VectorSchemaRoot u = batch(List.of(
        row("sensor", "s1", "reading", 10L, "metaxy_data_version_by_field", struct("t", "v10")),
        row("sensor", "s1", "reading", 3L, "metaxy_data_version_by_field", struct("t", "v3")),
        row("sensor", "s2", "reading", 1L, "metaxy_data_version_by_field", struct("t", "w1")),
        row("sensor", "s1", "reading", 1L, "metaxy_data_version_by_field", struct("t", null))));
    VectorSchemaRoot out = track(e.expected(DOWN, Map.of(UP, u)));
    assertEquals(4, out.getRowCount());
    String s1 = h("avg|1|up.t|" + h("v3|v10"));
    String s2 = h("avg|1|up.t|" + h("w1"));
    List<Object> sensors = Batches.column(out, "sensor");
    List<Object> byField = Batches.column(out, "metaxy_provenance_by_field");
    for (int i = 0; i < sensors.size(); i++) {
      assertEquals(
          struct("avg", sensors.get(i).equals("s1") ? s1 : s2), byField.get(i), "row " + i);
    }
  }

  @Test
  void expansionCollapsesCurrentChildRowsPerParent() {
    FeatureSpec video = FeatureSpec.builder("up", "video").field("frames", "1").build();
    FeatureSpec chunks = FeatureSpec.builder("down", "video", "chunk")
        .dep(dep(UP, new Lineage.Expansion(List.of("video"), null), false))
        .field("c", "1")
        .build();
    VersioningEngine e = engine(video, chunks);
    VectorSchemaRoot u = batch(List.of(
        row("video", "v1", "metaxy_data_version_by_field", struct("frames", "f1")),
        row("video", "v2", "metaxy_data_version_by_field", struct("frames", "f2"))));
    VectorSchemaRoot exp = track(e.expected(DOWN, Map.of(UP, u)));
    assertEquals(2, exp.getRowCount());
    String p1 = (String) Batches.column(exp, "metaxy_provenance").get(0);
    VectorSchemaRoot cur = batch(List.of(
        row("video", "v1", "chunk", 1L, "metaxy_provenance", p1),
        row("video", "v1", "chunk", 2L, "metaxy_provenance", p1),
        row("video", "v2", "chunk", 1L, "metaxy_provenance", null),
        row("video", "v2", "chunk", 2L, "metaxy_provenance", "old"),
        row("video", "v3", "chunk", 1L, "metaxy_provenance", "x", "note", null),
        row("video", "v3", "chunk", 2L, "metaxy_provenance", "x", "note", "second")));
    IncrementBatches inc = track(e.diff(DOWN, exp, cur));
    assertEquals(0, inc.newRows().getRowCount());
    assertEquals(List.of("v2"), Batches.column(inc.stale(), "video"));
    // One orphaned row per parent, each column its first non-null value among the parent's rows.
    assertEquals(
        List.of(row("video", "v3", "chunk", 1L, "metaxy_provenance", "x", "note", "second")),
        Batches.rows(inc.orphaned()));
  }

  @Test
  void renameAndSelectApplyBeforeTheJoin() {
    FeatureSpec up = FeatureSpec.builder("up", "vid").field("a", "1").build();
    FeatureSpec down = FeatureSpec.builder("down", "id")
        .dep(new FeatureDep(
            UP,
            List.of("label"),
            Map.of("vid", "id", "name", "label"),
            FieldsMapping.DEFAULT,
            null,
            Lineage.IDENTITY,
            false))
        .field("x", "1")
        .build();
    VersioningEngine e = engine(up, down);
    VectorSchemaRoot u = batch(List.of(row(
        "vid", 5L, "name", "n5", "size", 3L, "metaxy_data_version_by_field", struct("a", "a5"))));
    VectorSchemaRoot out = track(e.expected(DOWN, Map.of(UP, u)));
    assertEquals(
        List.of(
            "label",
            "id",
            "metaxy_provenance_by_field",
            "metaxy_provenance",
            "metaxy_data_version_by_field",
            "metaxy_data_version"),
        ProvenanceColumns.columnNames(out));
    assertEquals(
        row("label", "n5", "id", 5L),
        Map.of(
            "label",
            Batches.rows(out).get(0).get("label"),
            "id",
            Batches.rows(out).get(0).get("id")));
  }

  @Test
  void badInputIsNamed() {
    VersioningEngine e = simple();
    MetaxyException root = assertThrows(MetaxyException.class, () -> e.expected(UP, Map.of()));
    assertTrue(root.getMessage().contains("root feature"), root.getMessage());
    MetaxyException missing = assertThrows(MetaxyException.class, () -> e.expected(DOWN, Map.of()));
    assertTrue(missing.getMessage().contains("upstream up"), missing.getMessage());
    VectorSchemaRoot noDv = batch(List.of(row("sample_uid", 1L, "metaxy_provenance", "p")));
    MetaxyException dv =
        assertThrows(MetaxyException.class, () -> e.expected(DOWN, Map.of(UP, noDv)));
    assertTrue(
        dv.getMessage().contains("metaxy_data_version_by_field")
            && dv.getMessage().contains("upstream up"),
        dv.getMessage());
    VectorSchemaRoot noField =
        batch(List.of(row("sample_uid", 1L, "metaxy_data_version_by_field", struct("a", "x"))));
    MetaxyException field =
        assertThrows(MetaxyException.class, () -> e.expected(DOWN, Map.of(UP, noField)));
    assertTrue(field.getMessage().contains("no field 'b'"), field.getMessage());
    VectorSchemaRoot exp = batch(List.of(row("sample_uid", 1L, "metaxy_provenance", "p")));
    VectorSchemaRoot noId = batch(List.of(row("other_id", 1L, "metaxy_provenance", "p")));
    MetaxyException id = assertThrows(MetaxyException.class, () -> e.diff(DOWN, exp, noId));
    assertTrue(
        id.getMessage().contains("'sample_uid'") && id.getMessage().contains("current rows"),
        id.getMessage());
  }

  @Test
  void userColumnCollisionsAreRejected() {
    FeatureSpec down = FeatureSpec.builder("down", "sample_uid")
        .dep("up")
        .dep("other")
        .field("x", "1")
        .build();
    VersioningEngine e = engine(root("up", "a"), root("other", "o"), down);
    VectorSchemaRoot u = batch(List.of(
        row("sample_uid", 1L, "path", "u", "metaxy_data_version_by_field", struct("a", "a"))));
    VectorSchemaRoot o = batch(List.of(
        row("sample_uid", 1L, "path", "o", "metaxy_data_version_by_field", struct("o", "o"))));
    MetaxyException ex =
        assertThrows(MetaxyException.class, () -> e.expected(DOWN, Map.of(UP, u, OTHER, o)));
    assertTrue(ex.getMessage().contains("'path'"), ex.getMessage());
  }

  @Test
  void manyRowsSpanSeveralChunksInOrder() {
    VersioningEngine e = simple();
    int n = Parallel.MIN_CHUNK * 3 + 17;
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(up(i, "a" + i, i % 1000 == 0 ? null : "b" + (i % 7)));
    }
    VectorSchemaRoot out = track(e.expected(DOWN, Map.of(UP, batch(rows))));
    List<Object> ids = Batches.column(out, "sample_uid");
    List<Object> prov = Batches.column(out, "metaxy_provenance");
    for (int i = 0; i < n; i++) {
      assertEquals((long) i, ids.get(i));
      String expected = i % 1000 == 0 ? null : h(h("x|1|up.a|a" + i + "|up.b|b" + (i % 7)));
      assertEquals(expected, prov.get(i), "row " + i);
    }
    // Diff against itself: nothing changes.
    IncrementBatches inc = track(e.diff(DOWN, out, out));
    assertEquals(0, inc.newRows().getRowCount());
    assertEquals(n / 1000 + 1, inc.stale().getRowCount()); // the null-provenance rows
    assertEquals(0, inc.orphaned().getRowCount());
  }

  @Test
  void computeProvenanceUsesSuffixedDataVersionColumns() {
    VersioningEngine e = simple();
    VectorSchemaRoot in = batch(List.of(row(
        "sample_uid",
        1L,
        "extra",
        "e",
        "metaxy_provenance_by_field__up",
        struct("a", "pa", "b", "pb"),
        "metaxy_data_version_by_field__up",
        struct("a", "da", "b", "db"),
        "metaxy_data_version__up",
        "dv")));
    VectorSchemaRoot out = track(e.computeProvenance(DOWN, in));
    assertEquals(
        List.of(
            "sample_uid",
            "extra",
            "metaxy_data_version__up",
            "metaxy_provenance_by_field",
            "metaxy_provenance",
            "metaxy_data_version_by_field",
            "metaxy_data_version"),
        ProvenanceColumns.columnNames(out));
    String x = h("x|1|up.a|da|up.b|db");
    assertEquals(List.of(h(x)), Batches.column(out, "metaxy_provenance"));
    VectorSchemaRoot bad = batch(List.of(row("sample_uid", 1L)));
    MetaxyException ex = assertThrows(MetaxyException.class, () -> e.computeProvenance(DOWN, bad));
    assertTrue(ex.getMessage().contains("metaxy_data_version_by_field__up"), ex.getMessage());
  }

  @Test
  void computeProvenanceOfARootFeatureDependsOnlyOnItsFields() {
    VersioningEngine e = simple();
    VectorSchemaRoot out = track(
        e.computeProvenance(UP, batch(List.of(row("sample_uid", 1L), row("sample_uid", 2L)))));
    String a = h("a|1");
    String b = h("b|1");
    assertEquals(
        List.of(struct("a", a, "b", b), struct("a", a, "b", b)),
        Batches.column(out, "metaxy_provenance_by_field"));
    assertEquals(List.of(h(a + "|" + b), h(a + "|" + b)), Batches.column(out, "metaxy_provenance"));
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void everyAlgorithmRendersThroughTheKernel(HashAlgorithm algorithm) {
    List<FeatureDefinition> defs = List.of(
        def(root("up", "a", "b")),
        def(FeatureSpec.builder("down", "sample_uid").dep("up").field("x", "1").build()));
    Truncation t = new Truncation(12);
    VersioningEngine e = new VersioningEngine(FeatureGraph.of(defs), algorithm, t, allocator);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(up(i, "a" + i, "b"));
    }
    VectorSchemaRoot out = track(e.expected(DOWN, Map.of(UP, batch(rows))));
    List<Object> prov = Batches.column(out, "metaxy_provenance");
    for (int i = 0; i < 50; i++) {
      String x = t.apply(algorithm.hash("x|1|up.a|a" + i + "|up.b|b"));
      assertEquals(t.apply(algorithm.hash(x)), prov.get(i), algorithm + " row " + i);
    }
  }

  @Test
  void emptyUpstreamOrphansEveryCurrentRow() {
    VersioningEngine e = simple();
    VectorSchemaRoot template = batch(List.of(up(1, "a", "b")));
    VectorSchemaRoot empty = track(VectorSchemaRoot.create(template.getSchema(), allocator));
    empty.allocateNew();
    empty.setRowCount(0);
    VectorSchemaRoot exp = track(e.expected(DOWN, Map.of(UP, empty)));
    assertEquals(0, exp.getRowCount());
    assertEquals(
        List.of(
            "sample_uid",
            "path",
            "metaxy_provenance_by_field",
            "metaxy_provenance",
            "metaxy_data_version_by_field",
            "metaxy_data_version"),
        ProvenanceColumns.columnNames(exp));
    VectorSchemaRoot cur = batch(List.of(
        row("sample_uid", 1L, "metaxy_provenance", "p"),
        row("sample_uid", 2L, "metaxy_provenance", "q")));
    IncrementBatches inc = track(e.diff(DOWN, exp, cur));
    assertEquals(0, inc.newRows().getRowCount());
    assertEquals(0, inc.stale().getRowCount());
    assertEquals(List.of(1L, 2L), Batches.column(inc.orphaned(), "sample_uid"));
  }

  @Test
  void fieldsWithTheSameParentsDifferOnlyInTheirHead() {
    VersioningEngine e = engine(
        root("up", "a", "b"),
        FeatureSpec.builder("down", "sample_uid")
            .dep("up")
            .field("y", "2")
            .field("x", "1")
            .build());
    VectorSchemaRoot out =
        track(e.expected(DOWN, Map.of(UP, batch(List.of(up(1, "a1", "b1"), up(2, "a2", null))))));
    String x = h("x|1|up.a|a1|up.b|b1");
    String y = h("y|2|up.a|a1|up.b|b1");
    assertEquals(
        Arrays.asList(struct("y", y, "x", x), struct("y", null, "x", null)),
        Batches.column(out, "metaxy_provenance_by_field"));
    // Sample provenance joins the field values in sorted struct-key order: x before y.
    assertEquals(Arrays.asList(h(x + "|" + y), null), Batches.column(out, "metaxy_provenance"));
  }

  /** Rows as a sorted list of their canonical strings, to compare results regardless of row order. */
  private static List<String> multiset(VectorSchemaRoot root) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> r : Batches.rows(root)) {
      out.add(new TreeMap<>(r).toString());
    }
    Collections.sort(out);
    return out;
  }

  @Test
  void sortedAndShuffledInputsGiveTheSameResults() {
    // Sorted ids take the merge paths, shuffled ones the hash paths; both must agree.
    FeatureSpec down = FeatureSpec.builder("down", "sample_uid")
        .dep(dep(UP, Lineage.IDENTITY, false))
        .dep(dep(OTHER, Lineage.IDENTITY, true))
        .field("x", "1")
        .build();
    FeatureSpec full = FeatureSpec.builder("full", "sample_uid")
        .dep(dep(UP, Lineage.IDENTITY, true))
        .dep(dep(OTHER, Lineage.IDENTITY, true))
        .field("x", "1")
        .build();
    VersioningEngine e = engine(root("up", "a"), root("other", "o"), down, full);
    Random random = new Random(42);
    List<Map<String, Object>> u = new ArrayList<>();
    List<Map<String, Object>> o = new ArrayList<>();
    List<Map<String, Object>> cur = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String id = String.format("id-%05d", i);
      if (i % 7 != 0) {
        u.add(row(
            "sample_uid",
            id,
            "metaxy_data_version_by_field",
            struct("a", "a" + random.nextInt(3))));
      }
      if (i % 5 != 0) {
        o.add(row(
            "sample_uid",
            id,
            "metaxy_data_version_by_field",
            struct("o", "o" + random.nextInt(3))));
      }
      if (i % 3 != 0) {
        cur.add(row(
            "sample_uid",
            id,
            "metaxy_provenance",
            random.nextBoolean() ? null : "p" + random.nextInt(2)));
      }
    }
    List<List<String>> results = new ArrayList<>();
    for (boolean shuffle : new boolean[] {false, true}) {
      List<Map<String, Object>> u2 = new ArrayList<>(u);
      List<Map<String, Object>> o2 = new ArrayList<>(o);
      List<Map<String, Object>> c2 = new ArrayList<>(cur);
      if (shuffle) {
        Collections.shuffle(u2, random);
        Collections.shuffle(o2, random);
        Collections.shuffle(c2, random);
      }
      Map<FeatureKey, VectorSchemaRoot> in = Map.of(UP, batch(u2), OTHER, batch(o2));
      VectorSchemaRoot exp = track(e.expected(DOWN, in));
      VectorSchemaRoot fullExp = track(e.expected(FeatureKey.of("full"), in));
      IncrementBatches inc = track(e.diff(DOWN, exp, batch(c2)));
      results.add(List.of(
          String.valueOf(multiset(exp)),
          String.valueOf(multiset(fullExp)),
          String.valueOf(multiset(inc.newRows())),
          String.valueOf(multiset(inc.stale())),
          String.valueOf(multiset(inc.orphaned()))));
      assertEquals(u.size(), exp.getRowCount());
      assertEquals(
          3000 - 3000 / 35 - 1, fullExp.getRowCount()); // ids missing from both: multiples of 35
    }
    assertEquals(results.get(0), results.get(1));
  }

  @Test
  void scrambledRowsWithDuplicateAndNullKeysGiveTheSameResultsAcrossChunks() {
    // Enough rows for several chunks and many prefetch blocks; duplicate and null keys keep every
    // order on the hash paths, where the scrambled copies read the other side through scattered row
    // mappings.
    FeatureSpec down = FeatureSpec.builder("down", "sample_uid")
        .dep(dep(UP, Lineage.IDENTITY, false))
        .dep(dep(OTHER, Lineage.IDENTITY, false))
        .field("x", "1")
        .build();
    VersioningEngine e = engine(root("up", "a", "b"), root("other", "o"), down);
    Random random = new Random(7);
    int n = 70_000;
    List<Map<String, Object>> u = new ArrayList<>();
    List<Map<String, Object>> o = new ArrayList<>();
    List<Map<String, Object>> cur = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Object id = i % 997 == 0 ? null : (Object) ("s" + i);
      u.add(row(
          "sample_uid",
          id,
          "metaxy_data_version_by_field",
          struct("a", i % 11 == 0 ? null : "a" + random.nextInt(5), "b", "b" + i)));
      if (i % 4 != 0) {
        o.add(row(
            "sample_uid",
            id,
            "metaxy_data_version_by_field",
            struct("o", "o" + random.nextInt(5))));
      }
      if (i % 13 == 0) {
        // A second stored row with the same id: both are compared (and both can be stale).
        o.add(row("sample_uid", id, "metaxy_data_version_by_field", struct("o", "dup" + i)));
      }
      if (i % 3 != 0) {
        cur.add(row(
            "sample_uid",
            id,
            "metaxy_provenance",
            random.nextInt(4) == 0 ? null : "p" + random.nextInt(2)));
      }
      if (i % 17 == 0) {
        cur.add(row("sample_uid", id, "metaxy_provenance", "again"));
      }
    }
    for (int i = 0; i < 500; i++) {
      cur.add(row("sample_uid", "gone" + i, "metaxy_provenance", "p0"));
    }
    List<List<String>> results = new ArrayList<>();
    int[] sizes = null;
    for (boolean shuffle : new boolean[] {false, true}) {
      List<Map<String, Object>> u2 = new ArrayList<>(u);
      List<Map<String, Object>> o2 = new ArrayList<>(o);
      List<Map<String, Object>> c2 = new ArrayList<>(cur);
      if (shuffle) {
        Collections.shuffle(u2, random);
        Collections.shuffle(o2, random);
        Collections.shuffle(c2, random);
      }
      VectorSchemaRoot exp = track(e.expected(DOWN, Map.of(UP, batch(u2), OTHER, batch(o2))));
      IncrementBatches inc = track(e.diff(DOWN, exp, batch(c2)));
      results.add(List.of(
          String.valueOf(multiset(exp)),
          String.valueOf(multiset(inc.newRows())),
          String.valueOf(multiset(inc.stale())),
          String.valueOf(multiset(inc.orphaned()))));
      int[] now = {
        exp.getRowCount(),
        inc.newRows().getRowCount(),
        inc.stale().getRowCount(),
        inc.orphaned().getRowCount()
      };
      if (sizes != null) {
        assertEquals(Arrays.toString(sizes), Arrays.toString(now));
      }
      sizes = now;
    }
    // Joined rows: non-null ids in both inputs, once more per duplicate in OTHER.
    int joined = 0;
    for (int i = 0; i < n; i++) {
      if (i % 997 != 0) {
        joined += (i % 4 != 0 ? 1 : 0) + (i % 13 == 0 ? 1 : 0);
      }
    }
    assertEquals(joined, sizes[0]);
    // Orphaned: the "gone" ids, current rows whose id is null, and ids with no joined row.
    int orphaned = 500;
    for (int i = 0; i < n; i++) {
      boolean hasJoined = i % 997 != 0 && (i % 4 != 0 || i % 13 == 0);
      int currentRows = (i % 3 != 0 ? 1 : 0) + (i % 17 == 0 ? 1 : 0);
      if (!hasJoined) {
        orphaned += currentRows;
      }
    }
    assertEquals(orphaned, sizes[3]);
    assertEquals(results.get(0), results.get(1));
  }

  @Test
  void upstreamsWithTheSameIdsInTheSameOrderJoinRowByRow() {
    // Same ids, same order on both sides: the join needs no row mapping; inner and full joins agree
    // with the hash path taken when one side is reversed.
    FeatureSpec inner = FeatureSpec.builder("down", "sample_uid")
        .dep("up")
        .dep("other")
        .field("x", "1")
        .build();
    FeatureSpec full = FeatureSpec.builder("full", "sample_uid")
        .dep(dep(UP, Lineage.IDENTITY, true))
        .dep(dep(OTHER, Lineage.IDENTITY, true))
        .field("x", "1")
        .build();
    VersioningEngine e = engine(root("up", "a"), root("other", "o"), inner, full);
    List<Map<String, Object>> u = new ArrayList<>();
    List<Map<String, Object>> o = new ArrayList<>();
    for (long i = 0; i < 200; i++) {
      u.add(row("sample_uid", i, "metaxy_data_version_by_field", struct("a", "a" + i)));
      o.add(row(
          "sample_uid",
          i,
          "metaxy_data_version_by_field",
          struct("o", i % 9 == 0 ? null : "o" + i)));
    }
    List<Map<String, Object>> reversed = new ArrayList<>(o);
    Collections.reverse(reversed);
    for (FeatureKey target : List.of(DOWN, FeatureKey.of("full"))) {
      VectorSchemaRoot same = track(e.expected(target, Map.of(UP, batch(u), OTHER, batch(o))));
      VectorSchemaRoot hashed =
          track(e.expected(target, Map.of(UP, batch(u), OTHER, batch(reversed))));
      assertEquals(200, same.getRowCount());
      assertEquals(multiset(hashed), multiset(same));
      assertEquals(
          h("x|1|other.o|o1|up.a|a1"),
          ((Map<?, ?>) Batches.rows(same).get(1).get("metaxy_provenance_by_field")).get("x"));
    }
  }
}
