package io.metaxy.store.duckdb;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.StoreOptions;
import java.util.List;

/** Opens a DuckDB store for writing in a separate process and holds it until stdin closes. */
public final class LockHolder {
  private LockHolder() {}

  /** Arguments: the database file. */
  public static void main(String[] args) throws Exception {
    DuckDbMetadataStore store =
        new DuckDbMetadataStore(StoreOptions.of(FeatureGraph.of(List.of())), args[0]);
    try (var scope = store.open(AccessMode.WRITE)) {
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the lock until the parent closes our stdin
      }
    }
  }
}
