package io.metaxy.store;

import io.metaxy.store.iceberg.IcebergMetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The store scenarios on Iceberg: a local warehouse with the reference's default SQLite catalog. */
class IcebergStoreTest extends StoreConformanceSuite {
  @TempDir
  Path dir;

  private final AtomicInteger n = new AtomicInteger();

  @Override
  protected MetadataStore newStore(StoreOptions options) {
    Path warehouse = dir.resolve("warehouse" + n.incrementAndGet());
    try {
      Files.createDirectories(warehouse);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new IcebergMetadataStore(options, warehouse.toString());
  }
}
