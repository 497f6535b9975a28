package io.metaxy.benchmarks;

import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import io.metaxy.store.spi.ByFieldLayout;
import java.nio.file.Path;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/** The increment through the public store API. */
final class MetaxyResolve {
  private MetaxyResolve() {}

  @SuppressWarnings("try") // the scope is held open for the duration of the resolve
  static Counts run(
      Scenario sc, Path file, Map<String, String> settings, BufferAllocator allocator) {
    try (DuckDbMetadataStore store =
            new DuckDbMetadataStore(options(sc).allocator(allocator), file.toString(), settings);
        var scope = store.open(AccessMode.READ);
        Increment inc = store.resolveUpdate(sc.shape().leaf())) {
      return new Counts(inc.newCount(), inc.staleCount(), inc.orphanedCount());
    }
  }

  /** Opens {@code store} for reading, resolves the leaf's increment, counts it and closes the store. */
  @SuppressWarnings("try") // the scope is held open for the duration of the resolve
  static Counts run(Scenario sc, MetadataStore store) {
    try (store;
        var scope = store.open(AccessMode.READ);
        Increment inc = store.resolveUpdate(sc.shape().leaf())) {
      return new Counts(inc.newCount(), inc.staleCount(), inc.orphanedCount());
    }
  }

  /**
   * The store options of a scenario: its hash algorithm and, for the MAP layout, {@code enableMapDatatype}
   * as a user of that layout configures it (it only decides the layout of tables the store creates; the
   * template's tables exist, and reads work on both layouts).
   */
  static StoreOptions options(Scenario sc) {
    return StoreOptions.of(sc.shape().graph())
        .hashAlgorithm(sc.hash())
        .enableMapDatatype(sc.layout() == ByFieldLayout.MAP);
  }
}
