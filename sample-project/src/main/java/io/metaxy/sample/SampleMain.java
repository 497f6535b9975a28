package io.metaxy.sample;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sample pipeline's command line.
 *
 * <pre>
 *   demo             fresh data, run, run again, touch-audio 3, run, status: the whole story
 *   generate         write the raw media (12 videos, 3 speakers × 3 clips)
 *   run              (re)compute what is new or stale, feature by feature
 *   touch-audio N    re-record the audio of the first N videos
 *   status           what run would do, without doing it
 *   options: --data DIR (default: data/sample)
 * </pre>
 */
public final class SampleMain {
  private SampleMain() {}

  /** Entry point; exits with 0 on success, 2 on a usage error. */
  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** Runs a command and returns the exit code (for tests). */
  static int run(String[] args, PrintStream out) {
    Path data = Path.of("data/sample");
    List<String> rest = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--data") && i + 1 < args.length) {
        data = Path.of(args[++i]);
      } else {
        rest.add(args[i]);
      }
    }
    if (rest.isEmpty()) {
      out.println("usage: sample [--data DIR] demo | generate | run | touch-audio N | status");
      return 2;
    }
    switch (rest.get(0)) {
      case "demo" -> demo(data, out);
      case "generate" -> new MediaLibrary(data).generate(12, 3);
      case "run" -> withStore(data, out, p -> p.run(false));
      case "status" -> withStore(data, out, p -> p.run(true));
      case "touch-audio" -> {
        if (rest.size() != 2 || !rest.get(1).matches("\\d+")) {
          out.println("usage: sample touch-audio N");
          return 2;
        }
        touchAudio(data, Integer.parseInt(rest.get(1)), out);
      }
      default -> {
        out.println("unknown command " + rest.get(0) + "; expected demo, generate, run, touch-audio N or status");
        return 2;
      }
    }
    return 0;
  }

  private static void demo(Path data, PrintStream out) {
    deleteRecursively(data);
    out.println("== generating media in " + data + " (12 videos, 3 speakers x 3 clips)");
    new MediaLibrary(data).generate(12, 3);
    out.println();
    out.println("== first run: everything is new");
    withStore(data, out, p -> p.run(false));
    out.println();
    out.println("== second run: nothing changed, nothing to do");
    withStore(data, out, p -> p.run(false));
    out.println();
    out.println("== touch-audio 3: re-record the audio of 3 videos");
    touchAudio(data, 3, out);
    out.println();
    out.println("== third run: only what depends on those 3 audio tracks");
    withStore(data, out, p -> p.run(false));
    out.println();
    out.println("== status");
    withStore(data, out, p -> p.run(true));
  }

  private static void touchAudio(Path data, int n, PrintStream out) {
    MediaLibrary media = new MediaLibrary(data);
    List<String> ids = media.videoIds();
    if (ids.isEmpty()) {
      throw new IllegalStateException("no videos under " + media.videos() + "; run `generate` or `demo` first");
    }
    for (String id : ids.subList(0, Math.min(n, ids.size()))) {
      Path counter = media.videos().resolve(id).resolve("generation");
      int generation = readInt(counter) + 1;
      media.touchAudio(id, generation);
      writeInt(counter, generation);
      out.println("re-recorded audio of " + id);
    }
  }

  private static void withStore(Path data, PrintStream out, java.util.function.Consumer<Pipeline> action) {
    FeatureGraph graph = FeatureGraph.load();
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (MetadataStore store =
            new DuckDbMetadataStore(StoreOptions.of(graph), data.resolve("metadata.duckdb").toString());
        MetadataStore.Scope scope = store.open(AccessMode.WRITE)) {
      action.accept(new Pipeline(store, data, out));
    }
  }

  private static int readInt(Path p) {
    try {
      return Files.exists(p) ? Integer.parseInt(Files.readString(p).trim()) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeInt(Path p, int v) {
    try {
      Files.writeString(p, Integer.toString(v));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
