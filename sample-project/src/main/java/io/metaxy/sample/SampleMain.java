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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The sample pipeline's command line; {@link #USAGE} lists the commands. Exit codes: 0 success, 1 a
 * problem with the data folder (the message says what to do), 2 a command line that cannot be parsed.
 */
public final class SampleMain {
  static final String USAGE = """
      usage: java -jar metaxy-sample.jar [--data DIR] COMMAND

        demo            fresh data, then the whole story: run, run again, touch-audio 3, status, run, status
        generate        write the raw media (12 videos, 3 speakers x 3 clips)
        run             (re)compute what is new or stale, feature by feature
        touch-audio N   re-record the audio of the first N videos
        status          what run would do, without doing it
        --data DIR      the data folder: media and metadata.duckdb (default: data/sample)
        -h, --help      this help
      """;

  private SampleMain() {}

  /** Entry point; exits with the code of {@link #run}. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** A problem with the data folder, told to the user without a stack trace (exit code 1). */
  static final class DataProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DataProblem(String message) {
      super(message);
    }
  }

  /** Runs a command and returns the exit code (for tests): data on {@code out}, problems on {@code err}. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Path data = Path.of("data/sample");
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--data")) {
        if (i + 1 >= args.length) {
          return usageError(err, "--data needs a directory");
        }
        data = Path.of(args[++i]);
      } else {
        rest.add(args[i]);
      }
    }
    if (rest.isEmpty()) {
      return usageError(err, "no command given");
    }
    String command = rest.get(0);
    int arguments = command.equals("touch-audio") ? 1 : 0;
    if (!List.of("-h", "--help", "help", "demo", "generate", "run", "status", "touch-audio")
        .contains(command)) {
      return usageError(err, "unknown command '" + command + "'");
    }
    if (rest.size() != 1 + arguments || (arguments == 1 && !rest.get(1).matches("\\d+"))) {
      return usageError(
          err,
          command.equals("touch-audio")
              ? "touch-audio needs the number of videos, e.g. touch-audio 3"
              : command + " takes no arguments, got "
                  + String.join(" ", rest.subList(1, rest.size())));
    }
    try {
      switch (command) {
        case "-h", "--help", "help" -> out.print(USAGE);
        case "demo" -> demo(data, out);
        case "generate" -> new MediaLibrary(data).generate(12, 3);
        case "run" -> withStore(requireMedia(data), out, Pipeline::run);
        case "status" -> withStore(requireMedia(data), out, Pipeline::status);
        default -> touchAudio(data, Integer.parseInt(rest.get(1)), out);
      }
    } catch (DataProblem e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  private static int usageError(PrintStream err, String problem) {
    err.println("error: " + problem);
    err.print(USAGE);
    return 2;
  }

  /**
   * {@code data} when it holds media; a folder never generated would otherwise look "up to date": there
   * is nothing to compute, and nothing says why.
   */
  private static Path requireMedia(Path data) {
    MediaLibrary media = new MediaLibrary(data);
    if (media.videoIds().isEmpty() && media.speakers().isEmpty()) {
      throw new DataProblem(
          data + " has no media (nothing under " + media.videos() + " or " + media.clips()
              + "). Run `generate` to create it, or `demo`, which generates it and runs the whole story.");
    }
    return data;
  }

  private static void demo(Path data, PrintStream out) {
    deleteRecursively(data);
    out.println("== generating media in " + data + " (12 videos, 3 speakers x 3 clips)");
    new MediaLibrary(data).generate(12, 3);
    out.println();
    out.println("== first run: everything is new");
    withStore(data, out, Pipeline::run);
    out.println();
    out.println("== second run: nothing changed, nothing to do");
    withStore(data, out, Pipeline::run);
    out.println();
    out.println("== touch-audio 3: re-record the audio of 3 videos");
    touchAudio(data, 3, out);
    out.println();
    out.println("== status: what the next run will recompute");
    withStore(data, out, Pipeline::status);
    out.println();
    out.println("== third run: only what depends on those 3 audio tracks");
    withStore(data, out, Pipeline::run);
    out.println();
    out.println("== status: in sync");
    withStore(data, out, Pipeline::status);
  }

  private static void touchAudio(Path data, int n, PrintStream out) {
    MediaLibrary media = new MediaLibrary(data);
    List<String> ids = media.videoIds();
    if (ids.isEmpty()) {
      throw new DataProblem(
          "no videos under " + media.videos() + "; run `generate` or `demo` first");
    }
    for (String id : ids.subList(0, Math.min(n, ids.size()))) {
      Path counter = media.videos().resolve(id).resolve("generation");
      int generation = readInt(counter) + 1;
      media.touchAudio(id, generation);
      writeInt(counter, generation);
      out.println("re-recorded audio of " + id);
    }
  }

  private static void withStore(Path data, PrintStream out, Consumer<Pipeline> action) {
    FeatureGraph graph = FeatureGraph.load();
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (MetadataStore store = new DuckDbMetadataStore(
            StoreOptions.of(graph), data.resolve("metadata.duckdb").toString());
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

  /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
  static void deleteRecursively(Path dir) {
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
