package io.metaxy.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.SystemColumns;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import io.metaxy.store.spi.ByFieldLayout;
import io.metaxy.versioning.HashAlgorithm;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark at N = 1000: both implementations give the verified increment, with identical hashes at
 * md5; ours also at the store default xxhash32, on the store's default STRUCT layout and on MAP
 * ({@code enableMapDatatype}), whose templates really have that layout.
 */
class PaperBenchmarkSmokeTest {
  private static final int N = 1000;

  /** Templates are built once for the class: building them is most of this test's time. */
  @TempDir
  static Path templates;

  private final BufferAllocator allocator = new RootAllocator();

  @TempDir
  Path tmp;

  @BeforeAll
  static void buildTemplates() {
    for (Shape shape : Shape.values()) {
      for (Phase phase : Phase.values()) {
        Scenario sc = new Scenario(shape, N, phase, HashAlgorithm.MD5);
        Templates.prepare(sc, template(sc));
      }
      // The store default's templates, and xxhash32's on the MAP layout, as the driver builds them:
      // stale from new.
      for (ByFieldLayout layout : ByFieldLayout.values()) {
        Scenario fresh = new Scenario(shape, N, Phase.NEW, HashAlgorithm.XXHASH32, layout);
        Templates.prepare(fresh, template(fresh));
        Scenario stale = new Scenario(shape, N, Phase.STALE, HashAlgorithm.XXHASH32, layout);
        Templates.prepare(stale, template(stale), template(fresh));
      }
    }
  }

  private static Path template(Scenario sc) {
    return templates.resolve(sc.label() + ".duckdb");
  }

  @AfterEach
  void close() {
    allocator.close();
  }

