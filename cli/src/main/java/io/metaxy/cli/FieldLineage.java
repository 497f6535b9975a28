package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FieldDep;
import io.metaxy.spec.FieldDeps;
import io.metaxy.spec.FieldSpec;
import io.metaxy.versioning.FieldRef;
import io.metaxy.versioning.Truncation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Field-level lineage as the listing commands show it. */
final class FieldLineage {
  private FieldLineage() {}

  /**
   * The resolved parents of a field grouped by upstream feature, e.g. {@code [{"feature":
   * "video/files", "fields": ["path", "size"]}]} (features and fields in fully-qualified key order).
   */
  static List<Map<String, Object>> resolved(
      FeatureGraph graph, Truncation truncation, FeatureKey feature, FieldKey field) {
    Map<String, List<String>> grouped = new LinkedHashMap<>();
    for (FieldRef ref : graph.versions(truncation).parents(feature, field)) {
      grouped
          .computeIfAbsent(ref.feature().toString(), k -> new ArrayList<>())
          .add(ref.field().toString());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    grouped.forEach((k, v) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("feature", k);
      m.put("fields", v);
      out.add(m);
    });
    return out;
  }

  /**
   * The declared dependencies of a field as a table cell: {@code video/files.path}, {@code up.*},
   * {@code [all upstream]}, or for automatic mapping the resolved parents ({@code -} when none).
   */
  static String declared(
      FeatureGraph graph, Truncation truncation, FeatureKey feature, FieldSpec field) {
    List<String> parts = new ArrayList<>();
    if (field.deps() instanceof FieldDeps.AllUpstream) {
      return "[all upstream]";
    } else if (field.deps() instanceof FieldDeps.Explicit e) {
      for (FieldDep d : e.deps()) {
        if (d.fields() == null) {
          parts.add(d.feature() + ".*");
        } else {
          d.fields().forEach(f -> parts.add(d.feature() + "." + f));
        }
      }
    } else {
      for (FieldRef ref : graph.versions(truncation).parents(feature, field.key())) {
        parts.add(ref.fq());
      }
    }
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }
}
