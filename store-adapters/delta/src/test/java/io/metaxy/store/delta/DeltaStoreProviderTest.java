package io.metaxy.store.delta;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.config.ConfigException;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type = "delta"} through the store factory, as {@code docs/stores.md} configures it. */
class DeltaStoreProviderTest {
  @TempDir
  Path dir;

  private MetaxyConfig load(String toml) throws IOException {
    Files.writeString(dir.resolve("metaxy.toml"), toml);
    return MetaxyConfig.loader().workingDirectory(dir).environment(Map.of()).load();
  }

  private String error(String toml) throws IOException {
    Files.writeString(dir.resolve("metaxy.toml"), toml);
    return assertThrows(ConfigException.class, () -> {
          MetaxyConfig c =
              MetaxyConfig.loader().workingDirectory(dir).environment(Map.of()).load();
          Stores.open(c, "d");
        })
        .getMessage();
  }

  @Test
  void typeNamesResolve() {
    for (String t : List.of(
        "delta",
        "metaxy.ext.polars.handlers.delta.DeltaMetadataStore",
        "metaxy.ext.metadata_stores.delta.DeltaMetadataStore",
        DeltaMetadataStore.class.getName())) {
      assertInstanceOf(DeltaStoreProvider.class, Stores.provider(t).orElseThrow(), t);
    }
  }

  /** The example of docs/stores.md, "Delta store": written, then read back through a new store. */
  @Test
  void theDocumentedConfigurationOpensAWorkingStore() throws IOException {
    MetaxyConfig c = load("""
        [stores.dev]
        type = "metaxy.ext.polars.handlers.delta.DeltaMetadataStore"

        [stores.dev.config]
        root_path = "metadata"
        layout = "nested"
        auto_create_tables = true
        """);
    MetadataStore s = Stores.open(c, "dev", graph());
    DeltaConnector conn = assertInstanceOf(DeltaConnector.class, s.connector());
    assertEquals(dir.resolve("metadata").toString(), conn.root());
    assertEquals(DeltaConnector.Layout.NESTED, conn.layout());
    assertTrue(
        s.toString()
            .endsWith(
                "DeltaMetadataStore(root_path=" + dir.resolve("metadata") + ", layout=nested)"),
        s.toString());
    try (BufferAllocator allocator = new RootAllocator()) {
      try (var scope = s.open(AccessMode.WRITE);
          VectorSchemaRoot b = batch(
              allocator, row("video_id", "v1", "metaxy_provenance_by_field", pbf("audio", "a")))) {
        s.write(VIDEO, b);
      }
      s.close();
      assertTrue(Files.isDirectory(dir.resolve("metadata/video/raw.delta/_delta_log")));
      MetadataStore again =
          Stores.open(load(Files.readString(dir.resolve("metaxy.toml"))), "dev", graph());
      try (var scope = again.open(AccessMode.READ);
          VectorSchemaRoot r = again.read(VIDEO)) {
        assertEquals(1, r.getRowCount());
      } finally {
        again.close();
      }
    }
  }

  private static final FeatureKey VIDEO = FeatureKey.of("video/raw");

  private static FeatureGraph graph() {
    return FeatureGraph.of(List.of(FeatureDefinition.of(
        FeatureSpec.builder("video/raw", "video_id").field("audio", "1").build(), "p", Map.of())));
  }

  @Test
  void flatLayoutAndFileUrls() throws IOException {
    MetaxyConfig c = load("""
        [stores.d]
        type = "delta"
        config = { root_path = "file://%s/flat", layout = "flat", delta_write_options = { max_workers = 4 } }
        """.formatted(dir));
    DeltaConnector conn = (DeltaConnector) Stores.open(c, "d").connector();
    assertEquals(dir.resolve("flat").toString(), conn.root());
    assertEquals(DeltaConnector.Layout.FLAT, conn.layout());
    assertEquals(dir + "/flat/video__raw.delta", conn.tablePath("video__raw"));
  }

