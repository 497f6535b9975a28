package io.metaxy.cli;

import static io.metaxy.cli.StoreProject.feature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.store.ReadOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code mx} on the Iceberg and Delta stores (local warehouse / root path): push, status, a copy to
 * DuckDB, delete, and a DuckDB dev store that falls back to the lakehouse store for upstream rows.
 */
class LakehouseCliTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource({
    "metaxy.ext.polars.handlers.iceberg.IcebergMetadataStore, warehouse, IcebergMetadataStore",
    "metaxy.ext.polars.handlers.delta.DeltaMetadataStore, root_path, DeltaMetadataStore"
  })
  void pushStatusCopyDeleteAndFallback(String type, String locationKey, String display)
      throws Exception {
    StoreProject p = new StoreProject(dir);
    p.write("metaxy.toml", """
        project = "test"
        store = "prod"
        auto_create_tables = true
        [stores.prod]
        type = "%s"
        [stores.prod.config]
        %s = "lake"
        [stores.dev]
        type = "duckdb"
        [stores.dev.config]
        database = "dev.duckdb"
        fallback_stores = ["prod"]
        [stores.staging]
        type = "duckdb"
        [stores.staging.config]
        database = "staging.duckdb"
        [graph]
        classpath = ["classes"]
        """.formatted(type, locationKey));
    p.graph(feature("video/files_root"), feature("video/files", "video/files_root"));

    MxHarness.Result push = p.ok("push");
    assertTrue(push.out().strip().matches("[0-9a-f]{8}"), push.toString());
    assertTrue(push.err().contains(display), push.toString());

    p.writeRoot("prod", "video/files_root", 1, 2, 3);
    String status = p.ok("metadata", "status", "video/files").out();
    assertTrue(status.matches("(?s).*│ ✗ +│ video/files +│ 0 +│ 3 +│ 0 +│ 0 +│.*"), status);

    // The dev store (created by its own push) has no feature table: it reads the upstream from
    // prod.
    p.ok("push", "--store", "dev");
    String dev = p.ok("metadata", "status", "video/files", "--store", "dev").out();
    assertTrue(dev.matches("(?s).*│ ✗ +│ video/files +│ 0 +│ 3 +│ 0 +│ 0 +│.*"), dev);

    p.materialize("prod", "video/files");
    assertEquals(
        0, p.run("metadata", "status", "--all-features", "--assert-in-sync").rc());
    assertEquals(
        "✓ Copy complete: 2 feature(s), 6 row(s) copied\n",
        p.ok("metadata", "copy", "--all-features", "--from", "prod", "--to", "staging")
            .out());
    assertEquals(3, p.count("staging", "video/files", ReadOptions.DEFAULT));
    p.ok("metadata", "delete", "video/files", "--filter", "sample_uid = 2");
    assertEquals(2, p.count("prod", "video/files", ReadOptions.DEFAULT));
  }
}
