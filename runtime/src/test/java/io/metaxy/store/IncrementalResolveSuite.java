package io.metaxy.store;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.cell;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldsMapping;
import io.metaxy.spec.Lineage;
import io.metaxy.store.support.ArrowBatches;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Incremental {@code resolveUpdate} against the full one (docs/incremental.md): random histories of
 * appends to roots and intermediates, outputs written for some or all of an increment, soft and hard
 * deletes, dropped tables, code-version bumps, and resolves with filters and staleness predicates,
 * over identity, expansion and aggregation lineages, an optional dependency and a renamed id. After
 * every step each derived feature is resolved the default way and with {@link
 * ResolveOptions#fullResolve()}: the two answers must be the same rows. A failure names its seed,
 * which replays it ({@code -Dmetaxy.incremental.seed=N}).
 */
public abstract class IncrementalResolveSuite {
  static final FeatureKey VIDEO = FeatureKey.of("video");
  static final FeatureKey AUDIO = FeatureKey.of("audio");
  static final FeatureKey CLIPS = FeatureKey.of("clips");
  static final FeatureKey SUMMARY = FeatureKey.of("summary");
  static final FeatureKey CAPTION = FeatureKey.of("caption");
  static final FeatureKey SPEECH = FeatureKey.of("speech");
  static final List<FeatureKey> DERIVED = List.of(AUDIO, CLIPS, SUMMARY, CAPTION, SPEECH);

  protected BufferAllocator allocator;
  private final List<MetadataStore> created = new ArrayList<>();

  /** A fresh, empty store with these options. */
  protected abstract MetadataStore newStore(StoreOptions options);

  /** Frees a store's resources after a test. */
  protected void dispose(MetadataStore store) {}

  /** How many random histories one run tries (a system property overrides it). */
  protected abstract int histories();

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
    allocator.close();
  }

  protected MetadataStore store(FeatureGraph g) {
    MetadataStore s = newStore(StoreOptions.of(g).allocator(allocator));
    created.add(s);
    return s;
  }

  private static FeatureDefinition def(FeatureSpec spec) {
    return FeatureDefinition.of(spec, "test", Map.of());
  }

  private static FeatureDep dep(
      String upstream, Lineage lineage, boolean optional, Map<String, String> rename) {
    return new FeatureDep(
        FeatureKey.of(upstream),
        null,
        rename.isEmpty() ? null : rename,
        FieldsMapping.DEFAULT,
        null,
        lineage,
        optional);
  }

  /** The test graph; {@code audioCode} is the code version of audio's field. */
  static FeatureGraph graph(String audioCode) {
    return FeatureGraph.of(List.of(
        def(FeatureSpec.builder("video", "vid")
            .field("frames", "1")
            .field("audio", "1")
            .build()),
        def(FeatureSpec.builder("audio", "vid")
            .dep("video")
            .field("wave", audioCode)
            .build()),
        def(FeatureSpec.builder("clips", "vid", "cid")
            .dep(dep("video", new Lineage.Expansion(List.of("vid"), null), false, Map.of()))
            .field("clip", "1")
            .build()),
        def(FeatureSpec.builder("summary", "vid")
            .dep(dep("audio", Lineage.IDENTITY, false, Map.of()))
            .dep(dep("clips", new Lineage.Aggregation(List.of("vid")), false, Map.of()))
            .field("text", "1")
            .build()),
        def(FeatureSpec.builder("caption", "vid")
            .dep(dep("audio", Lineage.IDENTITY, false, Map.of()))
            .dep(dep("summary", Lineage.IDENTITY, true, Map.of()))
            .field("caption", "1")
            .build()),
        def(FeatureSpec.builder("speech", "speaker")
            .dep(dep("audio", Lineage.IDENTITY, false, Map.of("vid", "speaker")))
            .field("words", "1")
            .build())));
  }

  /** The option sets every check resolves with. */
  private static List<ResolveOptions> optionSets(FeatureKey key) {
    return List.of(
        ResolveOptions.DEFAULT,
        key.equals(SPEECH)
            ? ResolveOptions.DEFAULT.filter(AUDIO, RowFilter.sql("vid < 25"))
            : ResolveOptions.DEFAULT.globalFilters(RowFilter.sql("vid < 25")),
        ResolveOptions.DEFAULT
            .filter(VIDEO, RowFilter.sql("quality >= 2"))
            .stalenessPredicates(RowFilter.sql(key.equals(SPEECH) ? "speaker = 3" : "vid = 3")),
        ResolveOptions.DEFAULT.targetFilters(
            RowFilter.sql(key.equals(SPEECH) ? "speaker > 10" : "vid > 10")));
  }

  @Test
  void incrementalAnswersEqualFullOnesOnRandomHistories() {
    String fixed = System.getProperty("metaxy.incremental.seed");
    int n = Integer.getInteger("metaxy.incremental.histories", histories());
    long base = fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
    int[] paths = new int[2];
    for (int h = 0; h < (fixed != null ? 1 : n); h++) {
      long seed = base + h;
      try {
        history(seed, paths);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "history with seed " + seed + " (-Dmetaxy.incremental.seed=" + seed + "): " + e, e);
      }
    }
    System.out.printf(
        "%s: %d histories from seed %d, %d incremental and %d full answers%n",
        getClass().getSimpleName(), fixed != null ? 1 : n, base, paths[1], paths[0]);
    // The suite must exercise the incremental path, not only fall back to full resolves.
    assertTrue(
        paths[1] > paths[0] / 4,
        "incremental answers " + paths[1] + " of " + (paths[0] + paths[1]));
  }

  /** Ten videos with ids 0..9. */
  private void tenVideos(MetadataStore s, String audio) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (long id = 0; id < 10; id++) {
      rows.add(row(
          "vid",
          id,
          "quality",
          3L,
          "metaxy_provenance_by_field",
          pbf("frames", "f", "audio", audio)));
    }
    write(s, VIDEO, rows);
  }

  /** Writes every new and stale row of {@code f}'s increment (not for clips). */
  private void writeAll(MetadataStore s, FeatureKey f) {
    try (Increment inc = s.resolveUpdate(f)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (VectorSchemaRoot b : List.of(inc.newSamples(), inc.stale())) {
        for (int r = 0; r < b.getRowCount(); r++) {
          rows.add(row(
              "vid",
              cell(b, "vid", r),
              "metaxy_provenance_by_field",
              cell(b, "metaxy_provenance_by_field", r),
              "metaxy_provenance",
              cell(b, "metaxy_provenance", r)));
        }
      }
      if (!rows.isEmpty()) {
        write(s, f, rows);
      }
    }
  }

  /** Resolves {@code f} both ways, checks the answers agree, and returns the default one's path. */
  private Increment.Resolution resolveChecked(MetadataStore s, FeatureKey f) {
    return resolveChecked(s, f, ResolveOptions.DEFAULT);
  }

  private Increment.Resolution resolveChecked(MetadataStore s, FeatureKey f, ResolveOptions o) {
    compare(s, f, o, new int[2], f.toString());
    return lastResolution;
  }

  private Increment.Resolution lastResolution;

  @Test
  void theIncrementSaysWhichPathAnsweredAndWhy() {
    MetadataStore s = store(graph("1"));
    try (var scope = s.open(AccessMode.WRITE)) {
      tenVideos(s, "a");
      Increment.Resolution first = resolveChecked(s, AUDIO);
      assertFalse(first.incremental());
      assertEquals("no earlier resolve of this configuration", first.reason());
      writeAll(s, AUDIO);
      // The ten audio rows written since are the tail; nothing is left to do.
      Increment.Resolution second = resolveChecked(s, AUDIO);
      assertTrue(second.incremental(), second.toString());
      assertEquals(10, second.touchedKeys());
      Increment.Resolution third = resolveChecked(s, AUDIO);
      assertTrue(third.incremental(), third.toString());
      assertEquals(0, third.touchedKeys());
      try (Increment forced = s.resolveUpdate(AUDIO, ResolveOptions.DEFAULT.fullResolve())) {
        assertEquals("a full resolve was requested", forced.resolution().reason());
      }
      // Three videos change: three keys, three stale samples.
      List<Map<String, Object>> changed = new ArrayList<>();
      for (long id = 0; id < 3; id++) {
        changed.add(row("vid", id, "metaxy_provenance_by_field", pbf("frames", "f", "audio", "b")));
      }
      write(s, VIDEO, changed);
      try (Increment inc = s.resolveUpdate(AUDIO)) {
        assertTrue(inc.resolution().incremental());
        assertEquals(3, inc.resolution().touchedKeys());
        assertEquals(3, inc.staleCount());
        // The progress counts every upstream row, as a full resolve's does (stale samples count as
        // processed).
        try (Increment full = s.resolveUpdate(AUDIO, ResolveOptions.DEFAULT.fullResolve())) {
          assertEquals(100.0, inc.inputProgress().getAsDouble(), 1e-9);
          assertEquals(full.inputProgress(), inc.inputProgress());
        }
      }
    }
  }

  @Test
  void hardDeletesAndDroppedTablesFallBackToAFullResolve() {
    MetadataStore s = store(graph("1"));
    try (var scope = s.open(AccessMode.WRITE)) {
      tenVideos(s, "a");
      writeAll(s, AUDIO);
      assertTrue(resolveChecked(s, AUDIO).incremental());
      s.delete(VIDEO, List.of(RowFilter.sql("vid = 4")), DeleteOptions.HARD);
      Increment.Resolution afterDelete = resolveChecked(s, AUDIO);
      assertFalse(afterDelete.incremental());
      assertTrue(afterDelete.reason().contains("removed or rewritten"), afterDelete.reason());
      assertTrue(resolveChecked(s, AUDIO).incremental(), "the full resolve recorded a new state");
      s.dropFeatureMetadata(AUDIO);
      Increment.Resolution afterDrop = resolveChecked(s, AUDIO);
      assertFalse(afterDrop.incremental());
      assertTrue(afterDrop.reason().contains("dropped"), afterDrop.reason());
      // Soft deletes are appends: exact and incremental.
      writeAll(s, AUDIO);
      resolveChecked(s, AUDIO);
      s.delete(VIDEO, List.of(RowFilter.sql("vid = 5")), DeleteOptions.SOFT);
      Increment.Resolution afterSoft = resolveChecked(s, AUDIO);
      assertTrue(afterSoft.incremental(), afterSoft.toString());
    }
  }

  @Test
  void aCodeVersionBumpOrNewFiltersAreAnotherConfiguration() {
    MetadataStore s = store(graph("1"));
    try (var scope = s.open(AccessMode.WRITE)) {
      tenVideos(s, "a");
      writeAll(s, AUDIO);
      assertTrue(resolveChecked(s, AUDIO).incremental());
      s.useGraph(graph("2"));
      Increment.Resolution bumped = resolveChecked(s, AUDIO);
      assertFalse(bumped.incremental());
      assertEquals("no earlier resolve of this configuration", bumped.reason());
      try (Increment filtered =
          s.resolveUpdate(AUDIO, ResolveOptions.DEFAULT.globalFilters(RowFilter.sql("vid < 5")))) {
        assertFalse(filtered.resolution().incremental());
      }
      try (Increment lambda =
          s.resolveUpdate(AUDIO, ResolveOptions.DEFAULT.targetFilters(batch -> new BitSet()))) {
        assertFalse(lambda.resolution().incremental());
        assertTrue(lambda.resolution().reason().contains("not a filter expression"));
      }
    }
  }

  @Test
  void anotherStoreOnTheSameDatabaseStartsFromTheRecordedStateAndInterleaves() {
    MetadataStore a = store(graph("1"));
    try (var scope = a.open(AccessMode.WRITE)) {
      tenVideos(a, "a");
      writeAll(a, AUDIO);
      resolveChecked(a, AUDIO);
    }
    // A new pipeline run: another store object, nothing in its memory.
    try (MetadataStore b = new MetadataStore(a.options(), a.connector())) {
      try (var scope = b.open(AccessMode.WRITE)) {
        Increment.Resolution fromStore = resolveChecked(b, AUDIO);
        assertTrue(fromStore.incremental(), fromStore.toString());
      }
      for (int round = 0; round < 3; round++) {
        try (var scope = a.open(AccessMode.WRITE)) {
          List<Map<String, Object>> changed = List.of(row(
              "vid",
              (long) round,
              "metaxy_provenance_by_field",
              pbf("frames", "f", "audio", "r" + round)));
          write(a, VIDEO, changed);
          assertTrue(resolveChecked(a, AUDIO).incremental());
        }
        try (var scope = b.open(AccessMode.WRITE)) {
          assertTrue(resolveChecked(b, AUDIO).incremental());
          writeAll(b, AUDIO);
        }
      }
    }
  }

  @Test
  void aReadOnlyStoreRemembersInItsOwnMemoryOnly() {
    MetadataStore s = store(graph("1"));
    try (var scope = s.open(AccessMode.WRITE)) {
      tenVideos(s, "a");
      writeAll(s, AUDIO);
    }
    // A configuration no resolve has recorded yet.
    ResolveOptions few = ResolveOptions.DEFAULT.globalFilters(RowFilter.sql("vid < 8"));
    try (MetadataStore reader = new MetadataStore(s.options(), s.connector())) {
      try (var scope = reader.open(AccessMode.READ)) {
        assertFalse(resolveChecked(reader, AUDIO, few).incremental());
        assertTrue(resolveChecked(reader, AUDIO, few).incremental(), "remembered in this JVM");
      }
    }
    try (MetadataStore writer = new MetadataStore(s.options(), s.connector());
        var scope = writer.open(AccessMode.WRITE)) {
      Increment.Resolution r = resolveChecked(writer, AUDIO, few);
      assertEquals("no earlier resolve of this configuration", r.reason(), "READ recorded nothing");
    }
  }

  @Test
  void withFallbackStoresTheResolveIsFullAndSaysWhy() {
    MetadataStore prod = store(graph("1"));
    try (var scope = prod.open(AccessMode.WRITE)) {
      tenVideos(prod, "a");
    }
    MetadataStore dev =
        newStore(StoreOptions.of(graph("1")).allocator(allocator).fallbackStores(prod));
    created.add(dev);
    try (var p = prod.open(AccessMode.READ);
        var scope = dev.open(AccessMode.WRITE)) {
      for (int i = 0; i < 2; i++) {
        Increment.Resolution r = resolveChecked(dev, AUDIO);
        assertFalse(r.incremental());
        assertEquals("fallback stores are configured", r.reason());
      }
    }
  }

  @Test
  void aColumnAddedToAnUpstreamTableKeepsTheAnswerExact() {
    MetadataStore s = store(graph("1"));
    try (var scope = s.open(AccessMode.WRITE)) {
      tenVideos(s, "a");
      writeAll(s, AUDIO);
      resolveChecked(s, AUDIO);
      // A schema change: the table gains a column, and two videos change.
      write(
          s,
          VIDEO,
          List.of(
              row(
                  "vid",
                  1L,
                  "lang",
                  "en",
                  "metaxy_provenance_by_field",
                  pbf("frames", "f", "audio", "z")),
              row(
                  "vid",
                  2L,
                  "lang",
                  "fr",
                  "metaxy_provenance_by_field",
                  pbf("frames", "f", "audio", "a"))));
      resolveChecked(s, AUDIO); // compared with the full answer, whichever path answered
      try (Increment inc = s.resolveUpdate(AUDIO, ResolveOptions.DEFAULT.fullResolve())) {
        assertEquals(List.of("1"), TestRows.sorted(inc.stale(), "vid"));
      }
    }
  }

  @Test
  void copiedRowsAreAppendsTheNextResolveSees() {
    MetadataStore s = store(graph("1"));
    MetadataStore other = store(graph("1"));
    try (var scope = s.open(AccessMode.WRITE)) {
      tenVideos(s, "a");
      writeAll(s, AUDIO);
      resolveChecked(s, AUDIO);
    }
    try (var scope = other.open(AccessMode.WRITE)) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (long id = 20; id < 25; id++) {
        rows.add(row(
            "vid",
            id,
            "quality",
            1L,
            "metaxy_provenance_by_field",
            pbf("frames", "g", "audio", "c")));
      }
      write(other, VIDEO, rows);
    }
    try (var scope = s.open(AccessMode.WRITE);
        var from = other.open(AccessMode.READ)) {
      s.copyMetadata(other, List.of(VIDEO), List.of(), false, false);
      Increment.Resolution r = resolveChecked(s, AUDIO);
      assertTrue(r.incremental(), r.toString());
      assertEquals(5, r.touchedKeys());
    }
  }

  @Test
  void upstreamRowsAppendedWithAnEarlierTimeAreNotTakenForTheLatest() {
    MetadataStore s = store(graph("1"));
    try (var scope = s.open(AccessMode.WRITE)) {
      tenVideos(s, "a");
      writeAll(s, AUDIO);
      resolveChecked(s, AUDIO);
      // Video 3's new row is later than every stored row: it is the latest, read from the tail.
      appendVideo(s, 3, "b", Instant.now().plus(Duration.ofDays(1)));
      Increment.Resolution r = resolveChecked(s, AUDIO);
      assertTrue(r.reason().contains("appended rows of video standing in"), r.toString());
      try (Increment inc = s.resolveUpdate(AUDIO)) {
        assertEquals(List.of("3"), TestRows.sorted(inc.stale(), "vid"));
      }
      // A clock that went back (or a copy of old rows): video 1's new row is older than its stored
      // one, so it is not the latest. Taking the tail for the latest would call video 1 stale.
      appendVideo(s, 1, "b", Instant.parse("2000-01-01T00:00:00Z"));
      r = resolveChecked(s, AUDIO);
      assertTrue(r.incremental(), r.toString());
      assertFalse(r.reason().contains("standing in"), r.toString());
      try (Increment inc = s.resolveUpdate(AUDIO)) {
        assertEquals(List.of("3"), TestRows.sorted(inc.stale(), "vid"));
      }
    }
  }

  /** Appends one video row as another tool would: its {@code metaxy_updated_at} as given. */
  private void appendVideo(MetadataStore s, long id, String audio, Instant updatedAt) {
    try (VectorSchemaRoot b = batch(
            allocator,
            List.of(row(
                "vid",
                id,
                "quality",
                3L,
                "metaxy_provenance_by_field",
                pbf("frames", "f", "audio", audio),
                "metaxy_updated_at",
                updatedAt)));
        VectorSchemaRoot full = s.stamping()
            .withSystemColumns(
                VIDEO, b, WriteOptions.DEFAULT, s.stamping().nextTimestamp(), null, true)) {
      s.onBackend(AccessMode.WRITE, backend -> {
        backend.append(VIDEO.tableName(), full);
        return null;
      });
    }
  }

  /** One random history of 12 steps; {@code paths} counts full and incremental answers. */
  private void history(long seed, int[] paths) {
    Random rnd = new Random(seed);
    String[] code = {"1"};
    MetadataStore s = store(graph(code[0]));
    try (var scope = s.open(AccessMode.WRITE)) {
      writeVideos(s, rnd, 12 + rnd.nextInt(10));
      for (int step = 0; step < 12; step++) {
        int op = rnd.nextInt(100);
        FeatureKey f = DERIVED.get(rnd.nextInt(DERIVED.size()));
        if (op < 30) {
          writeVideos(s, rnd, 1 + rnd.nextInt(4));
        } else if (op < 70) {
          writeOutputs(s, f, rnd);
        } else if (op < 78) {
          deleteSome(s, rnd.nextBoolean() ? VIDEO : f, rnd, DeleteOptions.SOFT);
        } else if (op < 84) {
          deleteSome(s, rnd.nextBoolean() ? VIDEO : f, rnd, DeleteOptions.HARD);
        } else if (op < 90) {
          code[0] = code[0].equals("1") ? "2" : "1";
          s.useGraph(graph(code[0]));
        } else if (op < 93) {
          if (s.hasFeature(f)) {
            s.dropFeatureMetadata(f);
          }
        } else if (op < 96) {
          // Another writer's clock: a row dated before every stored one, or after.
          appendVideo(
              s,
              rnd.nextInt(40),
              "a" + rnd.nextInt(3),
              rnd.nextBoolean()
                  ? Instant.parse("2000-01-01T00:00:00Z")
                  : Instant.now().plus(Duration.ofDays(1)));
        } // else: nothing changes; the next resolve finds an empty tail
        for (FeatureKey k : DERIVED) {
          if (rnd.nextInt(3) == 0) {
            continue; // not every feature every step: tails then span several steps
          }
          List<ResolveOptions> sets = optionSets(k);
          ResolveOptions opts = sets.get(rnd.nextInt(sets.size()));
          compare(s, k, opts, paths, "step " + step + " " + k + " " + opts);
        }
      }
    }
  }

  private void compare(
      MetadataStore s, FeatureKey k, ResolveOptions opts, int[] paths, String what) {
    Increment inc;
    try {
      inc = s.resolveUpdate(k, opts);
    } catch (FeatureNotFoundException e) {
      // An upstream dropped: the full resolve must fail the same way.
      try (Increment full = s.resolveUpdate(k, opts.fullResolve())) {
        throw new AssertionError(what + ": incremental failed (" + e + "), full answered");
      } catch (FeatureNotFoundException expected) {
        return;
      }
    }
    try (inc;
        Increment full = s.resolveUpdate(k, opts.fullResolve())) {
      paths[inc.resolution().incremental() ? 1 : 0]++;
      lastResolution = inc.resolution();
      assertFalse(full.resolution().incremental(), what);
      String how = what + " answered " + inc.resolution();
      assertEquals(rows(full.newSamples()), rows(inc.newSamples()), how + ": new");
      assertEquals(rows(full.stale()), rows(inc.stale()), how + ": stale");
      assertEquals(rows(full.orphaned()), rows(inc.orphaned()), how + ": orphaned");
    }
  }

  /** Rows rendered over the columns the comparison sees, sorted. */
  private static List<String> rows(VectorSchemaRoot root) {
    List<String> cols = new ArrayList<>();
    for (String c : List.of(
        "vid",
        "cid",
        "speaker",
        "metaxy_provenance",
        "metaxy_provenance_by_field",
        "metaxy_data_version")) {
      if (root.getVector(c) != null) {
        cols.add(c);
      }
    }
    List<String> out = new ArrayList<>();
    for (int r = 0; r < root.getRowCount(); r++) {
      StringBuilder b = new StringBuilder();
      for (String c : cols) {
        FieldVector v = root.getVector(c);
        b.append(c).append('=').append(ArrowBatches.value(v, r)).append(' ');
      }
      out.add(b.toString());
    }
    out.sort(null);
    return out;
  }

  /** New versions of some videos (ids 0..39; provenance from a small pool, so some are unchanged). */
  private void writeVideos(MetadataStore s, Random rnd, int count) {
    List<Map<String, Object>> rows = new ArrayList<>();
    Set<Long> ids = new TreeSet<>();
    while (ids.size() < count) {
      ids.add((long) rnd.nextInt(40));
    }
    for (long id : ids) {
      rows.add(row(
          "vid",
          id,
          "quality",
          (long) rnd.nextInt(5),
          "metaxy_provenance_by_field",
          pbf("frames", "f" + rnd.nextInt(3), "audio", "a" + rnd.nextInt(3))));
    }
    write(s, VIDEO, rows);
  }

  /** Resolves {@code f} and writes all or a random part of its new and stale rows. */
  private void writeOutputs(MetadataStore s, FeatureKey f, Random rnd) {
    Increment inc;
    try {
      inc = s.resolveUpdate(f);
    } catch (FeatureNotFoundException e) {
      return; // an upstream was dropped
    }
    try (inc) {
      boolean all = rnd.nextBoolean();
      List<Map<String, Object>> rows = new ArrayList<>();
      Set<Object> seen = new HashSet<>();
      String idColumn = f.equals(SPEECH) ? "speaker" : "vid";
      for (VectorSchemaRoot b : List.of(inc.newSamples(), inc.stale())) {
        for (int r = 0; r < b.getRowCount(); r++) {
          // One row per sample (an aggregation's increment has a row per upstream row).
          if ((!all && rnd.nextBoolean()) || !seen.add(String.valueOf(cell(b, idColumn, r)))) {
            continue;
          }
          Object pbf = cell(b, "metaxy_provenance_by_field", r);
          Object prov = cell(b, "metaxy_provenance", r);
          if (f.equals(CLIPS)) {
            for (long c = 0; c < 1 + rnd.nextInt(3); c++) {
              rows.add(row(
                  "vid",
                  cell(b, "vid", r),
                  "cid",
                  c,
                  "metaxy_provenance_by_field",
                  pbf,
                  "metaxy_provenance",
                  prov));
            }
          } else {
            String id = f.equals(SPEECH) ? "speaker" : "vid";
            rows.add(row(
                id, cell(b, id, r), "metaxy_provenance_by_field", pbf, "metaxy_provenance", prov));
          }
        }
      }
      if (!rows.isEmpty()) {
        write(s, f, rows);
      }
    }
  }

  private void deleteSome(MetadataStore s, FeatureKey f, Random rnd, DeleteOptions how) {
    if (!s.hasFeature(f)) {
      return;
    }
    String id = f.equals(SPEECH) ? "speaker" : "vid";
    int a = rnd.nextInt(40);
    s.delete(f, List.of(RowFilter.sql(id + " IN (" + a + ", " + (a + 7) % 40 + ")")), how);
  }

  private void write(MetadataStore s, FeatureKey k, List<Map<String, Object>> rows) {
    try (VectorSchemaRoot b = batch(allocator, rows)) {
      s.write(k, b);
    }
  }
}
