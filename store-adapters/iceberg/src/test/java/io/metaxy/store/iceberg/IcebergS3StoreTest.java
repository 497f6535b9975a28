package io.metaxy.store.iceberg;

import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreConformanceSuite;
import io.metaxy.store.StoreOptions;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store scenarios on an S3 warehouse ({@code s3://bucket/warehouseN}) served by s3proxy on
 * loopback, through Iceberg's S3FileIO; the catalog is SQLite in a local directory.
 */
class IcebergS3StoreTest extends StoreConformanceSuite {
  @TempDir
  static Path tmp;

  private static S3Server server;
  private final AtomicInteger n = new AtomicInteger();

  @BeforeAll
  static void startServer() throws Exception {
    server = S3Server.start(tmp.resolve("s3"));
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected MetadataStore newStore(StoreOptions options) {
    int i = n.incrementAndGet();
    String warehouse = "s3://" + S3Server.BUCKET + "/warehouse" + i + "-" + System.nanoTime();
    return new IcebergMetadataStore(
        options,
        warehouse,
        "metaxy",
        "metaxy",
        server.catalogProperties(
            tmp.resolve("catalog" + i + "-" + System.nanoTime() + ".db"), warehouse),
        true);
  }
}