  /** The embedded DuckDB's settings reach the connector and are checked when the store opens. */
  @Test
  void duckdbConfigIsAppliedAndChecked() throws IOException {
    MetaxyConfig c = load("""
        [stores.d]
        type = "delta"
        config = { root_path = "m", auto_create_tables = true, duckdb_config = { memory_limit = "512MB", threads = 1 } }
        [stores.bad]
        type = "delta"
        config = { root_path = "m2", duckdb_config = { no_such_setting = "x" } }
        """);
    MetadataStore s = Stores.open(c, "d", graph());
    assertEquals(
        Map.of("memory_limit", "512MB", "threads", "1"),
        ((DeltaConnector) s.connector()).duckdbConfig());
    try (BufferAllocator allocator = new RootAllocator()) {
      try (var scope = s.open(AccessMode.WRITE);
          VectorSchemaRoot b = batch(
              allocator, row("video_id", "v1", "metaxy_provenance_by_field", pbf("audio", "a")))) {
        s.write(VIDEO, b);
        try (VectorSchemaRoot r = s.read(VIDEO)) {
          assertEquals(1, r.getRowCount());
        }
      } finally {
        s.close();
      }
    }
    try (MetadataStore bad = Stores.open(c, "bad", graph())) {
      String m =
          assertThrows(RuntimeException.class, () -> bad.open(AccessMode.WRITE)).getMessage();
      assertTrue(m.contains("no_such_setting"), m);
    }
    assertTrue(!Files.exists(dir.resolve("m2")), "nothing created");
    assertTrue(error("""
        [stores.d]
        type = "delta"
        config = { root_path = "x", duckdb_config = { threads = [1] } }
        """).contains("duckdb_config.threads"));
  }

  @Test
  void badSettingsNameTheKey() throws IOException {
    assertTrue(error("""
        [stores.d]
        type = "delta"
        config = { layout = "nested" }
        """).contains("root_path"));
    assertTrue(error("""
        [stores.d]
        type = "delta"
        config = { root_path = "x", layout = "deep" }
        """).contains("layout"));
    String gcs = error("""
        [stores.d]
        type = "delta"
        config = { root_path = "gs://bucket/metaxy" }
        """);
    assertTrue(gcs.contains("root_path") && gcs.contains("not supported"), gcs);
    String local = error("""
        [stores.d]
        type = "delta"
        config = { root_path = "x", storage_options = { AWS_REGION = "us-west-2" } }
        """);
    assertTrue(local.contains("storage_options") && local.contains("s3://"), local);
  }

  /** S3 options are checked when the store is configured, naming the key at fault. */
  @Test
  void badS3OptionsNameTheKey() throws IOException {
    String http = error("""
        [stores.d]
        type = "delta"
        config = { root_path = "s3://b/m", storage_options = { AWS_ENDPOINT_URL = "http://h:9000" } }
        """);
    assertTrue(http.contains("storage_options") && http.contains("AWS_ALLOW_HTTP"), http);
    String lock = error("""
        [stores.d]
        type = "delta"
        config = { root_path = "s3://b/m", storage_options = { AWS_S3_LOCKING_PROVIDER = "dynamodb" } }
        """);
    assertTrue(lock.contains("AWS_S3_LOCKING_PROVIDER") && lock.contains("conditional"), lock);
    String half = error("""
        [stores.d]
        type = "delta"
        config = { root_path = "s3://b/m", storage_options = { aws_secret_access_key = "s3cr3t-value" } }
        """);
    assertTrue(half.contains("AWS_ACCESS_KEY_ID") && !half.contains("s3cr3t-value"), half);
    String flag = error("""
        [stores.d]
        type = "delta"
        config = { root_path = "s3://b/m", storage_options = { AWS_ALLOW_HTTP = "maybe" } }
        """);
    assertTrue(flag.contains("AWS_ALLOW_HTTP"), flag);
  }

  /** An {@code s3://} root is kept as given, not resolved against the config file's directory. */
  @Test
  void s3RootsStayUrls() throws IOException {
    MetaxyConfig c = load("""
        [stores.d]
        type = "delta"
        config = { root_path = "s3://bucket/metaxy/", storage_options = { region = "eu-west-1" } }
        """);
    DeltaConnector conn = (DeltaConnector) Stores.open(c, "d").connector();
    assertEquals("s3://bucket/metaxy", conn.root());
    assertEquals("s3://bucket/metaxy/video/raw.delta", conn.tablePath("video__raw"));
  }
}
