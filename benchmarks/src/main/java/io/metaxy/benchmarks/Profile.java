package io.metaxy.benchmarks;

import io.metaxy.FeatureKey;
import io.metaxy.engine.IncrementBatches;
import io.metaxy.engine.VersioningEngine;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import io.metaxy.store.support.BufferPool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where the time of our {@code resolveUpdate} goes: the main steps the store takes (open, read each
 * upstream, read the target, {@code VersioningEngine.expected}, {@code VersioningEngine.diff}), each
 * timed on its own through the public API, then one whole {@code resolveUpdate} on the same open store
 * for comparison. Runs on the scenario's template, STRUCT or MAP by-field columns alike (everything goes
 * through the store API, which reads both).
 */
final class Profile {
  private Profile() {}

  @SuppressWarnings("try") // the scope keeps the store open while the phases run
  static void run(Scenario sc, Path template, Path round, int rounds) {
    FeatureKey leaf = sc.shape().leaf();
    Map<String, List<Double>> phases = new LinkedHashMap<>();
    try (BufferAllocator allocator = BufferPool.newRootAllocator()) { // as the benchmark child
      for (int i = 0; i < rounds + 1; i++) {
        Templates.copy(template, round);
        long t = System.nanoTime();
        Map<String, Double> ms = new LinkedHashMap<>();
        try (DuckDbMetadataStore store = new DuckDbMetadataStore(
            MetaxyResolve.options(sc).allocator(allocator), round.toString())) {
          try (var scope = store.open(AccessMode.READ)) {
            t = lap(ms, "open", t);
            Map<FeatureKey, VectorSchemaRoot> upstream = new LinkedHashMap<>();
            try {
              for (FeatureKey root : sc.shape().roots()) {
                upstream.put(root, store.read(root));
                t = lap(ms, "read " + root, t);
              }
              try (VectorSchemaRoot current = store.read(leaf, ReadOptions.DEFAULT.noFallback())) {
                t = lap(ms, "read " + leaf, t);
                VersioningEngine engine = new VersioningEngine(
                    store.graph(), store.hashAlgorithm(), store.truncation(), allocator);
                try (VectorSchemaRoot expected = engine.expected(leaf, upstream)) {
                  t = lap(ms, "engine.expected", t);
                  IncrementBatches b = engine.diff(leaf, expected, current);
                  b.newRows().close();
                  b.stale().close();
                  b.orphaned().close();
                  t = lap(ms, "engine.diff", t);
                }
              }
            } finally {
              upstream.values().forEach(VectorSchemaRoot::close);
            }
            t = System.nanoTime();
            try (Increment inc = store.resolveUpdate(leaf)) {
              t = lap(ms, "(whole resolveUpdate)", t);
            }
          }
        }
        lap(ms, "close", t);
        if (i > 0) {
          ms.forEach((k, v) -> phases.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
      }
    } finally {
      Templates.delete(round);
    }
    System.out.println("profile of metaxy resolveUpdate, " + sc.label() + ", median of " + rounds
        + " rounds (ms):");
    double total = 0;
    for (var e : phases.entrySet()) {
      double med = Stats.of(
              e.getValue().stream().mapToDouble(Double::doubleValue).toArray())
          .median();
      boolean whole = e.getKey().startsWith("(");
      total += whole ? 0 : med;
      System.out.printf(Locale.ROOT, "  %-28s %9.1f%n", e.getKey(), med);
    }
    System.out.printf(Locale.ROOT, "  %-28s %9.1f%n", "sum of steps", total);
    System.out.println(
        "  (whole resolveUpdate runs after the steps on the same open store; the difference to the"
            + " read+engine steps is work the store does beyond them)");
  }

  private static long lap(Map<String, Double> ms, String phase, long since) {
    long now = System.nanoTime();
    ms.put(phase, (now - since) / 1e6);
    return now;
  }
}