  @Test
  void everyConfigurationVerifiesForBothImplementations() {
    for (Shape shape : Shape.values()) {
      for (Phase phase : Phase.values()) {
        Scenario sc = new Scenario(shape, N, phase, HashAlgorithm.MD5);
        Path t = template(sc);
        for (Implementation impl : Implementation.values()) {
          Path round = tmp.resolve("round.duckdb");
          // measure() throws unless the counts are the expected ones and all Arrow memory is
          // released.
          double s = PaperBenchmark.measure(sc, impl, t, round, allocator);
          assertTrue(s > 0, sc.label() + " " + impl.label());
        }
        if (phase == Phase.NEW) {
          // The same file measured as the stale phase must fail verification, for both
          // implementations.
          Scenario wrong = new Scenario(shape, N, Phase.STALE, HashAlgorithm.MD5);
          for (Implementation impl : Implementation.values()) {
            IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () ->
                    PaperBenchmark.measure(wrong, impl, t, tmp.resolve("wrong.duckdb"), allocator));
            assertTrue(
                e.getMessage().contains("returned new=" + N + " stale=0 orphaned=0"),
                e.getMessage());
          }
        }
      }
    }
  }

  @Test
  void floorScansTheLeastAndVerifiesTheResolveBesideIt() {
    for (Shape shape : Shape.values()) {
      for (Phase phase : Phase.values()) {
        Scenario sc = new Scenario(shape, N, phase, HashAlgorithm.MD5);
        List<Floor.Round> rounds =
            Floor.run(sc, template(sc), tmp.resolve("floor.duckdb"), Map.of(), 1);
        assertEquals(1, rounds.size(), sc.label());
        Floor.Round r = rounds.get(0);
        assertTrue(
            r.scanWall() > 0 && r.resolveWall() > 0 && r.scanCpu() >= 0 && r.resolveCpu() >= 0,
            r.toString());
      }
      List<String> queries = Floor.queries(new Scenario(shape, N, Phase.STALE, HashAlgorithm.MD5));
      assertEquals(shape.roots().size() + 1, queries.size());
      for (int i = 0; i < shape.roots().size(); i++) {
        assertTrue(
            queries
                .get(i)
                .endsWith("\"metaxy_data_version_by_field\" FROM \""
                    + shape.roots().get(i).tableName() + "\""),
            queries.get(i));
      }
      assertTrue(
          queries.get(shape.roots().size()).contains("\"metaxy_provenance\" FROM"),
          queries.toString());
    }
    // The resolve beside the scans is verified like a benchmark round.
    Scenario wrong = new Scenario(Shape.SIMPLE, N, Phase.STALE, HashAlgorithm.MD5);
    Path fresh = template(new Scenario(Shape.SIMPLE, N, Phase.NEW, HashAlgorithm.MD5));
    IllegalStateException e = assertThrows(
        IllegalStateException.class,
        () -> Floor.run(wrong, fresh, tmp.resolve("floor.duckdb"), Map.of(), 1));
    assertTrue(e.getMessage().contains("expected"), e.getMessage());
  }

  @Test
  void staleTemplateBuiltFromTheNewTemplateVerifies() {
    Scenario stale = new Scenario(Shape.SIMPLE, N, Phase.STALE, HashAlgorithm.MD5);
    Scenario fresh = new Scenario(Shape.SIMPLE, N, Phase.NEW, HashAlgorithm.MD5);
    Path t = tmp.resolve("from-new.duckdb");
    Templates.prepare(stale, t, template(fresh));
    for (Implementation impl : Implementation.values()) {
      PaperBenchmark.measure(stale, impl, t, tmp.resolve("round.duckdb"), allocator);
    }
    // The new-phase template it started from is unchanged: still N new samples.
    PaperBenchmark.measure(
        fresh, Implementation.METAXY, template(fresh), tmp.resolve("round.duckdb"), allocator);
    assertThrows(
        IllegalArgumentException.class, () -> Templates.prepare(fresh, t, template(fresh)));
  }

  @Test
  void oursAtTheStoreDefaultHashVerifies() {
    for (Shape shape : Shape.values()) {
      for (Phase phase : Phase.values()) {
        Scenario sc = new Scenario(shape, N, phase, HashAlgorithm.XXHASH32);
        // Throws unless the counts are the expected ones and all Arrow memory is released.
        PaperBenchmark.measure(
            sc, Implementation.METAXY, template(sc), tmp.resolve("round.duckdb"), allocator);
      }
      // The algorithm really reaches the store: read at md5, every leaf row written at xxhash32 is
      // stale.
      Scenario xx = new Scenario(shape, N, Phase.STALE, HashAlgorithm.XXHASH32);
      Scenario md5 = new Scenario(shape, N, Phase.STALE, HashAlgorithm.MD5);
      IllegalStateException e = assertThrows(
          IllegalStateException.class,
          () -> PaperBenchmark.measure(
              md5, Implementation.METAXY, template(xx), tmp.resolve("wrong.duckdb"), allocator));
      assertTrue(
          e.getMessage().contains("returned new=0 stale=" + N + " orphaned=0"), e.getMessage());
    }
  }

  @Test
  void oursOnTheMapLayoutVerifiesOnRealMapTemplates() {
    for (Shape shape : Shape.values()) {
      for (Phase phase : Phase.values()) {
        Scenario map = new Scenario(shape, N, phase, HashAlgorithm.XXHASH32, ByFieldLayout.MAP);
        Scenario struct = new Scenario(shape, N, phase, HashAlgorithm.XXHASH32);
        assertEquals(ByFieldLayout.MAP, columnLayout(template(map), shape), map.label());
        assertEquals(ByFieldLayout.STRUCT, columnLayout(template(struct), shape), struct.label());
        // Same counts as on STRUCT: measure() throws unless they are the expected ones and all
        // memory is released.
        PaperBenchmark.measure(
            map, Implementation.METAXY, template(map), tmp.resolve("round.duckdb"), allocator);
        // The layout check passes on the right layout and fails loudly on the other.
        Templates.checkLayout(template(map), shape, ByFieldLayout.MAP);
        Templates.checkLayout(template(struct), shape, ByFieldLayout.STRUCT);
        IllegalStateException notStruct = assertThrows(
            IllegalStateException.class,
            () -> Templates.checkLayout(template(map), shape, ByFieldLayout.STRUCT));
        assertTrue(
            notStruct.getMessage().contains("should have STRUCT by-field columns")
                && notStruct
                    .getMessage()
                    .contains("metaxy_provenance_by_field is MAP(VARCHAR, VARCHAR)"),
            notStruct.getMessage());
        IllegalStateException notMap = assertThrows(
            IllegalStateException.class,
            () -> Templates.checkLayout(template(struct), shape, ByFieldLayout.MAP));
        assertTrue(
            notMap.getMessage().contains("should have MAP by-field columns")
                && notMap.getMessage().contains("metaxy_provenance_by_field is STRUCT("),
            notMap.getMessage());
      }
    }
    // Through the driver's template path, the layout comes from the --hash item.
    Scenario fromOption = new Scenario(Shape.SIMPLE, N, Phase.NEW, Variant.parse("xxhash32:map"));
    assertEquals(
        template(
            new Scenario(Shape.SIMPLE, N, Phase.NEW, HashAlgorithm.XXHASH32, ByFieldLayout.MAP)),
        template(fromOption));
  }

  @Test
  void aMapStaleTemplateFromAStructNewTemplateFailsLoudly() {
    // Existing tables keep their layout, so this file would silently be STRUCT: the check must
    // catch it.
    Scenario mapStale =
        new Scenario(Shape.SIMPLE, N, Phase.STALE, HashAlgorithm.XXHASH32, ByFieldLayout.MAP);
    Path structNew = template(new Scenario(Shape.SIMPLE, N, Phase.NEW, HashAlgorithm.XXHASH32));
    IllegalStateException e = assertThrows(
        IllegalStateException.class,
        () -> Templates.prepare(mapStale, tmp.resolve("mixed.duckdb"), structNew));
    assertTrue(e.getMessage().contains("should have MAP by-field columns"), e.getMessage());
  }

  @Test
  @SuppressWarnings("try") // the scope keeps the store open for the resolve
  void oursComputesTheSameProvenanceOnBothLayouts() {
    for (Shape shape : Shape.values()) {
      Map<ByFieldLayout, Map<Long, String>> prov = new TreeMap<>();
      Map<ByFieldLayout, Map<Long, String>> byField = new TreeMap<>();
      for (ByFieldLayout layout : ByFieldLayout.values()) {
        Scenario sc = new Scenario(shape, N, Phase.NEW, HashAlgorithm.XXHASH32, layout);
        prov.put(layout, new TreeMap<>());
        byField.put(layout, new TreeMap<>());
        try (DuckDbMetadataStore store = new DuckDbMetadataStore(
                MetaxyResolve.options(sc).allocator(allocator), template(sc).toString());
            var scope = store.open(AccessMode.READ);
            Increment inc = store.resolveUpdate(shape.leaf())) {
          collect(inc.newSamples(), prov.get(layout), byField.get(layout), shape);
        }
      }
      assertEquals(N, prov.get(ByFieldLayout.MAP).size());
      assertEquals(
          prov.get(ByFieldLayout.STRUCT),
          prov.get(ByFieldLayout.MAP),
          shape + ": sample provenance differs by layout");
      assertEquals(
          byField.get(ByFieldLayout.STRUCT),
          byField.get(ByFieldLayout.MAP),
          shape + ": field provenance differs by layout");
    }
  }

  @Test
  void floorAndProfileRunOnBothLayouts() {
    for (ByFieldLayout layout : ByFieldLayout.values()) {
      Scenario sc = new Scenario(Shape.WIDE, N, Phase.STALE, HashAlgorithm.XXHASH32, layout);
      List<Floor.Round> rounds =
          Floor.run(sc, template(sc), tmp.resolve("floor.duckdb"), Map.of(), 1);
      assertEquals(1, rounds.size(), sc.label());
      // Profile times the steps through the store API on the same template; it throws if a step
      // fails.
      Profile.run(sc, template(sc), tmp.resolve("profile.duckdb"), 1);
    }
  }

  /** The layout of {@code metaxy_provenance_by_field} of the leaf and every root, which must agree. */
  private static ByFieldLayout columnLayout(Path file, Shape shape) {
    List<String> tables = new ArrayList<>();
    shape.roots().forEach(r -> tables.add(r.tableName()));
    tables.add(shape.leaf().tableName());
    Set<ByFieldLayout> seen = new HashSet<>();
    try (Connection c = BaselineQuery.connect(file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT table_name, data_type FROM information_schema.columns WHERE column_name = '"
                + SystemColumns.PROVENANCE_BY_FIELD + "'")) {
      int n = 0;
      while (rs.next()) {
        assertTrue(tables.contains(rs.getString(1)), rs.getString(1));
        String type = rs.getString(2);
        seen.add(type.equals("MAP(VARCHAR, VARCHAR)") ? ByFieldLayout.MAP : ByFieldLayout.STRUCT);
        assertTrue(type.equals("MAP(VARCHAR, VARCHAR)") || type.startsWith("STRUCT("), type);
        n++;
      }
      assertEquals(tables.size(), n, file.toString());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    assertEquals(1, seen.size(), file + ": " + seen);
    return seen.iterator().next();
  }

  @Test
  void storeDefaultIsWhatTheDuckDbStoreUses() {
    try (DuckDbMetadataStore store = new DuckDbMetadataStore(
        StoreOptions.of(Shape.SIMPLE.graph()), DuckDbMetadataStore.MEMORY)) {
      assertEquals(store.hashAlgorithm(), PaperBenchmark.STORE_DEFAULT);
    }
    // The store creates STRUCT by-field columns unless enableMapDatatype is on.
    assertFalse(StoreOptions.of(Shape.SIMPLE.graph()).enableMapDatatype());
    assertEquals(ByFieldLayout.STRUCT, Variant.STORE_DEFAULT_LAYOUT);
    assertEquals("xxhash32,xxhash32:map,md5", PaperBenchmark.DEFAULT_HASHES);
  }

  @Test
  void oursRunsOncePerVariantAndTheBaselineOnceWithMd5OnStruct() {
    Variant xx = Variant.of(HashAlgorithm.XXHASH32);
    Variant xxMap = new Variant(HashAlgorithm.XXHASH32, ByFieldLayout.MAP);
    Variant md5 = Variant.of(HashAlgorithm.MD5);
    List<Variant> variants = List.of(xx, xxMap, md5);
    assertEquals(
        List.of(
            new PaperBenchmark.Run(Implementation.METAXY, xx),
            new PaperBenchmark.Run(Implementation.METAXY, xxMap),
            new PaperBenchmark.Run(Implementation.METAXY, md5),
            new PaperBenchmark.Run(Implementation.BASELINE, md5)),
        PaperBenchmark.plan(List.of(Implementation.METAXY, Implementation.BASELINE), variants));
    assertEquals(
        List.of(new PaperBenchmark.Run(Implementation.BASELINE, md5)),
        PaperBenchmark.plan(List.of(Implementation.BASELINE), variants));
    // The baseline reads the STRUCT md5 template even when ours only runs on MAP.
    Variant md5Map = new Variant(HashAlgorithm.MD5, ByFieldLayout.MAP);
    assertEquals(
        List.of(
            new PaperBenchmark.Run(Implementation.BASELINE, md5),
            new PaperBenchmark.Run(Implementation.METAXY, md5Map)),
        PaperBenchmark.plan(
            List.of(Implementation.BASELINE, Implementation.METAXY), List.of(md5Map)));
  }

  @Test
  void hashListsKeepTheirOrderAndRejectNonsense() {
    assertEquals(
        List.of(
            Variant.of(HashAlgorithm.XXHASH32),
            new Variant(HashAlgorithm.XXHASH32, ByFieldLayout.MAP),
            Variant.of(HashAlgorithm.MD5)),
        PaperBenchmark.variants(PaperBenchmark.DEFAULT_HASHES));
    assertEquals(
        List.of(
            Variant.of(HashAlgorithm.MD5),
            new Variant(HashAlgorithm.SHA256, ByFieldLayout.MAP),
            Variant.of(HashAlgorithm.XXHASH32)),
        PaperBenchmark.variants(" MD5, sha256:MAP ,xxhash32:struct,"));
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> PaperBenchmark.variants("md5,md5"));
    assertTrue(twice.getMessage().contains("md5 twice"), twice.getMessage());
    // :struct is the default, so these are the same variant.
    IllegalArgumentException same = assertThrows(
        IllegalArgumentException.class, () -> PaperBenchmark.variants("md5,md5:struct"));
    assertTrue(same.getMessage().contains("md5 twice"), same.getMessage());
    IllegalArgumentException mapTwice = assertThrows(
        IllegalArgumentException.class, () -> PaperBenchmark.variants("xxhash32:map,xxhash32:Map"));
    assertTrue(mapTwice.getMessage().contains("xxhash32:map twice"), mapTwice.getMessage());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> PaperBenchmark.variants("md5,crc"));
    assertTrue(unknown.getMessage().contains("\"crc\""), unknown.getMessage());
    IllegalArgumentException layout =
        assertThrows(IllegalArgumentException.class, () -> PaperBenchmark.variants("md5:list"));
    assertTrue(layout.getMessage().contains("\"list\""), layout.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PaperBenchmark.variants(","));
    assertEquals(
        "xxhash32:map", new Variant(HashAlgorithm.XXHASH32, ByFieldLayout.MAP).configName());
    assertEquals("md5", Variant.parse("md5:struct").configName());
  }

  @Test
  void labelsNameTheMapLayoutOnly() {
    assertEquals(
        "simple-100000-stale-xxhash32",
        new Scenario(Shape.SIMPLE, 100_000, Phase.STALE, HashAlgorithm.XXHASH32).label());
    assertEquals(
        "simple-100000-stale-xxhash32",
        new Scenario(
                Shape.SIMPLE, 100_000, Phase.STALE, HashAlgorithm.XXHASH32, ByFieldLayout.STRUCT)
            .label());
    assertEquals(
        "simple-100000-stale-xxhash32-map",
        new Scenario(Shape.SIMPLE, 100_000, Phase.STALE, HashAlgorithm.XXHASH32, ByFieldLayout.MAP)
            .label());
  }

  @Test
  void expectedCountsFollowThePhase() {
    assertEquals(
        new Counts(N, 0, 0),
        new Scenario(Shape.SIMPLE, N, Phase.NEW, HashAlgorithm.MD5).expectedCounts());
    assertEquals(
        new Counts(0, 100, 0),
        new Scenario(Shape.WIDE, N, Phase.STALE, HashAlgorithm.MD5).expectedCounts());
    assertEquals(
        new Counts(0, 2, 0),
        new Scenario(Shape.WIDE, 11, Phase.STALE, HashAlgorithm.MD5).expectedCounts());
  }

  @Test
  @SuppressWarnings("try") // the scope keeps the store open for the resolve
  void baselineHashesEqualTheEngineSampleBySample() throws Exception {
    for (Shape shape : Shape.values()) {
      Scenario sc = new Scenario(shape, N, Phase.NEW, HashAlgorithm.MD5);
      Path t = template(sc);
      Map<Long, String> ours = new TreeMap<>();
      Map<Long, String> oursByField = new TreeMap<>();
      try (DuckDbMetadataStore store = new DuckDbMetadataStore(
              StoreOptions.of(shape.graph()).hashAlgorithm(HashAlgorithm.MD5).allocator(allocator),
              t.toString());
          var scope = store.open(AccessMode.READ);
          Increment inc = store.resolveUpdate(shape.leaf())) {
        collect(inc.newSamples(), ours, oursByField, shape);
      }
      Map<Long, String> base = new TreeMap<>();
      Map<Long, String> baseByField = new TreeMap<>();
      StringBuilder fields = new StringBuilder();
      for (String f : shape.leafFields()) {
        fields
            .append(", ")
            .append(SystemColumns.PROVENANCE_BY_FIELD)
            .append('.')
            .append(f);
      }
      String query = "SELECT " + BaselineQuery.KIND + ", " + Shape.ID + ", "
          + SystemColumns.PROVENANCE + fields + " FROM (" + BaselineQuery.sql(shape) + ")";
      try (Connection c = BaselineQuery.connect(t);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(query)) {
        while (rs.next()) {
          assertEquals("new", rs.getString(1));
          long id = rs.getLong(2);
          base.put(id, rs.getString(3));
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < shape.leafFields().size(); i++) {
            sb.append(rs.getString(4 + i));
          }
          baseByField.put(id, sb.toString());
        }
      }
      assertEquals(N, ours.size());
      assertEquals(
          ours,
          base,
          shape + ": sample provenance differs between the engine and the SQL baseline");
      assertEquals(
          oursByField,
          baseByField,
          shape + ": field provenance differs between the engine and the SQL baseline");
    }
  }

  private static void collect(
      VectorSchemaRoot rows, Map<Long, String> prov, Map<Long, String> byField, Shape shape) {
    BigIntVector id = (BigIntVector) rows.getVector(Shape.ID);
    VarCharVector p = (VarCharVector) rows.getVector(SystemColumns.PROVENANCE);
    StructVector pbf = (StructVector) rows.getVector(SystemColumns.PROVENANCE_BY_FIELD);
    for (int r = 0; r < rows.getRowCount(); r++) {
      prov.put(id.get(r), p.getObject(r).toString());
      StringBuilder sb = new StringBuilder();
      for (String f : shape.leafFields()) {
        sb.append(pbf.getChild(f, VarCharVector.class).getObject(r));
      }
      byField.put(id.get(r), sb.toString());
    }
  }

  @Test
  void sizesAcceptSuffixesAndRejectNonsense() {
    assertEquals(10_000, PaperBenchmark.size("10k"));
    assertEquals(1_000_000, PaperBenchmark.size("1M"));
    assertEquals(123, PaperBenchmark.size("123"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PaperBenchmark.size("ten"));
    assertTrue(e.getMessage().contains("ten"), e.getMessage());
  }

  @Test
  void statsAreMedianAndQuartiles() {
    Stats s = Stats.of(5, 1, 4, 2, 3);
    assertEquals(3.0, s.median());
    assertEquals(2.0, s.p25());
    assertEquals(4.0, s.p75());
    assertEquals(List.of("0.412 [0.400–0.500]"), List.of(new Stats(0.412, 0.4, 0.5, 5).format()));
  }

  @Test
  void resultLinesRoundTrip() {
    for (ByFieldLayout layout : ByFieldLayout.values()) {
      Scenario sc = new Scenario(Shape.WIDE, 100_000, Phase.STALE, HashAlgorithm.XXHASH32, layout);
      Result r = new Result(
          sc,
          Implementation.METAXY,
          new double[] {0.5, 0.25},
          123_456,
          new Counts(0, 10_000, 0),
          "1500m");
      Result back = Result.parse(r.toLine());
      assertEquals(sc, back.scenario());
      assertEquals(Implementation.METAXY, back.impl());
      assertEquals(0.25, back.seconds()[1]);
      assertEquals(123_456, back.peakRssKb());
      assertEquals(r.counts(), back.counts());
    }
    // A line without a layout (printed before layouts existed) is the STRUCT default.
    Result old = Result.parse(
        "RESULT graph=simple n=10 phase=new hash=md5 impl=baseline seconds=0.1 rss_kb=1 new=10"
            + " stale=0 orphaned=0 heap=1500m");
    assertEquals(ByFieldLayout.STRUCT, old.scenario().layout());
  }
}
