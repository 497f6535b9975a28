package io.metaxy.store;

import io.metaxy.store.duckdb.DuckDbMetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Incremental against full resolves on DuckDB files. */
class DuckDbIncrementalResolveTest extends IncrementalResolveSuite {
  @TempDir
  Path dir;

  @Override
  protected MetadataStore newStore(StoreOptions options) {
    try {
      Path file = Files.createTempFile(dir, "store", ".duckdb");
      Files.delete(file);
      return new DuckDbMetadataStore(options, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected int histories() {
    return 100;
  }
}
