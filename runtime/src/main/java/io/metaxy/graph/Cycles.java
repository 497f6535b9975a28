package io.metaxy.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Cycle detection and topological ordering over a dependency map, shared by the processor (which
 * reports cycles as compile errors) and {@link FeatureGraph}. Deterministic: nodes and edges are
 * visited in sorted order, so the same graph always yields the same cycle path and order.
 */
public final class Cycles {
  private Cycles() {}

  /**
   * Every elementary cycle found by a depth-first search, each once, as a path that starts and ends
   * at its smallest node (e.g. {@code [a, b, a]}). Edges to nodes not in the map are ignored.
   *
   * @param upstream node → the nodes it depends on
   */
  public static <K extends Comparable<K>> List<List<K>> find(
      Map<K, ? extends Iterable<K>> upstream) {
    SortedMap<K, List<K>> edges = sorted(upstream);
    List<List<K>> cycles = new ArrayList<>();
    Set<List<K>> seen = new HashSet<>();
    Map<K, Integer> state = new HashMap<>(); // 1 = on stack, 2 = done
    for (K start : edges.keySet()) {
      dfs(start, edges, state, new ArrayList<>(), cycles, seen);
    }
    return cycles;
  }

  private static <K extends Comparable<K>> void dfs(
      K node,
      SortedMap<K, List<K>> edges,
      Map<K, Integer> state,
      List<K> stack,
      List<List<K>> out,
      Set<List<K>> seen) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return;
    }
    if (s != null && s == 1) {
      List<K> cycle = new ArrayList<>(stack.subList(stack.indexOf(node), stack.size()));
      // Rotate so the smallest node comes first; the same cycle found twice is reported once.
      int min = cycle.indexOf(Collections.min(cycle));
      List<K> rotated = new ArrayList<>(cycle.subList(min, cycle.size()));
      rotated.addAll(cycle.subList(0, min));
      rotated.add(rotated.get(0));
      if (seen.add(rotated)) {
        out.add(rotated);
      }
      return;
    }
    state.put(node, 1);
    stack.add(node);
    for (K next : edges.getOrDefault(node, List.of())) {
      if (edges.containsKey(next)) {
        dfs(next, edges, state, stack, out, seen);
      }
    }
    stack.remove(stack.size() - 1);
    state.put(node, 2);
  }

  /**
   * Nodes ordered so that every node comes after its upstream nodes; ties are broken by node order.
   *
   * @throws IllegalStateException if the graph has a cycle
   */
  public static <K extends Comparable<K>> List<K> topologicalOrder(
      Map<K, ? extends Iterable<K>> upstream) {
    SortedMap<K, List<K>> edges = sorted(upstream);
    Map<K, Integer> remaining = new HashMap<>();
    Map<K, List<K>> downstream = new HashMap<>();
    for (Map.Entry<K, List<K>> e : edges.entrySet()) {
      int count = 0;
      for (K up : e.getValue()) {
        if (edges.containsKey(up)) {
          count++;
          downstream.computeIfAbsent(up, k -> new ArrayList<>()).add(e.getKey());
        }
      }
      remaining.put(e.getKey(), count);
    }
    PriorityQueue<K> ready = new PriorityQueue<>();
    remaining.forEach((k, n) -> {
      if (n == 0) {
        ready.add(k);
      }
    });
    List<K> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      K k = ready.poll();
      order.add(k);
      for (K d : downstream.getOrDefault(k, List.of())) {
        if (remaining.merge(d, -1, Integer::sum) == 0) {
          ready.add(d);
        }
      }
    }
    if (order.size() != edges.size()) {
      throw new IllegalStateException("dependency cycle: " + find(upstream));
    }
    return order;
  }

  private static <K extends Comparable<K>> SortedMap<K, List<K>> sorted(
      Map<K, ? extends Iterable<K>> upstream) {
    SortedMap<K, List<K>> edges = new TreeMap<>();
    upstream.forEach((k, ups) -> {
      List<K> list = new ArrayList<>();
      ups.forEach(list::add);
      Collections.sort(list);
      edges.put(k, list);
    });
    return edges;
  }
}
