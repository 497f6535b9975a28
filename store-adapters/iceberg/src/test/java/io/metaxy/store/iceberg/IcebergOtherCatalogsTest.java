package io.metaxy.store.iceberg;

import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreConformanceSuite;
import io.metaxy.store.StoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store scenarios through the catalogs other than the reference's default SQL one: a REST
 * catalog (Iceberg's {@code RESTCatalog} client against {@link RestCatalogServer} on loopback) and a
 * Hadoop catalog (metadata files in the warehouse directory, no database).
 */
class IcebergOtherCatalogsTest {
  @TempDir
  static Path tmp;

  private static RestCatalogServer rest;
  private static final AtomicInteger N = new AtomicInteger();

  @BeforeAll
  static void startRestCatalog() throws IOException {
    rest = RestCatalogServer.start(tmp.resolve("rest"));
  }

  @AfterAll
  static void stopRestCatalog() throws Exception {
    rest.close();
  }

  private static Path warehouse(String kind) {
    Path w = tmp.resolve(kind + N.incrementAndGet());
    try {
      Files.createDirectories(w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w;
  }

  /** Every store gets its own namespace of the one REST catalog, as separate deployments would. */
  @Nested
  class Rest extends StoreConformanceSuite {
    @Override
    protected MetadataStore newStore(StoreOptions options) {
      Path w = warehouse("rest");
      return new IcebergMetadataStore(
          options, w.toString(), "metaxy_" + N.get(), "rest", rest.catalogProperties(), true);
    }
  }

  @Nested
  class Hadoop extends StoreConformanceSuite {
    @Override
    protected MetadataStore newStore(StoreOptions options) {
      Path w = warehouse("hadoop");
      return new IcebergMetadataStore(
          options,
          w.toString(),
          "metaxy",
          "hadoop",
          Map.of("type", "hadoop", "warehouse", "file://" + w),
          true);
    }
  }
}
