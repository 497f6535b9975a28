package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.Stores;
import io.metaxy.store.support.ArrowBatches;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A representative run of {@code mx}, made once per build of the jar by the launcher script with
 * {@code -XX:ArchiveClassesAtExit}: later runs map the classes it loaded (configuration, graph loading,
 * DuckDB's driver, jOOQ, Arrow, the engine, rendering) from that class-data archive instead of parsing
 * and verifying them again, which halves the start-up of store commands (see {@code docs/cli.md}).
 * It works in a temporary project that it deletes again, and prints nothing; the exit code is 0 when
 * every step ran.
 */
public final class StartupTraining {
  private StartupTraining() {}

  /** The commands run in the training project, after its store was filled. */
  static final List<List<String>> COMMANDS = List.of(
      List.of("push"),
      List.of("metadata", "status", "--all-features"),
      List.of("list", "features"),
      List.of("describe", "graph"),
      List.of("graph", "render", "--format", "mermaid"),
      List.of("history"));

  /** Runs the training in a temporary directory; exits 1 when a step failed. */
  public static void main(String[] args) throws IOException {
    Mx.configureLogging();
    Path dir = Files.createTempDirectory("mx-training");
    int rc;
    try {
      rc = run(dir);
    } finally {
      delete(dir);
    }
    System.exit(rc);
  }

  /** The training in {@code dir} (an empty directory); the highest exit code of its commands. */
  static int run(Path dir) throws IOException {
    Files.writeString(dir.resolve("metaxy.toml"), """
        project = "training"
        store = "dev"
        auto_create_tables = true
        [stores.dev]
        type = "duckdb"
        [stores.dev.config]
        database = "metadata.duckdb"
        [graph]
        classpath = ["classes"]
        """);
    Path graph = dir.resolve("classes/META-INF/metaxy/graph.json");
    Files.createDirectories(graph.getParent());
    Files.writeString(graph, """
        {"features": [
          {"project": "training", "class_name": "training.Video", "spec": {"key": "training/video",
            "id_columns": ["sample_uid"], "deps": [],
            "fields": [{"key": "audio", "code_version": "1"}, {"key": "frames", "code_version": "1"}]}},
          {"project": "training", "class_name": "training.Clip", "spec": {"key": "training/clip",
            "id_columns": ["sample_uid"], "deps": [{"feature": "training/video"}],
            "fields": [{"key": "embedding", "code_version": "1"}]}}
        ]}
        """);
    fill(dir);
    PrintStream sink =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    int rc = 0;
    for (List<String> command : COMMANDS) {
      rc = Math.max(rc, Mx.run(command.toArray(new String[0]), sink, sink, Map.of(), dir));
    }
    return rc;
  }

  /** Writes root samples, resolves the leaf and writes it: the store's write and resolve paths. */
  private static void fill(Path dir) {
    MetaxyConfig config =
        MetaxyConfig.loader().workingDirectory(dir).environment(Map.of()).load();
    FeatureKey video = FeatureKey.of("training/video");
    FeatureKey clip = FeatureKey.of("training/clip");
    try (MetadataStore store = Stores.open(config, "dev", config.loadGraph());
        var scope = store.open(AccessMode.WRITE)) {
      int n = 1000;
      List<Map<String, String>> versions = new ArrayList<>();
      BigIntVector ids = new BigIntVector("sample_uid", store.allocator());
      ids.allocateNew(n);
      for (int i = 0; i < n; i++) {
        ids.set(i, i);
        versions.add(Map.of("audio", "a" + i, "frames", "f" + i));
      }
      ids.setValueCount(n);
      List<FieldVector> columns = List.of(
          ids,
          ArrowBatches.byFieldStruct(
              "metaxy_provenance_by_field",
              List.of("audio", "frames"),
              versions,
              store.allocator()));
      try (VectorSchemaRoot rows = ArrowBatches.of(columns, n)) {
        store.write(video, rows);
      }
      try (Increment inc = store.resolveUpdate(clip)) {
        store.write(clip, inc.newSamples());
      }
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the training directory " + dir, e);
    }
  }
}
