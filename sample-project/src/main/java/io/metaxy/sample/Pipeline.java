package io.metaxy.sample;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureCompanions;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.sample.features.AudioClip;
import io.metaxy.sample.features.Chunk;
import io.metaxy.sample.features.ChunkFaces;
import io.metaxy.sample.features.Crop;
import io.metaxy.sample.features.FaceDetection;
import io.metaxy.sample.features.SpeakerEmbedding;
import io.metaxy.sample.features.SpeechToText;
import io.metaxy.sample.features.Video;
import io.metaxy.sample.media.Digests;
import io.metaxy.sample.media.Frames;
import io.metaxy.sample.media.Wav;
import io.metaxy.store.DeleteOptions;
import io.metaxy.store.FeatureNotFoundException;
import io.metaxy.store.Increment;
import io.metaxy.store.IncrementRow;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ResolveOptions;
import io.metaxy.store.RowFilter;
import io.metaxy.store.support.ArrowBatches;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The sample pipeline: every feature in dependency order, each asking the store what to (re)compute
 * and doing real work on the media files only for those samples. Derived files go to
 * {@code derived/<feature>/<id>/<data version>/}, so a recomputed sample never overwrites the files
 * of the version it replaces.
 */
final class Pipeline {
  /** What one feature's pass did. */
  record Counts(String feature, int added, int stale, int orphaned, long skipped) {}

  private final MetadataStore store;
  private final MediaLibrary media;
  private final Path root;
  private final PrintStream out;

  Pipeline(MetadataStore store, Path root, PrintStream out) {
    this.store = store;
    this.media = new MediaLibrary(root);
    this.root = root;
    this.out = out;
  }

  /** Runs every feature in topological order. */
  List<Counts> run() {
    List<Counts> counts = new ArrayList<>();
    for (FeatureKey key : store.graph().topologicalOrder()) {
      counts.add(runFeature(key));
    }
    return counts;
  }

  /**
   * Reports what {@link #run} would do, feature by feature, without doing it: what the store reports
   * now plus what the features' upstream changes will make stale or new when the run gets to them
   * ({@link Forecast}).
   */
  List<Forecast.Outlook> status() {
    out.println(
        "What `run` would do now (counts include samples whose upstream is recomputed first):");
    Forecast forecast = new Forecast();
    List<Forecast.Outlook> outlooks = new ArrayList<>();
    for (FeatureKey key : store.graph().topologicalOrder()) {
      boolean written = store.hasFeature(key);
      List<Map<String, Object>> stored = List.of();
      if (written) {
        try (VectorSchemaRoot current = store.read(key)) {
          stored = Forecast.rows(current);
        }
      }
      Increment own;
      try {
        own = resolve(key);
      } catch (FeatureNotFoundException e) {
        own = null; // an upstream was never written: the store has nothing to compute from yet
      }
      try (Increment inc = own) {
        Forecast.Outlook o = forecast.add(FeaturePlan.of(store.graph(), key), inc, stored, written);
        out.println(o.line());
        outlooks.add(o);
      }
    }
    return outlooks;
  }

  private Counts runFeature(FeatureKey key) {
    String k = key.toString();
    // Counted per join key: one per parent for an expansion, one per group for an aggregation
    // (whose increment repeats the group's provenance on every upstream row).
    List<String> join = FeaturePlan.of(store.graph(), key).joinColumns();
    try (Increment inc = resolve(key)) {
      long current = store.hasFeature(key) ? distinctCurrent(key, join) : 0;
      int added = distinct(inc.newSamples(), join);
      int stale = distinct(inc.stale(), join);
      int orphaned = distinct(inc.orphaned(), join);
      List<IncrementRow> rows = inc.toProcess();
      long skipped = Math.max(0, current - stale - orphaned);
      Counts c = new Counts(k, added, stale, orphaned, skipped);
      String summary = String.format(
          Locale.ROOT,
          "new %3d  stale %3d  orphaned %3d  skipped %3d",
          added,
          stale,
          orphaned,
          skipped);
      // One step per computed output: per row, except aggregations (one per group).
      Progress progress =
          new Progress(out, k, k.equals("example/speaker_embedding") ? added + stale : rows.size());
      switch (k) {
        case "example/video" ->
          store.writeOutputs(Video.class, map(rows, r -> r.as(Video.class), progress), rows);
        case "example/audio_clip" ->
          store.writeOutputs(
              AudioClip.class, map(rows, r -> r.as(AudioClip.class), progress), rows);
        case "example/crop" ->
          store.writeOutputs(Crop.class, map(rows, this::crop, progress), rows);
        case "example/face_detection" ->
          store.writeOutputs(FaceDetection.class, map(rows, this::faces, progress), rows);
        case "example/stt" ->
          store.writeOutputs(SpeechToText.class, map(rows, this::transcribe, progress), rows);
        case "example/chunks" -> writeChunks(rows, progress);
        case "example/chunk_faces" ->
          store.writeOutputs(ChunkFaces.class, map(rows, this::chunkFaces, progress), rows);
        case "example/speaker_embedding" -> writeEmbeddings(rows, progress);
        default -> throw new IllegalStateException("no step for feature " + k);
      }
      deleteOrphans(key, inc.orphaned());
      progress.finish(summary);
      return c;
    }
  }

