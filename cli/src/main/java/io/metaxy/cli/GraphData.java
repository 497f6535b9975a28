package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FieldSpec;
import io.metaxy.versioning.DefinitionVersions;
import io.metaxy.versioning.Truncation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What every renderer draws (CLI spec §2.1): nodes in topological order (upstream first, ties broken
 * case-insensitively by key), edges from dependency to dependent, and the project version(s). The same
 * model carries a plain graph (status {@link Status#NORMAL}) or a merged diff.
 *
 * @param nodes the nodes, in render order
 * @param projectVersion the project version shown in headers, or {@code null}
 * @param oldProjectVersion in a diff, the project version of the old side, or {@code null}
 */
record GraphData(
    List<Node> nodes,
    @Nullable String projectVersion,
    @Nullable String oldProjectVersion) {

  /** How a node or field compares between the two sides of a diff. */
  enum Status {
    NORMAL,
    UNCHANGED,
    ADDED,
    REMOVED,
    CHANGED
  }

  /**
   * A field of a node.
   *
   * @param key the field key
   * @param version the field version (new side in a diff)
   * @param oldVersion the old-side version when changed, else {@code null}
   * @param codeVersion the code version, or {@code null}
   * @param status the diff status
   */
  record FieldNode(
      String key,
      String version,
      @Nullable String oldVersion,
      @Nullable String codeVersion,
      Status status) {}

  /**
   * A feature.
   *
   * @param key the feature key
   * @param version the feature version (new side in a diff; old side for removed features)
   * @param oldVersion the old-side version when changed, else {@code null}
   * @param fields the fields
   * @param dependencies the keys of the upstream features, as declared
   * @param status the diff status
   * @param project the project, or {@code null}
   */
  record Node(
      String key,
      String version,
      @Nullable String oldVersion,
      List<FieldNode> fields,
      List<String> dependencies,
      Status status,
      @Nullable String project) {}

  /**
   * An edge.
   *
   * @param from the dependency
   * @param to the dependent
   */
  record Edge(String from, String to) {}

  /** Whether there is nothing to draw. */
  boolean isEmpty() {
    return nodes.isEmpty();
  }

  /** The node with this key, or {@code null}. */
  @Nullable
  Node node(String key) {
    for (Node n : nodes) {
      if (n.key().equals(key)) {
        return n;
      }
    }
    return null;
  }

  /** Edges between drawn nodes: per node in order, its dependencies in declaration order. */
  List<Edge> edges() {
    Set<String> keys = new LinkedHashSet<>();
    nodes.forEach(n -> keys.add(n.key()));
    List<Edge> out = new ArrayList<>();
    for (Node n : nodes) {
      for (String d : n.dependencies()) {
        if (keys.contains(d)) {
          out.add(new Edge(d, n.key()));
        }
      }
    }
    return out;
  }

  /** The graph's features with their versions under {@code truncation}. */
  static GraphData of(FeatureGraph graph, Truncation truncation, @Nullable String projectVersion) {
    DefinitionVersions versions = graph.versions(truncation);
    List<Node> nodes = new ArrayList<>();
    for (FeatureDefinition d : graph.definitions()) {
      FeatureKey key = d.spec().key();
      List<FieldNode> fields = new ArrayList<>();
      for (FieldSpec f : d.spec().fields()) {
        FieldKey fk = f.key();
        fields.add(new FieldNode(
            fk.toString(), versions.fieldVersion(key, fk), null, f.codeVersion(), Status.NORMAL));
      }
      List<String> deps = d.spec().deps().stream()
          .map(FeatureDep::feature)
          .map(FeatureKey::toString)
          .toList();
      nodes.add(new Node(
          key.toString(),
          versions.featureVersion(key),
          null,
          fields,
          deps,
          Status.NORMAL,
          d.project()));
    }
    return new GraphData(topological(nodes), projectVersion, null);
  }

  /**
   * Orders nodes upstream first; among ready nodes the case-insensitively smallest key goes first, so
   * the order does not depend on input order. Nodes left in a cycle follow in key order.
   */
  static List<Node> topological(List<Node> nodes) {
    Comparator<Node> byKey =
        Comparator.comparing((Node n) -> n.key().toLowerCase(Locale.ROOT)).thenComparing(Node::key);
    Map<String, Node> byName = new LinkedHashMap<>();
    nodes.forEach(n -> byName.put(n.key(), n));
    Map<String, Integer> pending = new HashMap<>();
    Map<String, List<Node>> dependents = new HashMap<>();
    for (Node n : nodes) {
      int count = 0;
      for (String d : new LinkedHashSet<>(n.dependencies())) {
        if (byName.containsKey(d) && !d.equals(n.key())) {
          count++;
          dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(n);
        }
      }
      pending.put(n.key(), count);
    }
    PriorityQueue<Node> ready = new PriorityQueue<>(byKey);
    nodes.stream().filter(n -> pending.getOrDefault(n.key(), 0) == 0).forEach(ready::add);
    List<Node> out = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    while (!ready.isEmpty()) {
      Node n = ready.poll();
      out.add(n);
      done.add(n.key());
      for (Node m : dependents.getOrDefault(n.key(), List.of())) {
        if (pending.merge(m.key(), -1, Integer::sum) == 0) {
          ready.add(m);
        }
      }
    }
    nodes.stream().filter(n -> !done.contains(n.key())).sorted(byKey).forEach(out::add);
    return out;
  }

  /**
   * The nodes to draw: with {@code project}, that project's features plus their direct upstream
   * features; with {@code focus}, the focus plus {@code up} levels of upstream and {@code down} levels of
   * downstream features ({@code null} = all levels). Both filters are computed on this (unfiltered)
   * graph and intersected.
   */
  GraphData filter(
      @Nullable String project,
      @Nullable String focus,
      @Nullable Integer up,
      @Nullable Integer down) {
    Set<String> keep = null;
    if (project != null) {
      keep = new LinkedHashSet<>();
      for (Node n : nodes) {
        if (project.equals(n.project())) {
          keep.add(n.key());
          keep.addAll(n.dependencies());
        }
      }
    }
    if (focus != null) {
      Set<String> around = new LinkedHashSet<>();
      around.add(focus);
      Map<String, List<String>> upstream = new HashMap<>();
      Map<String, List<String>> downstream = new HashMap<>();
      for (Node n : nodes) {
        for (String d : n.dependencies()) {
          upstream.computeIfAbsent(n.key(), k -> new ArrayList<>()).add(d);
          downstream.computeIfAbsent(d, k -> new ArrayList<>()).add(n.key());
        }
      }
      around.addAll(reach(focus, upstream, up));
      around.addAll(reach(focus, downstream, down));
      if (keep == null) {
        keep = around;
      } else {
        keep.retainAll(around);
        keep.add(focus);
      }
    }
    if (keep == null) {
      return this;
    }
    Set<String> k = keep;
    return new GraphData(
        nodes.stream().filter(n -> k.contains(n.key())).toList(),
        projectVersion,
        oldProjectVersion);
  }

  private static Set<String> reach(
      String start, Map<String, List<String>> next, @Nullable Integer levels) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> frontier = new ArrayDeque<>(List.of(start));
    int level = 0;
    while (!frontier.isEmpty() && (levels == null || level < levels)) {
      Deque<String> following = new ArrayDeque<>();
      for (String k : frontier) {
        for (String n : next.getOrDefault(k, List.of())) {
          if (seen.add(n)) {
            following.add(n);
          }
        }
      }
      frontier = following;
      level++;
    }
    return seen;
  }
}
