package io.metaxy.processor.validation;

import io.metaxy.FeatureKey;
import io.metaxy.graph.Cycles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Whole-graph checks over the features of one compilation: duplicate keys and dependency cycles. Only
 * the aggregating processor runs these, so each problem is reported once.
 */
public final class GraphValidator {
  private GraphValidator() {}

  /**
   * Checks the features of a compilation.
   *
   * @param declarations every feature of the compilation, sorted by qualified name (so that "first"
   *     and "second" in messages are stable)
   */
  public static Report check(List<Declaration> declarations) {
    Report report = new Report();
    Map<FeatureKey, Declaration> byKey = new LinkedHashMap<>();
    for (Declaration d : declarations) {
      String k = d.feature().string("key");
      if (!Keys.isValid(k)) {
        continue;
      }
      Declaration first = byKey.putIfAbsent(FeatureKey.of(k), d);
      if (first != null) {
        report.error(
            Diagnostic.DUPLICATE_FEATURE_KEY,
            d.type(),
            d.feature(),
            d.feature().value("key"),
            k,
            first.type().getQualifiedName(),
            d.type().getQualifiedName());
      }
    }
    Map<FeatureKey, List<FeatureKey>> edges = new LinkedHashMap<>();
    byKey.forEach((k, d) -> {
      List<FeatureKey> ups = new ArrayList<>();
      d.deps().forEach(dep -> {
        if (dep.upstream() != null) {
          ups.add(dep.upstream());
        }
      });
      edges.put(k, ups);
    });
    for (List<FeatureKey> cycle : Cycles.find(edges)) {
      // Cycles are found in edges, whose keys are byKey's.
      Declaration first = Objects.requireNonNull(byKey.get(cycle.get(0)));
      FeatureKey next = cycle.get(1);
      String path = cycle.stream().map(FeatureKey::toString).collect(Collectors.joining(" -> "));
      for (Declaration.DepDecl dep : first.deps()) {
        if (next.equals(dep.upstream())) {
          Ann a = dep.ann();
          report.error(
              Diagnostic.DEPENDENCY_CYCLE,
              first.type(),
              a,
              dep.upstreamType() != null ? a.explicitValue("value") : a.explicitValue("key"),
              path);
          break;
        }
      }
    }
    return report;
  }
}
