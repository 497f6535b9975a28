package io.metaxy.graph;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.MetaxyException;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.Lineage;
import io.metaxy.versioning.FieldRef;
import io.metaxy.versioning.FieldResolver;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The resolved plan of a feature: how its upstream rows are joined and which upstream fields each of
 * its fields hashes (versioning spec §2, §4.2). The processor emits it as constants; the engine runs it.
 *
 * @param feature the planned feature
 * @param spec its spec
 * @param deps one entry per dependency, in declaration order
 * @param joinColumns the columns the prepared upstream frames are joined on
 * @param parents per field (spec order) its parent fields, sorted by fully-qualified key
 */
public record FeaturePlan(
    FeatureKey feature,
    FeatureSpec spec,
    List<DepPlan> deps,
    List<String> joinColumns,
    Map<FieldKey, List<FieldRef>> parents) {

  /**
   * One dependency of the plan.
   *
   * @param dep the dependency as declared
   * @param upstream the upstream feature's spec
   * @param inputIdColumns the columns this dependency contributes to the join: the renamed upstream id
   *     columns (identity), {@code on} or the downstream id columns (aggregation), {@code on}
   *     (expansion)
   */
  public record DepPlan(FeatureDep dep, FeatureSpec upstream, List<String> inputIdColumns) {
    /** Upstream id columns after the dependency's rename. */
    public List<String> renamedUpstreamIdColumns() {
      return upstream.idColumns().stream().map(dep::renamed).toList();
    }
  }

  /** The plan of a feature of a graph. */
  public static FeaturePlan of(FeatureGraph graph, FeatureKey feature) {
    return of(graph.spec(feature), k -> graph.find(k).map(d -> d.spec()));
  }

  /**
   * The plan of a spec whose upstream specs {@code lookup} finds.
   *
   * @throws MetaxyException naming the upstream feature that {@code lookup} cannot find, or a field
   *     whose parents cannot be resolved
   */
  public static FeaturePlan of(
      FeatureSpec spec, Function<FeatureKey, Optional<FeatureSpec>> lookup) {
    List<DepPlan> deps = new ArrayList<>();
    for (FeatureDep dep : spec.deps()) {
      FeatureSpec upstream = lookup
          .apply(dep.feature())
          .orElseThrow(() -> new MetaxyException(
              "feature " + spec.key() + " depends on unknown feature " + dep.feature()));
      deps.add(new DepPlan(dep, upstream, inputIdColumns(spec, dep, upstream)));
    }
    Map<FieldKey, List<FieldRef>> parents = new LinkedHashMap<>();
    for (FieldSpec f : spec.fields()) {
      parents.put(f.key(), FieldResolver.parents(spec, f, lookup));
    }
    return new FeaturePlan(spec.key(), spec, List.copyOf(deps), joinColumns(spec, deps), parents);
  }

  private static List<String> inputIdColumns(
      FeatureSpec spec, FeatureDep dep, FeatureSpec upstream) {
    Lineage lineage = dep.lineage();
    if (lineage instanceof Lineage.Identity) {
      return upstream.idColumns().stream().map(dep::renamed).toList();
    }
    if (lineage instanceof Lineage.Aggregation a) {
      return a.on() != null ? a.on() : spec.idColumns();
    }
    return ((Lineage.Expansion) lineage).on();
  }

  /** The sorted intersection of the deps' input id columns, or the feature's id columns if empty. */
  private static List<String> joinColumns(FeatureSpec spec, List<DepPlan> deps) {
    Set<String> shared = null;
    for (DepPlan d : deps) {
      if (d.inputIdColumns().isEmpty()) {
        continue;
      }
      if (shared == null) {
        shared = new LinkedHashSet<>(d.inputIdColumns());
      } else {
        shared.retainAll(d.inputIdColumns());
      }
    }
    if (shared == null || shared.isEmpty()) {
      return spec.idColumns();
    }
    return List.copyOf(new TreeSet<>(shared));
  }

  /**
   * Store spec §4.2 step 6: a user column may come from one dependency only. Join columns, renamed
   * upstream id columns and system columns are exempt.
   *
   * @param columns the columns of each dependency's prepared rows, in join order
   * @throws MetaxyException naming the column and the two dependencies it comes from
   */
  public void checkColumnCollisions(Map<FeatureKey, ? extends Collection<String>> columns) {
    Set<String> exempt = new LinkedHashSet<>(joinColumns);
    for (DepPlan d : deps) {
      exempt.addAll(d.renamedUpstreamIdColumns());
    }
    Map<String, FeatureKey> seen = new LinkedHashMap<>();
    for (Map.Entry<FeatureKey, ? extends Collection<String>> e : columns.entrySet()) {
      for (String c : e.getValue()) {
        if (exempt.contains(c) || c.startsWith("metaxy_")) {
          continue;
        }
        FeatureKey prev = seen.putIfAbsent(c, e.getKey());
        if (prev != null) {
          throw new MetaxyException("Found column collisions in the upstream rows of " + feature
              + ": column '" + c + "' comes from both " + prev + " and " + e.getKey()
              + "; rename or deselect it in one dependency");
        }
      }
    }
  }

  /** How a dependency's rows join the rows of the dependencies before it in {@link #joinOrder}. */
  public enum Join {
    /** The first rows: nothing to join yet. */
    FIRST,
    /** A required dependency: only samples every required dependency has. */
    INNER,
    /** An optional dependency after a required one: its values may be missing. */
    LEFT,
    /** Every dependency is optional: samples any of them has, join keys coalesced. */
    FULL
  }

  /**
   * One dependency's rows in join order.
   *
   * @param rows the engine's rows of the dependency
   * @param how how they join the rows before them
   */
  public record Joined<T>(T rows, Join how) {}

  /**
   * The one join order of both engines (docs/engine.md): the dependencies that have rows, required
   * ones first in declaration order, then optional ones; required ones inner-joined, optional ones
   * left-joined, and when all are optional, full-outer-joined.
   *
   * @param present the rows of each dependency that has rows, in declaration order
   * @param optional whether a dependency's rows belong to an optional dependency
   * @throws MetaxyException when no dependency has rows
   */
  public <T> List<Joined<T>> joinOrder(List<T> present, Predicate<? super T> optional) {
    List<T> ordered = new ArrayList<>();
    int required = 0;
    for (T p : present) {
      if (optional.test(p)) {
        ordered.add(p);
      } else {
        ordered.add(required++, p);
      }
    }
    if (ordered.isEmpty()) {
      throw new MetaxyException(
          "expected rows of " + feature + ": every dependency is optional and none has rows");
    }
    List<Joined<T>> out = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      Join how =
          i == 0 ? Join.FIRST : i < required ? Join.INNER : required == 0 ? Join.FULL : Join.LEFT;
      out.add(new Joined<>(ordered.get(i), how));
    }
    return out;
  }

  /** Whether every dependency is optional (the frames are then full-outer joined). */
  public boolean allOptional() {
    return !deps.isEmpty() && deps.stream().allMatch(d -> d.dep().optional());
  }
}
