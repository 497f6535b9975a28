package io.metaxy.store;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Configuration shared by every store (store spec §1.1). Immutable; each method returns a modified copy.
 *
 * @param name display name, or {@code null}
 * @param graph the feature graph the store stamps versions from and plans increments with
 * @param hashAlgorithm the sample hash, or {@code null} for the store's default (xxhash32 for the
 *     in-memory and DuckDB stores)
 * @param truncation hash truncation (default 8 characters)
 * @param materializationId default {@code metaxy_materialization_id} of writes, or {@code null}
 * @param autoCreateTables whether the first write creates a feature's table (default true here; the
 *     reference defaults to false through its global config)
 * @param fallbackStores read-only stores consulted, in order, for features this store lacks
 * @param allocator the Arrow allocator results are allocated from, or {@code null} for a store-owned one
 *     drawing from {@link io.metaxy.store.support.BufferPool#SHARED}
 * @param enableMapDatatype the reference's {@code enable_map_datatype} setting: tables this store creates
 *     keep by-field columns as maps instead of the reference's default structs, on stores that have both
 *     (DuckDB). Tables that exist keep their layout either way.
 */
public record StoreOptions(
    @Nullable String name,
    FeatureGraph graph,
    @Nullable HashAlgorithm hashAlgorithm,
    Truncation truncation,
    @Nullable String materializationId,
    boolean autoCreateTables,
    List<MetadataStore> fallbackStores,
    @Nullable BufferAllocator allocator,
    boolean enableMapDatatype) {

  /** Checks and copies. */
  public StoreOptions {
    Objects.requireNonNull(graph, "graph");
    truncation = truncation == null ? Truncation.DEFAULT : truncation;
    fallbackStores = fallbackStores == null ? List.of() : List.copyOf(fallbackStores);
  }

  /** Defaults for a graph. */
  public static StoreOptions of(FeatureGraph graph) {
    return new StoreOptions(
        null, graph, null, Truncation.DEFAULT, null, true, List.of(), null, false);
  }

  /** With a display name. */
  public StoreOptions name(String n) {
    return new StoreOptions(
        n,
        graph,
        hashAlgorithm,
        truncation,
        materializationId,
        autoCreateTables,
        fallbackStores,
        allocator,
        enableMapDatatype);
  }

  /** With a hash algorithm. */
  public StoreOptions hashAlgorithm(@Nullable HashAlgorithm a) {
    return new StoreOptions(
        name,
        graph,
        a,
        truncation,
        materializationId,
        autoCreateTables,
        fallbackStores,
        allocator,
        enableMapDatatype);
  }

  /** With a truncation length (at least 8). */
  public StoreOptions truncation(int length) {
    return new StoreOptions(
        name,
        graph,
        hashAlgorithm,
        new Truncation(length),
        materializationId,
        autoCreateTables,
        fallbackStores,
        allocator,
        enableMapDatatype);
  }

  /** With a default materialization id. */
  public StoreOptions materializationId(@Nullable String id) {
    return new StoreOptions(
        name,
        graph,
        hashAlgorithm,
        truncation,
        id,
        autoCreateTables,
        fallbackStores,
        allocator,
        enableMapDatatype);
  }

  /** With automatic table creation on or off. */
  public StoreOptions autoCreateTables(boolean on) {
    return new StoreOptions(
        name,
        graph,
        hashAlgorithm,
        truncation,
        materializationId,
        on,
        fallbackStores,
        allocator,
        enableMapDatatype);
  }

  /** With these fallback stores, in order. */
  public StoreOptions fallbackStores(MetadataStore... stores) {
    return new StoreOptions(
        name,
        graph,
        hashAlgorithm,
        truncation,
        materializationId,
        autoCreateTables,
        List.of(stores),
        allocator,
        enableMapDatatype);
  }

  /** With an allocator the caller owns. */
  public StoreOptions allocator(BufferAllocator a) {
    return new StoreOptions(
        name,
        graph,
        hashAlgorithm,
        truncation,
        materializationId,
        autoCreateTables,
        fallbackStores,
        a,
        enableMapDatatype);
  }

  /**
   * With the reference's {@code enable_map_datatype} on or off: whether tables this store creates keep
   * by-field columns as maps (see the record's parameter).
   */
  public StoreOptions enableMapDatatype(boolean on) {
    return new StoreOptions(
        name,
        graph,
        hashAlgorithm,
        truncation,
        materializationId,
        autoCreateTables,
        fallbackStores,
        allocator,
        on);
  }
}
