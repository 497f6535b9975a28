package io.metaxy.store;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.memory.InMemoryMetadataStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** The per-sample view a pipeline step uses, and copying between stores with separate allocators. */
class IncrementRowTest {
  private static final FeatureKey VIDEO = FeatureKey.of("example/video");

  private static FeatureGraph graph() {
    return FeatureGraph.of(List.of(
        FeatureDefinition.of(
            FeatureSpec.builder("example/video", "video_id")
                .field("frames", "1")
                .build(),
            "typed",
            Map.of()),
        MetaxyCrop.DEFINITION));
  }

  private static VectorSchemaRoot videos(RootAllocator a, String... frameVersions) {
    Map<String, Object>[] rows = new Map[frameVersions.length];
    for (int i = 0; i < frameVersions.length; i++) {
      rows[i] = row(
          "video_id", "v" + (i + 1), "metaxy_provenance_by_field", pbf("frames", frameVersions[i]));
    }
    return batch(a, rows);
  }

  @Test
  void stepsReadRowsAndWriteOutputsWithTheirProvenance() {
    try (RootAllocator a = new RootAllocator()) {
      InMemoryMetadataStore s =
          new InMemoryMetadataStore(StoreOptions.of(graph()).allocator(a));
      List<StoreWarning> warnings = new ArrayList<>();
      s.addWarningListener(warnings::add);
      try (var scope = s.open(AccessMode.WRITE)) {
        try (VectorSchemaRoot v = videos(a, "f1", "f2")) {
          s.write(VIDEO, v);
        }
        try (Increment inc = s.resolveUpdate(Crop.class)) {
          List<IncrementRow> rows = inc.toProcess();
          assertEquals(2, rows.size());
          assertTrue(rows.stream().allMatch(IncrementRow::isNew));
          assertEquals(
              rows.get(0).dataVersion(),
              inc.newSamples().getVector("metaxy_provenance") == null
                  ? null
                  : TestRows.cell(inc.newSamples(), "metaxy_provenance", 0));
          assertEquals(
              List.of("frames"), List.copyOf(rows.get(0).provenanceByField().keySet()));
          MetaxyException e =
              assertThrows(MetaxyException.class, () -> rows.get(0).get("nope"));
          assertTrue(e.getMessage().contains("\"nope\""), e.getMessage());
          List<Crop> out =
              rows.stream().map(r -> new Crop(r.getString("video_id"), 7)).toList();
          s.writeOutputs(Crop.class, out, rows);
        }
        assertEquals(
            List.of(),
            warnings,
            "typed outputs carry provenance by field only: no missing-column warning");
        try (Increment inc = s.resolveUpdate(Crop.class)) {
          assertTrue(inc.isEmpty());
        }
        // A changed upstream makes exactly that sample stale, listed after the new ones.
        try (VectorSchemaRoot v = videos(a, "f1", "f2-changed", "f3")) {
          s.write(VIDEO, v);
        }
        try (Increment inc = s.resolveUpdate(Crop.class)) {
          List<IncrementRow> rows = inc.toProcess();
          assertEquals(
              List.of("v3", "v2"),
              rows.stream().map(r -> r.getString("video_id")).toList());
          assertTrue(rows.get(0).isNew());
          assertFalse(rows.get(1).isNew());
          assertThrows(
              IllegalArgumentException.class, () -> s.writeOutputs(Crop.class, List.of(), rows));
        }
      }
      s.clear();
    }
  }

  @Test
  void copiesBetweenStoresWithTheirOwnAllocators() {
    try (RootAllocator a = new RootAllocator();
        RootAllocator b = new RootAllocator()) {
      InMemoryMetadataStore from =
          new InMemoryMetadataStore(StoreOptions.of(graph()).allocator(a));
      InMemoryMetadataStore to =
          new InMemoryMetadataStore(StoreOptions.of(graph()).allocator(b));
      try (var s1 = from.open(AccessMode.WRITE);
          var s2 = to.open(AccessMode.WRITE)) {
        try (VectorSchemaRoot v = videos(a, "f1", "f2")) {
          from.write(VIDEO, v);
        }
        MetadataStore.CopyResult r = to.copyMetadata(from, List.of(VIDEO), List.of(), true, false);
        assertEquals(2, r.rowsCopied());
        try (VectorSchemaRoot back = to.read(VIDEO)) {
          assertEquals(2, back.getRowCount());
        }
      }
      from.clear();
      to.clear();
    }
  }
}