  private long distinctCurrent(FeatureKey key, List<String> columns) {
    try (VectorSchemaRoot current = store.read(key)) {
      return distinct(current, columns);
    }
  }

  private static int distinct(VectorSchemaRoot batch, List<String> columns) {
    List<FieldVector> vs = ArrowBatches.columns(batch, columns, "increment");
    Set<List<Object>> keys = new HashSet<>();
    for (int r = 0; r < batch.getRowCount(); r++) {
      keys.add(ArrowBatches.key(vs, r));
    }
    return keys.size();
  }

  private Increment resolve(FeatureKey key) {
    return switch (key.toString()) {
      case "example/video" -> resolveRoot(key, Video.class, this::scanVideos);
      case "example/audio_clip" -> resolveRoot(key, AudioClip.class, this::scanClips);
      default -> store.resolveUpdate(key);
    };
  }

  /** Root features: the samples are the files on disk, their provenance the files' digests. */
  private <T extends Record> Increment resolveRoot(
      FeatureKey key, Class<T> type, BiConsumer<List<T>, List<Map<String, String>>> scan) {
    List<T> records = new ArrayList<>();
    List<Map<String, String>> provenance = new ArrayList<>();
    scan.accept(records, provenance);
    try (VectorSchemaRoot samples = store.samples(type, records, provenance)) {
      return store.resolveUpdate(key, ResolveOptions.DEFAULT.samples(samples));
    }
  }

  private void scanVideos(List<Video> records, List<Map<String, String>> provenance) {
    for (String id : media.videoIds()) {
      Path dir = media.videos().resolve(id);
      Path audio = dir.resolve("audio.wav");
      List<Path> frames = Frames.list(dir.resolve("frames"));
      records.add(new Video(
          id,
          audio.toString(),
          dir.resolve("frames").toString(),
          Wav.seconds(Wav.read(audio)),
          frames.size()));
      Map<String, String> p = new LinkedHashMap<>();
      p.put("audio", Digests.of(audio));
      p.put("frames", Digests.of(frames));
      provenance.add(p);
    }
  }

  private void scanClips(List<AudioClip> records, List<Map<String, String>> provenance) {
    for (String speaker : media.speakers()) {
      for (Path clip : listWav(media.clips().resolve(speaker))) {
        String name = clip.getFileName().toString().replace(".wav", "");
        records.add(new AudioClip(
            speaker + "/" + name, speaker, clip.toString(), Wav.seconds(Wav.read(clip))));
        provenance.add(Map.of("audio", Digests.of(clip)));
      }
    }
  }

