package io.metaxy.sample;

import io.metaxy.sample.media.Frames;
import io.metaxy.sample.media.Wav;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The raw media the pipeline starts from, generated on disk: videos (a WAV track and PNG frames) and
 * speaker clips. Everything is derived from seeds, so two machines generate the same bytes.
 */
final class MediaLibrary {
  static final int FRAMES_PER_VIDEO = 4;
  static final double VIDEO_SECONDS = 2.0;
  private final Path root;

  MediaLibrary(Path root) {
    this.root = root;
  }

  Path videos() {
    return root.resolve("raw/videos");
  }

  Path clips() {
    return root.resolve("raw/clips");
  }

  /** Writes {@code videoCount} videos and {@code clipsPerSpeaker} clips for each of three speakers. */
  void generate(int videoCount, int clipsPerSpeaker) {
    for (int i = 1; i <= videoCount; i++) {
      String id = String.format("v%03d", i);
      writeAudio(id, 220 + 40 * i, 0);
      for (int f = 0; f < FRAMES_PER_VIDEO; f++) {
        int faces = 1 + (i + f) % 3;
        Frames.write(
            videos().resolve(id).resolve("frames").resolve(String.format("%03d.png", f)),
            Frames.synthetic(96, 72, faces, i * 100L + f));
      }
    }
    String[] speakers = {"alice", "bob", "carol"};
    for (int s = 0; s < speakers.length; s++) {
      for (int c = 1; c <= clipsPerSpeaker; c++) {
        Wav.write(
            clips().resolve(speakers[s]).resolve(String.format("clip%02d.wav", c)),
            Wav.tone(150 + 120 * s + 7 * c, 1.0, s * 1000L + c));
      }
    }
  }

  /** Re-records the audio of a video: a slightly higher tone, so its bytes (and transcript) change. */
  void touchAudio(String videoId, int generation) {
    int base = 220 + 40 * Integer.parseInt(videoId.substring(1));
    writeAudio(videoId, base + 10 * generation, generation);
  }

  private void writeAudio(String id, double hz, long generation) {
    Wav.write(
        videos().resolve(id).resolve("audio.wav"),
        Wav.tone(hz, VIDEO_SECONDS, id.hashCode() * 31L + generation));
  }

  /** The generated video ids, sorted. */
  List<String> videoIds() {
    return subdirectories(videos());
  }

  /** The speakers with clips, sorted. */
  List<String> speakers() {
    return subdirectories(clips());
  }

  private static List<String> subdirectories(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
