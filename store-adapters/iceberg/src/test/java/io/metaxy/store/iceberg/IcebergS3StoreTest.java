package io.metaxy.store.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreConformanceSuite;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import io.metaxy.store.support.ArrowBatches;
import io.metaxy.testing.s3.S3Server;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

  /** Dropping a table on S3 purges its objects (data, manifests, metadata), not only the catalog row. */
  @Test
  void dropTablePurgesTheObjects() throws Exception {
    String warehouse = "s3://" + S3Server.BUCKET + "/purge";
    IcebergConnector c = new IcebergConnector(
        warehouse,
        "metaxy",
        "metaxy",
        server.catalogProperties(tmp.resolve("purge.db"), warehouse),
        true);
    try (BufferAllocator a = new RootAllocator();
        StoreBackend b = c.connect(new ConnectRequest(false, "s3", false, a));
        VectorSchemaRoot rows =
            ArrowBatches.of(List.of(ArrowBatches.strings("sample_uid", List.of("x", "y"), a)), 2)) {
      b.append("gone", rows);
      assertTrue(server.objects("purge/metaxy.db/gone/") >= 3); // data file, manifest(s), metadata
      b.dropTable("gone");
      assertEquals(0, server.objects("purge/metaxy.db/gone/"));
    }
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
