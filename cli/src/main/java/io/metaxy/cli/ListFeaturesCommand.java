package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FieldSpec;
import io.metaxy.versioning.DefinitionVersions;
import io.metaxy.versioning.Truncation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mx list features}: the features of the current project (CLI spec §1.2). */
@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = "List the features of the current project.")
final class ListFeaturesCommand implements Callable<Integer> {
  @Option(
      names = {"-v", "--verbose"},
      description = "Also show dependencies and per-field lineage.")
  boolean verbose;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "plain",
      description = "plain or json (default: plain).")
  OutputFormat format;

  private final RootCommand root;

  ListFeaturesCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    LoadedGraph loaded = root.graph();
    FeatureGraph graph = loaded.graph();
    String project = root.effectiveProject();
    Truncation truncation = root.truncation();
    List<FeatureDefinition> features = new ArrayList<>();
    for (FeatureDefinition d : graph.definitions()) {
      if (project == null || project.equals(d.project())) {
        features.add(d);
      }
    }
    features.sort(Comparator.comparing(d -> d.spec().key().toString()));
    if (features.isEmpty()) {
      NoFeatures.explain(root, project);
    }
    PrintWriter out = root.out();
    if (format == OutputFormat.JSON) {
      out.println(JsonText.pretty(json(loaded, features, truncation)));
      return 0;
    }
    if (features.isEmpty()) {
      out.println("No features found in the current project.");
      return 0;
    }
    DefinitionVersions versions = graph.versions(truncation);
    Map<String, List<FeatureDefinition>> byProject = new TreeMap<>();
    features.forEach(
        d -> byProject.computeIfAbsent(d.project(), k -> new ArrayList<>()).add(d));
    for (Map.Entry<String, List<FeatureDefinition>> e : byProject.entrySet()) {
      Table table = verbose
          ? new Table(e.getKey(), "Feature", "Version", "Source", "Dependencies")
          : new Table(e.getKey(), "Feature", "Version", "Source");
      for (FeatureDefinition d : e.getValue()) {
        FeatureKey key = d.spec().key();
        String version = versions.featureVersion(key);
        String source = loaded.source(key);
        if (verbose) {
          List<String> deps = d.spec().deps().stream()
              .map(FeatureDep::feature)
              .map(FeatureKey::toString)
              .toList();
          table.row(
              key.toString(), version, source, deps.isEmpty() ? "-" : String.join(", ", deps));
        } else {
          table.row(key.toString(), version, source);
        }
      }
      table.lines().forEach(out::println);
      out.println();
    }
    if (verbose) {
      for (FeatureDefinition d : features) {
        FeatureKey key = d.spec().key();
        out.println(key + " (" + d.project() + ") " + loaded.source(key));
        Table fields = new Table(null, "Field", "Code Version", "Version", "Dependencies");
        for (FieldSpec f : d.spec().fields()) {
          String v = versions.fieldVersion(key, f.key());
          fields.row(
              f.key().toString(),
              f.codeVersion(),
              v.length() > 12 ? v.substring(0, 12) + "..." : v,
              FieldLineage.declared(graph, truncation, key, f));
        }
        fields.lines().forEach(out::println);
        out.println();
      }
    }
    long external = features.stream().filter(FeatureDefinition::external).count();
    long roots =
        features.stream().filter(d -> !d.external() && d.spec().isRoot()).count();
    long dependent = features.size() - external - roots;
    out.println("Total: " + features.size() + " feature(s) (" + roots + " root, " + dependent
        + " dependent" + (external > 0 ? ", " + external + " external" : "") + ")");
    return 0;
  }

  private Map<String, Object> json(
      LoadedGraph loaded, List<FeatureDefinition> features, Truncation truncation) {
    FeatureGraph graph = loaded.graph();
    DefinitionVersions versions = graph.versions(truncation);
    List<Object> list = new ArrayList<>();
    for (FeatureDefinition d : features) {
      FeatureKey key = d.spec().key();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", key.toString());
      m.put("version", versions.featureVersion(key));
      m.put("is_root", d.spec().isRoot());
      m.put("is_external", d.external());
      m.put("project", d.project());
      m.put("source", loaded.source(key));
      m.put("field_count", d.spec().fields().size());
      List<Object> fields = new ArrayList<>();
      for (FieldSpec f : d.spec().fields()) {
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("key", f.key().toString());
        fm.put("code_version", f.codeVersion());
        fm.put("version", versions.fieldVersion(key, f.key()));
        if (verbose) {
          fm.put("deps", FieldLineage.resolved(graph, truncation, key, f.key()));
        }
        fields.add(fm);
      }
      m.put("fields", fields);
      if (verbose) {
        m.put(
            "deps",
            d.spec().deps().stream()
                .map(FeatureDep::feature)
                .map(FeatureKey::toString)
                .toList());
      }
      list.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("feature_count", features.size());
    root.put("features", list);
    return root;
  }
}
