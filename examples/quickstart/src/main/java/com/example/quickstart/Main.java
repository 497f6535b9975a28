package com.example.quickstart;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.IncrementRow;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

public final class Main {
  public static void main(String[] args) throws Exception {
    Path db = Path.of("target", "quickstart.duckdb");
    Files.createDirectories(db.getParent());
    Files.deleteIfExists(db); // every run tells the story from an empty store
    Files.deleteIfExists(Path.of(db + ".wal"));

    FeatureGraph graph = FeatureGraph.load(); // the graph the annotation processor generated
    try (MetadataStore store = new DuckDbMetadataStore(StoreOptions.of(graph), db.toString());
         MetadataStore.Scope scope = store.open(AccessMode.WRITE)) {

      // 1. Root samples. You supply each root field's provenance: a string that changes exactly when
      //    that part of the sample changes, e.g. a hash of the audio file's bytes.
      List<Video> videos = List.of(video("v1"), video("v2"), video("v3"));
      store.write(Video.class, videos, List.of(
          provenance("v1 audio", "v1 frames"),
          provenance("v2 audio", "v2 frames"),
          provenance("v3 audio", "v3 frames")));
      System.out.println("wrote 3 videos");

      // 2. Resolve, compute, write: every video is new to the transcript.
      transcribe(store);
      // 3. Again: nothing changed, nothing to do.
      transcribe(store);

      // 4. v2's audio is re-recorded, v3's frames are re-rendered: write those videos again with the
      //    new provenance of the changed field.
      store.write(Video.class, List.of(video("v2"), video("v3")), List.of(
          provenance("v2 audio, take 2", "v2 frames"),
          provenance("v3 audio", "v3 frames, take 2")));
      System.out.println("changed the audio of v2 and the frames of v3");

      // 5. Only v2's transcript is stale: the transcript depends on the audio, not on the frames.
      transcribe(store);
    }
  }

  /** One pass of the downstream feature: what to compute, the computation, the write. */
  static void transcribe(MetadataStore store) {
    try (Increment todo = store.resolveUpdate(Transcript.class)) {
      List<IncrementRow> rows = todo.toProcess(); // the new samples, then the stale ones
      List<Transcript> out = rows.stream().map(row -> {
        Video v = row.as(Video.class);
        return new Transcript(v.videoId(), "the words of " + v.audioPath());
      }).toList();
      store.writeOutputs(Transcript.class, out, rows); // each output with its row's provenance
      System.out.printf("transcript: %d new, %d stale, computed %s%n",
          todo.newCount(), todo.staleCount(), out.stream().map(Transcript::videoId).toList());
    }
  }

  static Video video(String id) {
    return new Video(id, "media/" + id + "/audio.wav", "media/" + id + "/frames");
  }

  /** Per-field provenance of a video; the strings stand for the content of its audio and frames. */
  static Map<String, String> provenance(String audioContent, String framesContent) {
    return Map.of("audio", sha256(audioContent), "frames", sha256(framesContent));
  }

  static String sha256(String content) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
