package io.metaxy.store.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import io.metaxy.store.support.ArrowBatches;
import io.metaxy.testing.s3.S3Server;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The branch-deployment pattern across store kinds: a local DuckDB dev store falling back to a prod
 * Iceberg store whose warehouse is on S3 (s3proxy on loopback). Dev resolves its own feature from
 * prod's upstream rows, writes only to itself, and then has nothing left to do.
 */
class S3FallbackTest {
  private static final FeatureKey RAW = FeatureKey.of("video/raw");
  private static final FeatureKey CLIP = FeatureKey.of("video/clip");

  @TempDir
  Path tmp;

  private static FeatureGraph graph() {
    return FeatureGraph.of(List.of(
        FeatureDefinition.of(
            FeatureSpec.builder("video/raw", "sample_uid").field("audio", "1").build(),
            "test",
            Map.of()),
        FeatureDefinition.of(
            FeatureSpec.builder("video/clip", "sample_uid")
                .dep("video/raw")
                .field("embedding", "1")
                .build(),
            "test",
            Map.of())));
  }

  private static VectorSchemaRoot rawRows(BufferAllocator a, String... ids) {
    List<Map<String, ?>> pbf = new ArrayList<>();
    for (String id : ids) {
      pbf.add(Map.of("audio", "h" + id));
    }
    List<FieldVector> columns = List.of(
        ArrowBatches.strings("sample_uid", List.of(ids), a),
        ArrowBatches.byFieldStruct("metaxy_provenance_by_field", List.of("audio"), pbf, a));
    return ArrowBatches.of(columns, ids.length);
  }

  @Test
  void aDuckDbDevStoreFallsBackToIcebergOnS3() throws Exception {
    try (S3Server server = S3Server.start(tmp.resolve("s3"));
        BufferAllocator a = new RootAllocator()) {
      String warehouse = "s3://" + S3Server.BUCKET + "/prod";
      MetadataStore prod = new IcebergMetadataStore(
          StoreOptions.of(graph()).name("prod").allocator(a),
          warehouse,
          "metaxy",
          "metaxy",
          server.catalogProperties(tmp.resolve("catalog.db"), warehouse),
          true);
      try (var scope = prod.open(AccessMode.WRITE);
          VectorSchemaRoot rows = rawRows(a, "1", "2", "3")) {
        prod.write(RAW, rows);
      }
      MetadataStore dev = new DuckDbMetadataStore(
          StoreOptions.of(graph()).name("dev").allocator(a).fallbackStores(prod),
          tmp.resolve("dev.duckdb").toString());
      try (dev;
          prod;
          var scope = dev.open(AccessMode.WRITE)) {
        MetadataStore.ReadResult r = dev.readWithStore(RAW, ReadOptions.DEFAULT);
        try (VectorSchemaRoot b = r.batch()) {
          assertEquals(3, b.getRowCount());
        }
        assertSame(prod, r.store());
        try (Increment inc = dev.resolveUpdate(CLIP)) {
          assertEquals(3, inc.newCount());
          dev.write(CLIP, inc.newSamples());
        }
        try (Increment inc = dev.resolveUpdate(CLIP)) {
          assertEquals(0, inc.newCount() + inc.staleCount() + inc.orphanedCount());
        }
        assertFalse(dev.hasFeature(RAW, false), "dev holds no copy of prod's rows");
      }
      try (var scope = prod.open()) {
        assertFalse(prod.hasFeature(CLIP), "writes never go to a fallback store");
      }
    }
  }
}