  private static List<Path> listWav(Path dir) {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ steps

  private Path out(String feature, String id, IncrementRow row) {
    return root.resolve("derived").resolve(feature).resolve(id).resolve(row.dataVersion());
  }

  private Crop crop(IncrementRow row) {
    Video v = row.as(Video.class);
    Path dir = out("crop", v.videoId(), row);
    float[] audio = Wav.read(Path.of(v.audioPath()));
    float[] firstSecond = Arrays.copyOf(audio, Math.min(audio.length, (int) Wav.SAMPLE_RATE));
    Path audioOut = dir.resolve("audio.wav");
    Wav.write(audioOut, firstSecond);
    Path framesOut = dir.resolve("frames");
    for (Path f : Frames.list(Path.of(v.framesDir()))) {
      Frames.write(framesOut.resolve(f.getFileName()), Frames.centerCrop(Frames.read(f)));
    }
    return new Crop(v.videoId(), audioOut.toString(), framesOut.toString());
  }

  private FaceDetection faces(IncrementRow row) {
    Crop c = row.as(Crop.class);
    List<Path> frames = Frames.list(Path.of(c.croppedFramesDir()));
    int best = 0;
    double brightness = 0;
    for (Path f : frames) {
      BufferedImage img = Frames.read(f);
      best = Math.max(best, Frames.countBlobs(img, 6));
      brightness += Frames.meanBrightness(img);
    }
    return new FaceDetection(c.videoId(), best, frames.isEmpty() ? 0 : brightness / frames.size());
  }

  private SpeechToText transcribe(IncrementRow row) {
    Video v = row.as(Video.class);
    double hz = Wav.dominantFrequency(Wav.read(Path.of(v.audioPath())));
    long rounded = Math.round(hz / 10.0) * 10;
    return new SpeechToText(v.videoId(), "a steady tone near " + rounded + " Hz", hz);
  }

  /** Expansion: each video row yields one chunk per half second, all with the video's provenance. */
  private void writeChunks(List<IncrementRow> rows, Progress progress) {
    List<Chunk> chunks = new ArrayList<>();
    List<IncrementRow> from = new ArrayList<>();
    for (IncrementRow row : rows) {
      Video v = row.as(Video.class);
      float[] audio = Wav.read(Path.of(v.audioPath()));
      List<Path> frames = Frames.list(Path.of(v.framesDir()));
      int per = (int) (Wav.SAMPLE_RATE / 2);
      for (int i = 0; i * per < audio.length; i++) {
        double start = i * 0.5;
        int frame =
            Math.min(frames.size() - 1, (int) (start / v.durationSeconds() * frames.size()));
        chunks.add(new Chunk(
            v.videoId(),
            i,
            start,
            Wav.rms(audio, i * per, Math.min(audio.length, (i + 1) * per)),
            frames.get(frame).toString()));
        from.add(row);
      }
      progress.step();
    }
    store.writeOutputs(Chunk.class, chunks, from);
  }

  private ChunkFaces chunkFaces(IncrementRow row) {
    Chunk c = row.as(Chunk.class);
    return new ChunkFaces(
        c.videoId(), c.chunkIndex(), Frames.countBlobs(Frames.read(Path.of(c.framePath())), 6));
  }

  /** Aggregation: one embedding per speaker from all of the speaker's clips. */
  private void writeEmbeddings(List<IncrementRow> rows, Progress progress) {
    Map<String, IncrementRow> bySpeaker = new TreeMap<>();
    rows.forEach(r -> bySpeaker.putIfAbsent(r.getString("speaker_id"), r));
    Map<String, List<String>> clipPaths = new TreeMap<>();
    try (VectorSchemaRoot clips = store.read(FeatureKey.of("example/audio_clip"))) {
      for (AudioClip c : Increment.records(clips, FeatureCompanions.of(AudioClip.class))) {
        clipPaths.computeIfAbsent(c.speakerId(), s -> new ArrayList<>()).add(c.path());
      }
    }
    List<SpeakerEmbedding> outputs = new ArrayList<>();
    List<IncrementRow> from = new ArrayList<>();
    for (Map.Entry<String, IncrementRow> e : bySpeaker.entrySet()) {
      List<String> paths = clipPaths.getOrDefault(e.getKey(), List.of());
      double[] embedding = new double[8];
      for (String p : paths) {
        float[] audio = Wav.read(Path.of(p));
        for (int b = 0; b < embedding.length; b++) {
          embedding[b] += Wav.energyAt(audio, 150 + 60 * b) / paths.size();
        }
      }
      StringBuilder text = new StringBuilder();
      for (double x : embedding) {
        text.append(text.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", x));
      }
      outputs.add(new SpeakerEmbedding(e.getKey(), paths.size(), text.toString()));
      from.add(e.getValue());
      progress.step();
    }
    store.writeOutputs(SpeakerEmbedding.class, outputs, from);
  }

  private static <T> List<T> map(
      List<IncrementRow> rows, Function<IncrementRow, T> f, Progress progress) {
    List<T> out = new ArrayList<>(rows.size());
    for (IncrementRow r : rows) {
      out.add(f.apply(r));
      progress.step();
    }
    return out;
  }

  /**
   * Orphaned samples (their upstream is gone) are soft-deleted, one join key at a time: an expansion
   * reports one orphaned row per parent, and every child of that parent goes with it.
   */
  private void deleteOrphans(FeatureKey key, VectorSchemaRoot orphaned) {
    List<String> join = FeaturePlan.of(store.graph(), key).joinColumns();
    for (int r = 0; r < orphaned.getRowCount(); r++) {
      List<RowFilter> filters = new ArrayList<>();
      for (String column : join) {
        filters.add(RowFilter.eq(column, ArrowBatches.value(orphaned.getVector(column), r)));
      }
      store.delete(key, filters, DeleteOptions.SOFT);
    }
  }

  MediaLibrary media() {
    return media;
  }
}
