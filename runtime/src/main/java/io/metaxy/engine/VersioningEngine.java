package io.metaxy.engine;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sample-level versioning engine (versioning spec §4–§5, store spec §4): computes the expected
 * provenance of a feature's samples from its upstream rows and compares it with the stored rows.
 *
 * <p>Batches follow the conventions of {@link io.metaxy.engine}. Upstream batches must already hold
 * only the rows to consider (current feature version, latest per id, not deleted, dependency filters
 * applied). Input batches are never modified; result batches are new and owned by the caller, though
 * unchanged columns share buffers (reference counted) with inputs allocated under the same root
 * allocator as the engine's allocator.
 *
 * <p>Thread-safe: the per-row phases split rows into chunks processed on the common fork-join pool.
 *
 * <p>The work is done by one package-private class per pipeline stage (docs/engine.md, "Pipeline"):
 * {@code UpstreamPreparation}, {@code LineageStage}, {@code JoinStage}, {@code ProvenanceHashing} and
 * {@code DiffStage}; this class holds the plans and wires the stages together.
 */
public final class VersioningEngine {
  private static final Logger LOG = LoggerFactory.getLogger(VersioningEngine.class);

  private final FeatureGraph graph;
  private final HashAlgorithm algorithm;
  private final Truncation truncation;
  private final BufferAllocator allocator;
  private final Map<FeatureKey, FeaturePlan> plans = new ConcurrentHashMap<>();
  private final UpstreamPreparation preparation;
  private final JoinStage joins = new JoinStage();
  private final ProvenanceHashing hashing;
  private final DiffStage diffs;

  /**
   * An engine for one graph and hash configuration.
   *
   * @param allocator where result batches are allocated
   */
  public VersioningEngine(
      FeatureGraph graph,
      HashAlgorithm algorithm,
      Truncation truncation,
      BufferAllocator allocator) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.truncation = Objects.requireNonNull(truncation, "truncation");
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    LineageStage lineage = new LineageStage(algorithm, truncation, allocator);
    this.preparation = new UpstreamPreparation(lineage);
    this.hashing = new ProvenanceHashing(algorithm, truncation, allocator);
    this.diffs = new DiffStage(lineage, allocator);
  }

  /** The plan (join columns, field parents) the engine uses for {@code target}. */
  public FeaturePlan plan(FeatureKey target) {
    return plans.computeIfAbsent(target, k -> FeaturePlan.of(graph, k));
  }

  /**
   * The columns expected and current rows of {@code target} are compared on: the plan's join columns,
   * which for a root feature are its id columns.
   */
  public List<String> joinColumns(FeatureKey target) {
    return plan(target).joinColumns();
  }

  /**
   * The expected rows of {@code target} computed from its upstreams' current rows: the join columns and
   * carried upstream columns, then {@code metaxy_provenance_by_field}, {@code metaxy_provenance},
   * {@code metaxy_data_version_by_field} and {@code metaxy_data_version}.
   *
   * @param upstream the rows of each dependency, keyed by upstream feature; an optional dependency may
   *     be absent (its values then count as missing)
   * @throws MetaxyException for a root feature, a missing required upstream, or an upstream batch that
   *     lacks a column the plan needs (named in the message)
   */
  public VectorSchemaRoot expected(FeatureKey target, Map<FeatureKey, VectorSchemaRoot> upstream) {
    FeaturePlan plan = plan(target);
    if (plan.deps().isEmpty()) {
      throw new MetaxyException("feature " + target
          + " is a root feature: its samples come from the caller" + " (use expectedFromSamples)");
    }
    long t0 = System.nanoTime();
    try (ScratchVectors scratch = new ScratchVectors()) {
      Frame joined = joins.join(target, plan, preparation.prepare(target, plan, upstream, scratch));
      long t1 = System.nanoTime();
      VectorSchemaRoot out = hashing.hash(plan, joined);
      LOG.debug(
          "expected {}: {} rows, prepare+join {} ms, provenance {} ms",
          target,
          joined.rows,
          (t1 - t0) / 1_000_000,
          (System.nanoTime() - t1) / 1_000_000);
      return out;
    }
  }

  /**
   * The expected rows of a feature from user-supplied samples (always for a root feature; for other
   * features they replace upstream loading): {@code metaxy_provenance} is recomputed from
   * {@code metaxy_provenance_by_field} and the data versions are defaulted
   * ({@link io.metaxy.engine.ProvenanceColumns#completeSamples}).
   */
  public VectorSchemaRoot expectedFromSamples(FeatureKey target, VectorSchemaRoot samples) {
    return ProvenanceColumns.completeSamples(
        samples, graph.spec(target), algorithm, truncation, allocator);
  }

  /**
   * Provenance for rows the caller joined itself (store spec §1.8 {@code compute_provenance}): for each
   * dependency U, {@code rows} must hold {@code metaxy_data_version_by_field__<U parts joined by _>}.
   * The renamed upstream {@code *_by_field} and provenance columns are dropped (a renamed
   * {@code metaxy_data_version__<suffix>} is kept), other columns are carried, and the four versioning
   * columns of {@code target} are (re)computed. For a root feature every row gets the same values.
   *
   * @throws MetaxyException naming the missing upstream columns
   */
  public VectorSchemaRoot computeProvenance(FeatureKey target, VectorSchemaRoot rows) {
    FeaturePlan plan = plan(target);
    return hashing.hash(plan, preparation.fromJoinedRows(target, plan, rows));
  }

  /**
   * Compares expected with current rows of {@code target} on {@link #joinColumns} (store spec §4.5).
   * For expansion lineage the current (child) rows are first collapsed to one row per join key, each
   * column taking the first non-null value among the key's rows.
   *
   * @param current the stored rows (join columns and {@code metaxy_provenance} at least), or null when
   *     the feature has no stored rows
   */
  public IncrementBatches diff(
      FeatureKey target, VectorSchemaRoot expected, @Nullable VectorSchemaRoot current) {
    return diffs.diff(target, plan(target), expected, current);
  }
}
