package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.KeyParts;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldSpec;
import io.metaxy.versioning.DefinitionVersions;
import io.metaxy.versioning.Truncation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mx describe features KEY... | --all-features}: one block or object per feature (CLI spec §1.5). */
@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = "Describe features in detail.")
final class DescribeFeaturesCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "FEATURE",
      arity = "0..*",
      description = "Feature keys, e.g. video/files.")
  List<String> features = new ArrayList<>();

  @Option(names = "--all-features", description = "Describe every feature of the current project.")
  boolean allFeatures;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      defaultValue = "plain",
      description = "plain or json (default: plain).")
  OutputFormat format;

  private final RootCommand root;

  DescribeFeaturesCommand(RootCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    boolean json = format == OutputFormat.JSON;
    List<FeatureDefinition> selected = select(json);
    LoadedGraph loaded = root.graph();
    Truncation truncation = root.truncation();
    PrintWriter out = root.out();
    if (json) {
      List<Object> objects = new ArrayList<>();
      for (FeatureDefinition d : selected) {
        objects.add(json(loaded, d, truncation));
      }
      // One selected feature prints bare, like the reference; --all-features always wraps.
      Object tree =
          objects.size() == 1 && !allFeatures ? objects.get(0) : Map.of("features", objects);
      out.println(JsonText.pretty(tree));
      return 0;
    }
    if (selected.isEmpty()) {
      out.println("No features found in the current project.");
    }
    for (int i = 0; i < selected.size(); i++) {
      if (i > 0) {
        out.println();
        out.println("─".repeat(60));
        out.println();
      }
      plain(out, loaded, selected.get(i), truncation);
    }
    return 0;
  }

  /** The selected definitions, in argument order; selection errors are structured errors. */
  private List<FeatureDefinition> select(boolean json) {
    if (features.isEmpty() && !allFeatures) {
      throw StructuredError.missingSelection().failure(json);
    }
    if (!features.isEmpty() && allFeatures) {
      throw StructuredError.conflictingSelection().failure(json);
    }
    FeatureGraph graph = root.graph().graph();
    List<FeatureDefinition> out = new ArrayList<>();
    if (allFeatures) {
      String project = root.effectiveProject();
      for (FeatureDefinition d : graph.definitions()) {
        if (project == null || project.equals(d.project())) {
          out.add(d);
        }
      }
      out.sort(Comparator.comparing(d -> d.spec().key().toString()));
      if (out.isEmpty()) {
        NoFeatures.explain(root, project);
      }
      return out;
    }
    List<String> missing = new ArrayList<>();
    for (String raw : features) {
      String problem = KeyParts.problem(KeyParts.split(raw));
      if (problem != null) {
        throw new StructuredError(
                StructuredError.Code.INVALID_FEATURE_KEY,
                "Invalid feature key '" + raw + "': " + problem,
                null)
            .detail("key", raw)
            .failure(json);
      }
      graph.find(FeatureKey.of(raw)).ifPresentOrElse(out::add, () -> missing.add(raw));
    }
    if (!missing.isEmpty()) {
      NoFeatures.explain(root, null);
      throw new StructuredError(
              StructuredError.Code.FEATURES_NOT_FOUND, "Feature(s) not found in graph", null)
          .detail("features", missing)
          .failure(json);
    }
    return out;
  }

  private Map<String, Object> json(LoadedGraph loaded, FeatureDefinition d, Truncation truncation) {
    FeatureSpec spec = d.spec();
    DefinitionVersions versions = loaded.graph().versions(truncation);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("project", d.project());
    m.put("key", spec.key().toString());
    m.put("version", versions.featureVersion(spec.key()));
    m.put("description", spec.description());
    m.put("is_external", d.external());
    m.put("source", loaded.source(spec.key()));
    m.put("id_columns", spec.idColumns());
    List<Object> fields = new ArrayList<>();
    for (FieldSpec f : spec.fields()) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("key", f.key().toString());
      fm.put("code_version", f.codeVersion());
      fm.put("version", versions.fieldVersion(spec.key(), f.key()));
      List<Map<String, Object>> deps =
          FieldLineage.resolved(loaded.graph(), truncation, spec.key(), f.key());
      if (!deps.isEmpty()) {
        fm.put("deps", deps);
      }
      fields.add(fm);
    }
    m.put("fields", fields);
    List<Object> deps = new ArrayList<>();
    for (FeatureDep dep : spec.deps()) {
      Map<String, Object> dm = new LinkedHashMap<>();
      dm.put("feature", dep.feature().toString());
      if (dep.select() != null) {
        dm.put("select", dep.select());
      }
      if (dep.rename() != null && !dep.rename().isEmpty()) {
        dm.put("rename", dep.rename());
      }
      if (dep.optional()) {
        dm.put("optional", true);
      }
      deps.add(dm);
    }
    m.put("dependencies", deps);
    if (!spec.metadata().isEmpty()) {
      m.put("metadata", spec.metadata());
    }
    return m;
  }

  private static void plain(
      PrintWriter out, LoadedGraph loaded, FeatureDefinition d, Truncation truncation) {
    FeatureSpec spec = d.spec();
    FeatureGraph graph = loaded.graph();
    DefinitionVersions versions = graph.versions(truncation);
    out.println(spec.key() + (d.external() ? " (external)" : "") + " ("
        + Text.hash(versions.featureVersion(spec.key()), 8) + ") " + d.project());
    out.println("Source: " + loaded.source(spec.key()));
    if (spec.description() != null && !spec.description().isBlank()) {
      out.println();
      spec.description().strip().lines().forEach(l -> out.println(l.isBlank() ? "" : "  " + l));
      out.println();
    }
    if (!spec.idColumns().isEmpty()) {
      out.println("ID columns: " + String.join(", ", spec.idColumns()));
    }
    out.println("Fields:");
    for (FieldSpec f : spec.fields()) {
      StringBuilder b = new StringBuilder("  ")
          .append(f.key())
          .append(" (")
          .append(Text.hash(versions.fieldVersion(spec.key(), f.key()), 8))
          .append(')');
      List<Map<String, Object>> parents =
          FieldLineage.resolved(graph, truncation, spec.key(), f.key());
      if (!parents.isEmpty()) {
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> p : parents) {
          // FieldLineage.resolved puts both into every map.
          String feature = (String) Objects.requireNonNull(p.get("feature"));
          @SuppressWarnings("unchecked")
          List<String> fs = (List<String>) Objects.requireNonNull(p.get("fields"));
          int all = graph
              .find(FeatureKey.of(feature))
              .map(u -> u.spec().fields().size())
              .orElse(-1);
          parts.add(fs.size() == all ? feature : feature + ":(" + String.join(", ", fs) + ")");
        }
        b.append(" ← ").append(String.join(", ", parts));
      }
      out.println(b);
    }
    out.println("Dependencies:");
    if (spec.deps().isEmpty()) {
      out.println("  none (root feature)");
    }
    for (FeatureDep dep : spec.deps()) {
      StringBuilder b = new StringBuilder("  ").append(dep.feature());
      if (dep.select() != null) {
        b.append(" | select: ")
            .append(dep.select().isEmpty() ? "none" : String.join(", ", dep.select()));
      }
      if (dep.optional()) {
        b.append(" | optional");
      }
      if (dep.rename() != null && !dep.rename().isEmpty()) {
        List<String> r = new ArrayList<>();
        dep.rename().forEach((a, z) -> r.add(a + " → " + z));
        b.append(" | rename: ").append(String.join(", ", r));
      }
      out.println(b);
    }
    if (!spec.metadata().isEmpty()) {
      out.println("Metadata:");
      spec.metadata()
          .forEach((k, v) ->
              out.println("  " + k + ": " + (v instanceof String s ? s : JsonText.compact(v))));
    }
  }
}
