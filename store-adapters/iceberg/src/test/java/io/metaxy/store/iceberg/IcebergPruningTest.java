package io.metaxy.store.iceberg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.filter.FilterExpr.Op;
import io.metaxy.filter.Filters;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.ResolveOptions;
import io.metaxy.store.RowFilter;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import io.metaxy.store.support.ArrowBatches;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Iceberg store answers from table metadata: files skipped in planning for id filters, an
 * integer id's range from the files' column bounds (so large resolves split into id ranges), and
 * filters evaluated in the DuckDB scan, all with the answers of an unfiltered, unsplit read.
 */
class IcebergPruningTest {
  private static final FeatureKey RAW = FeatureKey.of("video/raw");
  private static final FeatureKey CLIP = FeatureKey.of("video/clip");
  private static final String TABLE = "video__raw";

  @TempDir
  Path tmp;

  private static FeatureGraph graph() {
    return FeatureGraph.of(List.of(
        FeatureDefinition.of(
            FeatureSpec.builder("video/raw", "sample_id").field("audio", "1").build(),
            "test",
            Map.of()),
        FeatureDefinition.of(
            FeatureSpec.builder("video/clip", "sample_id")
                .dep("video/raw")
                .field("embedding", "1")
                .build(),
            "test",
            Map.of())));
  }

  /** Root rows with ids {@code [from, to)}, one Iceberg commit (one data file) per call. */
  private static VectorSchemaRoot rows(BufferAllocator a, int from, int to) {
    BigIntVector ids = new BigIntVector("sample_id", a);
    ids.allocateNew(to - from);
    List<Map<String, ?>> pbf = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ids.set(i - from, i);
      pbf.add(Map.of("audio", "h" + i));
    }
    ids.setValueCount(to - from);
    List<FieldVector> columns = List.of(
        ids, ArrowBatches.byFieldStruct("metaxy_provenance_by_field", List.of("audio"), pbf, a));
    return ArrowBatches.of(columns, to - from);
  }

  private MetadataStore store(BufferAllocator a) {
    return new IcebergMetadataStore(
        StoreOptions.of(graph()).allocator(a), tmp.resolve("wh").toString());
  }

  @Test
  void idFiltersSkipFilesAndIdRangesComeFromColumnBounds() throws Exception {
    try (BufferAllocator a = new RootAllocator()) {
      try (MetadataStore store = store(a);
          var scope = store.open(AccessMode.WRITE)) {
        for (int from = 0; from < 300; from += 100) {
          try (VectorSchemaRoot r = rows(a, from, from + 100)) {
            store.write(RAW, r);
          }
        }
      }
      try (IcebergBackend b = (IcebergBackend)
          new IcebergConnector(tmp.resolve("wh").toString(), "metaxy", "metaxy", null, true)
              .connect(new ConnectRequest(false, "test", false, a))) {
        assertArrayEquals(new long[] {0, 299, 300}, b.integerRange(TABLE, "sample_id"));
        assertNull(b.integerRange(TABLE, "metaxy_provenance"), "not an integer column");
        assertTrue(b.supportsFilterPushdown());

        Table t = b.load(TABLE);
        List<String> ids = List.of("sample_id");
        assertEquals(3, IcebergBackend.plan(t, null, null).size());
        assertEquals(
            1,
            IcebergBackend.plan(
                    t,
                    null,
                    IcebergPruning.prunable(
                        Filters.compare("sample_id", Op.GE, 250L), ids, t.schema()))
                .size());
        // id ranges as a partitioned resolve writes them: [100, 200) is the middle file only
        var middle = Filters.and(
            Filters.compare("sample_id", Op.GE, 100L), Filters.compare("sample_id", Op.LT, 200L));
        assertEquals(
            1,
            IcebergBackend.plan(t, null, IcebergPruning.prunable(middle, ids, t.schema()))
                .size());
        assertEquals(
            2,
            IcebergBackend.plan(
                    t,
                    null,
                    IcebergPruning.prunable(
                        Filters.in("sample_id", List.of(5L, 150L)), ids, t.schema()))
                .size());
        // After deduplication only id columns may prune: an older row of a sample could otherwise
        // be read as its latest.
        var byValue = Filters.compare("metaxy_provenance", Op.EQ, "x");
        assertNull(IcebergPruning.prunable(byValue, ids, t.schema()));
        assertNotNull(IcebergPruning.prunable(byValue, null, t.schema()));
        // a literal of another kind is left to the scan
        assertNull(
            IcebergPruning.prunable(Filters.compare("sample_id", Op.EQ, "150"), ids, t.schema()));
      }
      try (MetadataStore store = store(a);
          var scope = store.open(AccessMode.WRITE)) {
        try (VectorSchemaRoot r =
            store.read(RAW, ReadOptions.DEFAULT.filters(RowFilter.ge("sample_id", 250L)))) {
          assertEquals(50, r.getRowCount());
        }
        // Split into id ranges of 100 rows (the range comes from the bounds), the same answer.
        try (Increment whole = store.resolveUpdate(CLIP);
            Increment split =
                store.resolveUpdate(CLIP, ResolveOptions.DEFAULT.partitionRows(100))) {
          assertEquals(300, whole.newCount());
          assertEquals(300, split.newCount());
          store.write(CLIP, split.newSamples());
        }
        try (Increment none =
            store.resolveUpdate(CLIP, ResolveOptions.DEFAULT.partitionRows(100))) {
          assertEquals(0, none.newCount() + none.staleCount() + none.orphanedCount());
        }
      }
    }
  }
}
