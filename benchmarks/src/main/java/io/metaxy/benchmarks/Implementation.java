package io.metaxy.benchmarks;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/** A way of computing a leaf's increment from a DuckDB file. */
public enum Implementation {
  /** {@code DuckDbMetadataStore.resolveUpdate}: reads through the store, versioning engine in the JVM. */
  METAXY {
    @Override
    public Counts resolve(
        Scenario sc, Path file, Map<String, String> storeSettings, BufferAllocator allocator) {
      return MetaxyResolve.run(sc, file, storeSettings, allocator);
    }
  },
  /** One hand-written DuckDB SQL query that joins, md5-hashes and diffs in DuckDB (the reference's approach). */
  BASELINE {
    @Override
    public Counts resolve(
        Scenario sc, Path file, Map<String, String> storeSettings, BufferAllocator allocator) {
      return BaselineQuery.run(sc, file, allocator);
    }
  };

  /**
   * The timed unit: opens {@code file}, computes the increment of the scenario's leaf, materialises it
   * in the JVM as Arrow, counts its rows and closes everything.
   *
   * @param storeSettings DuckDB settings of our store (e.g. {@code memory_limit}); the baseline keeps
   *     DuckDB's defaults, which its joins and window need
   */
  public abstract Counts resolve(
      Scenario sc, Path file, Map<String, String> storeSettings, BufferAllocator allocator);

  /** The lower-case name used on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code metaxy} or {@code baseline}. */
  public static Implementation parse(String s) {
    for (Implementation i : values()) {
      if (i.label().equalsIgnoreCase(s.trim())) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "unknown implementation \"" + s + "\" (one of metaxy, baseline)");
  }
}
