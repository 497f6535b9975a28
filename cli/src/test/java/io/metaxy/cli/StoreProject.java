package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.Stores;
import io.metaxy.store.TestRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A project directory for store-backed scenarios (fixture P0 of cli-scenarios.md): {@code metaxy.toml}
 * with project {@code test} and DuckDB stores {@code dev} (default) and {@code staging} in the directory,
 * and the feature graph at {@code classes/META-INF/metaxy/graph.json} (found through {@code
 * graph.classpath}, as a compiled project would be). Data is written through the real store factory.
 */
final class StoreProject {
  final Path dir;
  final MxHarness mx;

  StoreProject(Path dir, String project, String database) {
    this.dir = dir;
    this.mx = new MxHarness(dir);
    write("metaxy.toml", """
        project = "%s"
        store = "dev"
        auto_create_tables = true
        [stores.dev]
        type = "metaxy.ext.duckdb.DuckDBMetadataStore"
        [stores.dev.config]
        database = "%s"
        [stores.staging]
        type = "metaxy.ext.duckdb.DuckDBMetadataStore"
        [stores.staging.config]
        database = "metadata_staging.duckdb"
        [graph]
        classpath = ["classes"]
        """.formatted(project, database.replace("\\", "\\\\")));
    graph();
  }

  /** P0: project {@code test}, database {@code metadata.duckdb} in the directory. */
  StoreProject(Path dir) {
    this(dir, "test", "metadata.duckdb");
  }

  void write(String name, String text) {
    try {
      Path p = dir.resolve(name);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces the project's feature graph. */
  StoreProject graph(String... features) {
    write(
        "classes/META-INF/metaxy/graph.json",
        "{\"features\": [" + String.join(",\n", features) + "]}");
    return this;
  }

  /**
   * One feature in GraphJson format: id column {@code sample_uid}, one field {@code default} per
   * {@code fields} entry given as {@code name:codeVersion} (default {@code default:1}).
   */
  static String feature(String project, String key, List<String> deps, String... fields) {
    return feature(project, key, deps, false, fields);
  }

  static String feature(
      String project, String key, List<String> deps, boolean external, String... fields) {
    List<String> fs = new ArrayList<>();
    for (String f : fields.length == 0 ? new String[] {"default:1"} : fields) {
      String[] p = f.split(":");
      fs.add("{\"key\": \"" + p[0] + "\", \"code_version\": \"" + p[1] + "\"}");
    }
    List<String> ds = deps.stream().map(d -> "{\"feature\": \"" + d + "\"}").toList();
    String cls = "com.example." + key.replace("/", "_");
    return "{\"project\": \"" + project + "\", "
        + (external ? "\"is_external\": true, " : "\"class_name\": \"" + cls + "\", ")
        + "\"spec\": {\"key\": \"" + key + "\", \"id_columns\": [\"sample_uid\"], \"deps\": ["
        + String.join(", ", ds)
        + "], \"fields\": [" + String.join(", ", fs) + "]}}";
  }

  static String feature(String key, String... deps) {
    return feature("test", key, List.of(deps));
  }

  MetaxyConfig config() {
    return MetaxyConfig.loader().workingDirectory(dir).environment(Map.of()).load();
  }

  /** Runs {@code body} with the named store open for writing, on the current graph. */
  <T> T withStore(String name, Function<MetadataStore, T> body) {
    MetaxyConfig c = config();
    try (MetadataStore s = Stores.open(c, name, c.loadGraph());
        var scope = s.open(AccessMode.WRITE)) {
      return body.apply(s);
    }
  }

  /**
   * Creates the named store's database without data, as a first write would. Scenarios about an empty
   * store need it: a DuckDB store opened for reading does not create a missing file.
   */
  StoreProject emptyStore(String name) {
    withStore(name, s -> null);
    return this;
  }

  /** Writes root rows {@code sample_uid = ids} with provenance {@code default = "p<id>"} (plus extra columns). */
  void writeRoot(String store, String key, long... ids) {
    withStore(store, s -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (long id : ids) {
        rows.add(TestRows.row(
            "sample_uid", id, "metaxy_provenance_by_field", TestRows.pbf("default", "p" + id)));
      }
      try (VectorSchemaRoot b = TestRows.batch(s.allocator(), rows)) {
        s.write(FeatureKey.of(key), b);
      }
      return null;
    });
  }

  /** Writes arbitrary rows (each needs sample_uid and metaxy_provenance_by_field). */
  void writeRows(String store, String key, List<Map<String, Object>> rows) {
    withStore(store, s -> {
      try (VectorSchemaRoot b = TestRows.batch(s.allocator(), rows)) {
        s.write(FeatureKey.of(key), b);
      }
      return null;
    });
  }

  /** Resolves and writes every new sample of a downstream feature; the count written. */
  int materialize(String store, String key) {
    return withStore(store, s -> {
      try (Increment inc = s.resolveUpdate(FeatureKey.of(key))) {
        s.write(FeatureKey.of(key), inc.newSamples());
        return inc.newSamples().getRowCount();
      }
    });
  }

  /** Rows a plain read returns (current version, latest per sample, tombstones per {@code opts}). */
  int count(String store, String key, ReadOptions opts) {
    return withStore(store, s -> {
      try (VectorSchemaRoot r = s.read(FeatureKey.of(key), opts)) {
        return r.getRowCount();
      }
    });
  }

  MxHarness.Result run(String... args) {
    return mx.run(args);
  }

  MxHarness.Result ok(String... args) {
    return mx.ok(args);
  }
}
