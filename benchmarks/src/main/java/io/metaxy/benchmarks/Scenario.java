package io.metaxy.benchmarks;

import io.metaxy.store.spi.ByFieldLayout;
import io.metaxy.versioning.HashAlgorithm;
import java.util.Objects;

/**
 * One benchmark configuration.
 *
 * @param shape the graph
 * @param n the number of samples (rows per root)
 * @param phase what the target holds
 * @param hash the store's hash algorithm (the DuckDB-SQL baseline always hashes with md5, so its
 *     templates use md5)
 * @param layout the by-field layout of the template's tables: STRUCT, the DuckDB store's default, or MAP,
 *     written with {@code enableMapDatatype(true)} (the baseline always reads a STRUCT template)
 */
public record Scenario(Shape shape, int n, Phase phase, HashAlgorithm hash, ByFieldLayout layout) {
  /** Checks the arguments. */
  public Scenario {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(layout, "layout");
    if (n <= 0) {
      throw new IllegalArgumentException("N must be positive, got " + n);
    }
  }

  /** A configuration at the store's default layout (STRUCT). */
  public Scenario(Shape shape, int n, Phase phase, HashAlgorithm hash) {
    this(shape, n, phase, hash, Variant.STORE_DEFAULT_LAYOUT);
  }

  /** A configuration of one variant of ours. */
  Scenario(Shape shape, int n, Phase phase, Variant variant) {
    this(shape, n, phase, variant.hash(), variant.layout());
  }

  /** The hash algorithm and layout. */
  Variant variant() {
    return new Variant(hash, layout);
  }

  /** Whether sample {@code i} is one whose audio changes in the stale phase (every tenth). */
  public static boolean changes(long i) {
    return i % 10 == 0;
  }

  /** How many samples change in the stale phase. */
  public long changedCount() {
    return (n + 9L) / 10;
  }

  /** The increment a correct implementation must return. */
  public Counts expectedCounts() {
    return phase == Phase.NEW ? new Counts(n, 0, 0) : new Counts(0, changedCount(), 0);
  }

  /**
   * A file-name-safe label, e.g. {@code simple-100000-stale-md5}; the MAP layout adds {@code -map}
   * ({@code simple-100000-stale-xxhash32-map}), the default STRUCT layout nothing.
   */
  public String label() {
    return shape.label() + "-" + n + "-" + phase.label() + "-" + hash.configName()
        + (layout == Variant.STORE_DEFAULT_LAYOUT ? "" : "-" + variant().layoutName());
  }
}
