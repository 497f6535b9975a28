package io.metaxy.engine;

import java.util.stream.IntStream;

/** Splits row ranges over the cores (the common fork-join pool plus the calling thread). */
final class Parallel {
  /** Below this many rows a range is not split further: thread hand-off would cost more than it saves. */
  static final int MIN_CHUNK = 1 << 15;

  private Parallel() {}

  interface RangeTask {
    void run(int chunk, int from, int to);
  }

  /** The number of chunks {@link #forChunks} uses for {@code n} rows. */
  static int chunks(int n) {
    int cores = Runtime.getRuntime().availableProcessors();
    // A few chunks per core evens out uneven rows (long strings) without much bookkeeping.
    int byCores = cores == 1 ? 1 : cores * 4;
    return Math.max(1, Math.min(byCores, (n + MIN_CHUNK - 1) / MIN_CHUNK));
  }

  /**
   * Where chunk {@code chunk} starts. Boundaries are multiples of 64 rows, so chunks never share a byte
   * (or word) of a validity bitmap and can write theirs concurrently.
   */
  static int chunkStart(int n, int chunks, int chunk) {
    if (chunk >= chunks) {
      return n;
    }
    return (int) Math.min(n, ((long) n * chunk / chunks) & ~63L);
  }

  /** Runs {@code task} over {@link #chunks}{@code (n)} contiguous ranges covering {@code [0, n)}. */
  static void forChunks(int n, RangeTask task) {
    int chunks = chunks(n);
    if (chunks == 1) {
      task.run(0, 0, n);
      return;
    }
    IntStream.range(0, chunks)
        .parallel()
        .forEach(c -> task.run(c, chunkStart(n, chunks, c), chunkStart(n, chunks, c + 1)));
  }
}
