package io.metaxy.benchmarks.jmh;

import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.hash.SampleHasher;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-row cost of the sample hash functions on the strings the engine hashes: the provenance
 * string of one leaf field of the simple graph ({@code "embedding|1|bench/video.audio|<16 hex>|..."},
 * 69 bytes) and of the wide graph (eight parents, 230 bytes). Hash plus rendering (decimal or hex), as
 * the engine stores it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HashBench {
  /** The algorithm. */
  @Param({"XXHASH32", "XXHASH64", "WYHASH", "MD5", "SHA256"})
  public String algorithm;

  /** Which graph's provenance string. */
  @Param({"simple", "wide"})
  public String graph;

  private SampleHasher hasher;
  private byte[] input;
  private final byte[] out = new byte[SampleHasher.MAX_LENGTH];

  /** Builds the hasher and the input string. */
  @Setup
  public void setup() {
    hasher = HashAlgorithm.valueOf(algorithm).newHasher();
    StringBuilder s = new StringBuilder("embedding|1");
    String[] parents = graph.equals("simple")
        ? new String[] {"bench/video.audio", "bench/video.frames"}
        : new String[] {
          "bench/sensor.gps",
          "bench/sensor.imu",
          "bench/sensor.lidar",
          "bench/sensor.radar",
          "bench/video.audio",
          "bench/video.depth",
          "bench/video.frames",
          "bench/video.text"
        };
    for (String p : parents) {
      s.append('|').append(p).append('|').append("0123456789abcdef");
    }
    input = s.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One row: hash and render. */
  @Benchmark
  public int hashRow() {
    return hasher.hash(input, 0, input.length, out, 0) + out[0];
  }
}
