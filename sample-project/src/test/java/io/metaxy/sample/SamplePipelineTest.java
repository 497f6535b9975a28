package io.metaxy.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureCompanions;
import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.sample.features.SpeechToText;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README story, end to end on embedded DuckDB: only what depends on changed audio is recomputed. */
class SamplePipelineTest {
  @TempDir Path data;

  private Map<String, Pipeline.Counts> run(boolean dryRun) {
    FeatureGraph graph = FeatureGraph.load();
    try (MetadataStore store = new DuckDbMetadataStore(StoreOptions.of(graph), data.resolve("metadata.duckdb").toString());
        MetadataStore.Scope scope = store.open(AccessMode.WRITE)) {
      List<Pipeline.Counts> counts = new Pipeline(store, data, new PrintStream(new ByteArrayOutputStream())).run(dryRun);
      return counts.stream().collect(Collectors.toMap(Pipeline.Counts::feature, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }
  }

  private Map<String, String> transcripts() {
    FeatureGraph graph = FeatureGraph.load();
    try (MetadataStore store = new DuckDbMetadataStore(StoreOptions.of(graph), data.resolve("metadata.duckdb").toString());
        MetadataStore.Scope scope = store.open(AccessMode.READ);
        VectorSchemaRoot rows = store.read(FeatureKey.of("example/stt"))) {
      return Increment.records(rows, FeatureCompanions.of(SpeechToText.class)).stream()
          .collect(Collectors.toMap(SpeechToText::videoId, SpeechToText::transcript));
    }
  }

  @Test
  void recomputesOnlyWhatDependsOnTheChangedAudio() throws Exception {
    new MediaLibrary(data).generate(12, 3);

    Map<String, Pipeline.Counts> first = run(false);
    assertEquals(12, first.get("example/video").added());
    assertEquals(12, first.get("example/crop").added());
    assertEquals(12, first.get("example/chunks").added(), "one increment row per parent video");
    assertEquals(3, first.get("example/speaker_embedding").added(), "one per speaker");
    assertEquals(48, first.get("example/chunk_faces").added(), "four half-second chunks per 2 s video");
    Map<String, String> before = transcripts();

    Map<String, Pipeline.Counts> second = run(false);
    second.values().forEach(c -> assertEquals(0, c.added() + c.stale() + c.orphaned(), "nothing to do: " + c));
    assertEquals(12, second.get("example/crop").skipped());

    ByteArrayOutputStream touched = new ByteArrayOutputStream();
    assertEquals(0, SampleMain.run(new String[] {"--data", data.toString(), "touch-audio", "3"},
        new PrintStream(touched, true, StandardCharsets.UTF_8)));
    Map<String, Pipeline.Counts> status = run(true);
    assertEquals(3, status.get("example/video").stale());

    Map<String, Pipeline.Counts> third = run(false);
    assertEquals(3, third.get("example/crop").stale());
    assertEquals(3, third.get("example/stt").stale());
    assertEquals(3, third.get("example/chunks").stale());
    assertEquals(0, third.get("example/face_detection").stale() + third.get("example/face_detection").added());
    assertEquals(0, third.get("example/chunk_faces").stale() + third.get("example/chunk_faces").added());
    assertEquals(0, third.get("example/speaker_embedding").stale());
    assertEquals(9, third.get("example/crop").skipped());

    // Real work happened: the touched videos got new transcripts, the others kept theirs, and the new
    // crop outputs sit next to the old ones under their data version.
    Map<String, String> after = transcripts();
    for (String id : List.of("v001", "v002", "v003")) {
      assertNotEquals(before.get(id), after.get(id), id);
    }
    assertEquals(before.get("v004"), after.get("v004"));
    try (var versions = Files.list(data.resolve("derived/crop/v001"))) {
      assertEquals(2, versions.count());
    }
    try (var versions = Files.list(data.resolve("derived/crop/v004"))) {
      assertEquals(1, versions.count());
    }

    run(false);
    run(true).values().forEach(c -> assertTrue(c.added() + c.stale() + c.orphaned() == 0, "in sync: " + c));
  }
}
