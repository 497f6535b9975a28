package io.metaxy.store.delta;

import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreConformanceSuite;
import io.metaxy.store.StoreOptions;
import io.metaxy.testing.s3.S3Server;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store scenarios on Delta tables under {@code s3://bucket/deltaN} (nested layout), served by
 * s3proxy on loopback, through Kernel's engine on {@link S3FileIO}.
 */
class DeltaS3StoreTest extends StoreConformanceSuite {
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

  /** The reference's storage options for a server, as its own S3 tests set them. */
  static Map<String, String> storageOptions(S3Server server) {
    return Map.of(
        "AWS_ENDPOINT_URL",
        server.endpoint(),
        "AWS_ACCESS_KEY_ID",
        S3Server.ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY",
        S3Server.SECRET_KEY,
        "AWS_REGION",
        "us-east-1",
        "AWS_ALLOW_HTTP",
        "true");
  }

  @Override
  protected MetadataStore newStore(StoreOptions options) {
    String root =
        "s3://" + S3Server.BUCKET + "/delta" + n.incrementAndGet() + "-" + System.nanoTime();
    return new DeltaMetadataStore(
        options, root, DeltaConnector.Layout.NESTED, storageOptions(server));
  }
}
