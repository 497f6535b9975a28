package io.metaxy.spark;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link SparkMetadataStore}. They must match those of every other store that shares the
 * tables (the embedded stores and the reference default to xxhash32 and 8 characters).
 *
 * @param graph the features
 * @param hashAlgorithm the sample hash
 * @param truncation hash truncation
 * @param flatLayout Delta tables as {@code <root>/<part1>__<part2>.delta} instead of one directory per
 *     key part
 * @param materializationId written into {@code metaxy_materialization_id}, or null
 */
public record SparkStoreOptions(
    FeatureGraph graph,
    HashAlgorithm hashAlgorithm,
    Truncation truncation,
    boolean flatLayout,
    @Nullable String materializationId) {
  /** Checks the arguments. */
  public SparkStoreOptions {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
    Objects.requireNonNull(truncation, "truncation");
  }

  /** The defaults for {@code graph}: xxhash32, 8 characters, nested layout, no materialization id. */
  public static SparkStoreOptions of(FeatureGraph graph) {
    return new SparkStoreOptions(graph, HashAlgorithm.XXHASH32, Truncation.DEFAULT, false, null);
  }

  /** These options with another hash algorithm. */
  public SparkStoreOptions withHashAlgorithm(HashAlgorithm a) {
    return new SparkStoreOptions(graph, a, truncation, flatLayout, materializationId);
  }

  /** These options with another truncation. */
  public SparkStoreOptions withTruncation(Truncation t) {
    return new SparkStoreOptions(graph, hashAlgorithm, t, flatLayout, materializationId);
  }

  /** These options with the flat (true) or nested (false) Delta layout. */
  public SparkStoreOptions withFlatLayout(boolean flat) {
    return new SparkStoreOptions(graph, hashAlgorithm, truncation, flat, materializationId);
  }

  /** These options with a materialization id for the rows written. */
  public SparkStoreOptions withMaterializationId(@Nullable String id) {
    return new SparkStoreOptions(graph, hashAlgorithm, truncation, flatLayout, id);
  }
}
