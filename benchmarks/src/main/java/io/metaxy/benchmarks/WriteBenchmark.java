package io.metaxy.benchmarks;

import io.metaxy.versioning.HashAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times writes through the store: building a stale-phase template writes N root rows, resolves the
 * leaf and writes N leaf rows, then rewrites N root rows, all through {@code MetadataStore.write} in
 * 100k-row batches. Usage: {@code WriteBenchmark SHAPE N ROUNDS}. Prints the median seconds.
 */
public final class WriteBenchmark {
  private WriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    Shape shape = Shape.parse(args.length > 0 ? args[0] : "simple");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Scenario sc = new Scenario(shape, n, Phase.STALE, HashAlgorithm.XXHASH32);
    Path dir = Files.createTempDirectory("write-bench");
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      Path file = dir.resolve("t" + i + ".duckdb");
      long t0 = System.nanoTime();
      Templates.prepare(sc, file, null);
      times.add((System.nanoTime() - t0) / 1e9);
      Files.deleteIfExists(file);
    }
    List<Double> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    System.out.printf(
        "write-bench %s %d: median %.3f s, all %s%n",
        shape, n, sorted.get(sorted.size() / 2), times);
  }
}
