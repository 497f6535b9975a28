package io.metaxy.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureCompanions;
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
  @TempDir
  Path data;

  private <T> T withPipeline(Function<Pipeline, T> body) {
    FeatureGraph graph = FeatureGraph.load();
    try (MetadataStore store = new DuckDbMetadataStore(
            StoreOptions.of(graph), data.resolve("metadata.duckdb").toString());
        MetadataStore.Scope scope = store.open(AccessMode.WRITE)) {
      return body.apply(new Pipeline(store, data, new PrintStream(new ByteArrayOutputStream())));
    }
  }

  private Map<String, Pipeline.Counts> run() {
    return withPipeline(p -> p.run().stream()
        .collect(Collectors.toMap(
            Pipeline.Counts::feature, Function.identity(), (a, b) -> a, LinkedHashMap::new)));
  }

  private Map<String, Forecast.Outlook> status() {
    return withPipeline(p -> p.status().stream()
        .collect(Collectors.toMap(
            o -> o.counts().feature(), Function.identity(), (a, b) -> a, LinkedHashMap::new)));
  }

  /** Runs the command line; returns exit code, stdout and stderr. */
  private static String[] main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = SampleMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {
      String.valueOf(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
    };
  }

  /** The status must say what the run then does: same counts, feature by feature. */
  private static void assertStatusMatchesRun(
      Map<String, Forecast.Outlook> status, Map<String, Pipeline.Counts> run) {
    assertEquals(run.keySet(), status.keySet());
    run.forEach((feature, counts) -> {
      assertEquals(counts, status.get(feature).counts(), feature);
      assertEquals(0, status.get(feature).unknownNew(), feature);
    });
  }

  private Map<String, String> transcripts() {
    FeatureGraph graph = FeatureGraph.load();
    try (MetadataStore store = new DuckDbMetadataStore(
            StoreOptions.of(graph), data.resolve("metadata.duckdb").toString());
        MetadataStore.Scope scope = store.open(AccessMode.READ);
        VectorSchemaRoot rows = store.read(FeatureKey.of("example/stt"))) {
      return Increment.records(rows, FeatureCompanions.of(SpeechToText.class)).stream()
          .collect(Collectors.toMap(SpeechToText::videoId, SpeechToText::transcript));
    }
  }

  @Test
  void recomputesOnlyWhatDependsOnTheChangedAudio() throws Exception {
    new MediaLibrary(data).generate(12, 3);

    // Before the first run nothing is written: everything is new, and nothing fails.
    Map<String, Forecast.Outlook> before = status();
    before.values().forEach(o -> assertTrue(o.note().startsWith("not written yet"), o.line()));
    Map<String, Pipeline.Counts> first = run();
    // Every count is known, except the faces of chunks not cut yet: the chunks of 12 new videos.
    Forecast.Outlook chunkFaces = before.get("example/chunk_faces");
    assertEquals(12, chunkFaces.unknownNew(), chunkFaces.line());
    assertTrue(
        chunkFaces.line().matches("example/chunk_faces +new +\\? +stale +0 .*"), chunkFaces.line());
    before.remove("example/chunk_faces");
    first.forEach((feature, counts) -> {
      if (before.containsKey(feature)) {
        assertEquals(counts, before.get(feature).counts(), feature);
      }
    });
    assertEquals(
        "example/crop                 new  12  stale   0  orphaned   0  skipped   0"
            + "  (not written yet; new 12 from example/video's changes)",
        before.get("example/crop").line());

    assertEquals(12, first.get("example/video").added());
    assertEquals(12, first.get("example/crop").added());
    assertEquals(12, first.get("example/chunks").added(), "one increment row per parent video");
    assertEquals(3, first.get("example/speaker_embedding").added(), "one per speaker");
    assertEquals(
        48, first.get("example/chunk_faces").added(), "four half-second chunks per 2 s video");
    Map<String, String> transcriptsBefore = transcripts();

    Map<String, Pipeline.Counts> second = run();
    second
        .values()
        .forEach(c -> assertEquals(0, c.added() + c.stale() + c.orphaned(), "nothing to do: " + c));
    assertEquals(12, second.get("example/crop").skipped());

    assertEquals("0", main("--data", data.toString(), "touch-audio", "3")[0]);
    // The store alone reports only the 3 videos; the status carries that down to what reads their
    // audio.
    Map<String, Forecast.Outlook> status = status();
    assertEquals(
        "example/stt                  new   0  stale   3  orphaned   0  skipped   9"
            + "  (stale 3 from example/video's changes)",
        status.get("example/stt").line());
    assertEquals(
        "example/face_detection       new   0  stale   0  orphaned   0  skipped  12",
        status.get("example/face_detection").line());

    Map<String, Pipeline.Counts> third = run();
    assertStatusMatchesRun(status, third);
    assertEquals(
        List.of("example/video", "example/chunks", "example/crop", "example/stt"),
        third.values().stream()
            .filter(c -> c.added() + c.stale() + c.orphaned() > 0)
            .map(Pipeline.Counts::feature)
            .toList());
    assertEquals(3, third.get("example/crop").stale());
    assertEquals(3, third.get("example/stt").stale());
    assertEquals(3, third.get("example/chunks").stale());
    assertEquals(
        0,
        third.get("example/face_detection").stale()
            + third.get("example/face_detection").added());
    assertEquals(
        0,
        third.get("example/chunk_faces").stale()
            + third.get("example/chunk_faces").added());
    assertEquals(0, third.get("example/speaker_embedding").stale());
    assertEquals(9, third.get("example/crop").skipped());

    // Real work happened: the touched videos got new transcripts, the others kept theirs, and the
    // new crop outputs sit next to the old ones under their data version.
    Map<String, String> after = transcripts();
    for (String id : List.of("v001", "v002", "v003")) {
      assertNotEquals(transcriptsBefore.get(id), after.get(id), id);
    }
    assertEquals(transcriptsBefore.get("v004"), after.get("v004"));
    try (var versions = Files.list(data.resolve("derived/crop/v001"))) {
      assertEquals(2, versions.count());
    }
    try (var versions = Files.list(data.resolve("derived/crop/v004"))) {
      assertEquals(1, versions.count());
    }

    Map<String, Forecast.Outlook> synced = status();
    synced.values().forEach(o -> assertEquals("", o.note(), o.line()));
    assertStatusMatchesRun(synced, run());
    synced
        .values()
        .forEach(o -> assertEquals(
            0, o.counts().added() + o.counts().stale() + o.counts().orphaned(), o.line()));
  }

  @Test
  void statusCarriesNewAndRemovedSamplesDownToWhatTheRunDoes() throws Exception {
    new MediaLibrary(data).generate(12, 3);
    run();
    // One video more, one fewer; a fourth clip per speaker, one of bob's gone.
    new MediaLibrary(data).generate(13, 4);
    SampleMain.deleteRecursively(data.resolve("raw/videos/v012"));
    Files.delete(data.resolve("raw/clips/bob/clip01.wav"));

    Map<String, Forecast.Outlook> status = status();
    Map<String, Pipeline.Counts> next = run();
    assertEquals(
        new Pipeline.Counts("example/speaker_embedding", 0, 3, 0, 0),
        next.get("example/speaker_embedding"));
    assertEquals(new Pipeline.Counts("example/crop", 1, 0, 1, 11), next.get("example/crop"));
    assertEquals(
        4, next.get("example/chunk_faces").orphaned(), "the four chunks of the removed video");
    // The faces of the new video's chunks are the one thing the status cannot count before the
    // chunks exist.
    Forecast.Outlook chunkFaces = status.remove("example/chunk_faces");
    Pipeline.Counts ran = next.remove("example/chunk_faces");
    assertEquals(1, chunkFaces.unknownNew(), chunkFaces.line());
    assertEquals(
        new Pipeline.Counts(ran.feature(), 0, ran.stale(), ran.orphaned(), ran.skipped()),
        chunkFaces.counts());
    assertStatusMatchesRun(status, next);
  }

  @Test
  void commandLineUsageAndDataProblems() {
    String[] help = main("--help");
    assertEquals("0", help[0]);
    assertEquals(SampleMain.USAGE, help[1]);
    assertEquals("", help[2]);
    assertEquals(
        List.of("2", "", "error: unknown command 'bogus'\n" + SampleMain.USAGE),
        List.of(main("bogus")));
    assertEquals(List.of("2", "", "error: no command given\n" + SampleMain.USAGE), List.of(main()));
    assertEquals("2", main("--data")[0]);
    assertEquals("2", main("touch-audio", "three")[0]);
    assertEquals("2", main("run", "now")[0]);

    // A data folder never generated: run and status say so instead of "up to date".
    for (String command : List.of("run", "status")) {
      String[] r = main("--data", data.toString(), command);
      assertEquals("1", r[0], command);
      assertEquals("", r[1], command);
      assertEquals(
          "error: " + data + " has no media (nothing under " + data.resolve("raw/videos") + " or "
              + data.resolve("raw/clips")
              + "). Run `generate` to create it, or `demo`, which generates it and runs the"
              + " whole story.\n",
          r[2],
          command);
    }
    assertEquals(
        List.of(
            "1",
            "",
            "error: no videos under " + data.resolve("raw/videos")
                + "; run `generate` or `demo` first\n"),
        List.of(main("--data", data.toString(), "touch-audio", "3")));
  }
}
