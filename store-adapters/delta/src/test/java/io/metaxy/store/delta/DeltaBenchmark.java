package io.metaxy.store.delta;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.support.ArrowBatches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Rough figures for the Delta store on local disk (run by hand, not a test): one append of N root
 * samples, a deduplicated read of them, and a downstream resolve over them. Arguments: N (default
 * 100000).
 */
public final class DeltaBenchmark {
  private DeltaBenchmark() {}

  /** Runs the benchmark and prints milliseconds per step. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    FeatureKey root = FeatureKey.of("bench/root");
    FeatureKey down = FeatureKey.of("bench/down");
    FeatureGraph graph = FeatureGraph.of(List.of(
        FeatureDefinition.of(
            FeatureSpec.builder("bench/root", "sample_uid").field("value", "1").build(),
            "p",
            Map.of()),
        FeatureDefinition.of(
            FeatureSpec.builder("bench/down", "sample_uid")
                .dep("bench/root")
                .field("result", "1")
                .build(),
            "p",
            Map.of())));
    Path dir = Files.createTempDirectory("metaxy-delta-bench");
    try (BufferAllocator allocator = new RootAllocator()) {
      DeltaMetadataStore store =
          new DeltaMetadataStore(StoreOptions.of(graph).allocator(allocator), dir);
      List<String> ids = new ArrayList<>(n);
      List<Map<String, String>> pbf = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ids.add("s" + i);
        pbf.add(Map.of("value", Integer.toHexString(i * 31)));
      }
      List<FieldVector> cols = new ArrayList<>();
      cols.add(ArrowBatches.strings("sample_uid", ids, allocator));
      cols.add(ArrowBatches.byFieldStruct(
          "metaxy_provenance_by_field", List.of("value"), pbf, allocator));
      try (var scope = store.open(AccessMode.WRITE);
          VectorSchemaRoot batch = ArrowBatches.of(cols, n)) {
        long t0 = System.nanoTime();
        store.write(root, batch);
        long t1 = System.nanoTime();
        int read;
        try (VectorSchemaRoot r = store.read(root)) {
          read = r.getRowCount();
        }
        long t2 = System.nanoTime();
        int fresh;
        try (Increment inc = store.resolveUpdate(down)) {
          fresh = inc.newSamples().getRowCount();
        }
        long t3 = System.nanoTime();
        System.out.printf(
            "n=%d write=%d ms read=%d ms (%d rows) resolve=%d ms (%d new)%n",
            n, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, read, (t3 - t2) / 1_000_000, fresh);
      }
      store.close();
    }
  }
}
