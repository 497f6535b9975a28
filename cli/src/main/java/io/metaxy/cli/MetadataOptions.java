package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.KeyParts;
import io.metaxy.filter.FilterSyntaxException;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.store.RowFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What the {@code metadata} commands share: the feature selection ({@code FEATURE...} xor {@code
 * --all-features}, CLI spec §0.2), filter parsing and the progress-bar switch.
 */
final class MetadataOptions {
  @Parameters(
      paramLabel = "FEATURE",
      arity = "0..*",
      description = "Feature keys, e.g. video/files.")
  List<String> features = new ArrayList<>();

  @Option(
      names = "--all-features",
      description = "Every feature of the configured project (all projects with --all-projects).")
  boolean allFeatures;

  @Option(
      names = "--progress-bar",
      negatable = true,
      arity = "0..1",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description =
          "Draw a progress bar on stderr even when it is not a terminal (default: only on a terminal).")
  @Nullable
  Boolean progressBar;

  /**
   * The selection result.
   *
   * @param keys the selected features in the graph (argument order, or key order for --all-features)
   * @param missing keys given that are not in the graph
   */
  record Selection(List<FeatureKey> keys, List<String> missing) {}

  /**
   * The selected features; selection errors are structured errors on stdout.
   *
   * @param failOnMissing whether keys not in the graph are a {@code FEATURES_NOT_FOUND} error
   */
  Selection select(RootCommand root, FeatureGraph graph, boolean json, boolean failOnMissing) {
    if (features.isEmpty() && !allFeatures) {
      throw StructuredError.missingSelection().failure(json);
    }
    if (!features.isEmpty() && allFeatures) {
      throw StructuredError.conflictingSelection().failure(json);
    }
    List<FeatureKey> out = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    if (allFeatures) {
      // Like the reference: the configured project, not --project; --all-projects means every
      // feature.
      String project = root.globals().allProjects ? null : root.settings().project();
      for (FeatureDefinition d : graph.definitions()) {
        if (project == null || project.equals(d.project())) {
          out.add(d.spec().key());
        }
      }
      out.sort(Comparator.comparing(FeatureKey::toString));
      if (out.isEmpty()) {
        NoFeatures.explain(root, project);
      }
      return new Selection(out, missing);
    }
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
      FeatureKey key = FeatureKey.of(raw);
      if (graph.contains(key)) {
        if (!out.contains(key)) {
          out.add(key);
        }
      } else {
        missing.add(raw);
      }
    }
    if (out.isEmpty()) {
      NoFeatures.explain(root, null); // no key found: the graph itself may be missing
    }
    if (failOnMissing && !missing.isEmpty()) {
      throw new StructuredError(
              StructuredError.Code.FEATURES_NOT_FOUND, "Feature(s) not found in graph", null)
          .detail("features", missing)
          .failure(json);
    }
    return new Selection(out, missing);
  }

  /** Whether progress draws a bar: forced by the flag, else when stderr is a terminal. */
  boolean bar(RootCommand root) {
    return progressBar != null ? progressBar : root.interactive();
  }

  /**
   * Parsed filter strings.
   *
   * @param option the option name for the message ({@code --filter})
   * @throws CliFailure naming the option and the filter that does not parse
   */
  static List<RowFilter> filters(List<String> texts, String option) {
    List<RowFilter> out = new ArrayList<>();
    for (String t : texts) {
      try {
        out.add(RowFilter.sql(t));
      } catch (FilterSyntaxException e) {
        throw CliFailure.error("Invalid value \"" + t + "\" for \"" + option
            + "\". Invalid filter syntax: " + e.getMessage());
      }
    }
    return out;
  }
}
