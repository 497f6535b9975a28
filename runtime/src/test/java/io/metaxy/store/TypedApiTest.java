package io.metaxy.store;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.memory.InMemoryMetadataStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** Records in and out through a feature companion. */
class TypedApiTest {
  @Test
  void resolveTypedThenWriteRecords() {
    FeatureGraph g = FeatureGraph.of(List.of(
        FeatureDefinition.of(
            FeatureSpec.builder("example/video", "video_id")
                .field("frames", "1")
                .build(),
            "typed",
            Map.of()),
        MetaxyCrop.DEFINITION));
    try (RootAllocator a = new RootAllocator()) {
      InMemoryMetadataStore s = new InMemoryMetadataStore(StoreOptions.of(g).allocator(a));
      try (var scope = s.open(AccessMode.WRITE)) {
        try (VectorSchemaRoot v = batch(
            a,
            row("video_id", "v1", "metaxy_provenance_by_field", pbf("frames", "f1")),
            row("video_id", "v2", "metaxy_provenance_by_field", pbf("frames", "f2")))) {
          s.write(FeatureKey.of("example/video"), v);
        }
        List<Crop> crops = new ArrayList<>();
        List<Map<String, String>> provenance = new ArrayList<>();
        try (Increment inc = s.resolveUpdate(Crop.class)) {
          VectorSchemaRoot n = inc.newSamples();
          for (int i = 0; i < n.getRowCount(); i++) {
            String id = (String) TestRows.cell(n, "video_id", i);
            crops.add(new Crop(id, 100 + i));
            @SuppressWarnings("unchecked")
            Map<String, String> p = (Map<String, String>)
                (Map<String, ?>) TestRows.cell(n, "metaxy_provenance_by_field", i);
            provenance.add(p);
          }
        }
        assertEquals(2, crops.size());
        s.write(Crop.class, crops, provenance);
        try (Increment inc = s.resolveUpdate(Crop.class)) {
          assertTrue(inc.isEmpty());
        }
        try (VectorSchemaRoot r = s.read(FeatureKey.of("example/crop"))) {
          List<Crop> back = Increment.records(r, MetaxyCrop.COMPANION);
          assertEquals(Set.copyOf(crops), Set.copyOf(back));
        }
        assertThrows(IllegalArgumentException.class, () -> s.write(Crop.class, crops, List.of()));
      }
      s.clear();
    }
  }
}
