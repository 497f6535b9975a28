package io.metaxy.cli;

import io.metaxy.KeyParts;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The display and focus options shared by {@code graph render} and {@code graph-diff render}. */
final class RenderOptions {
  @Option(names = "--minimal", description = "Preset: fields only, no versions.")
  boolean minimal;

  @Option(
      names = "--verbose",
      description = "Preset: everything, including code versions and full hashes.")
  boolean verbose;

  @Option(
      names = "--show-fields",
      negatable = true,
      arity = "0..1",
      paramLabel = "BOOL",
      fallbackValue = "true",
      defaultValue = "true",
      description = "Show fields (default: true).")
  boolean showFields;

  @Option(
      names = "--show-feature-versions",
      negatable = true,
      arity = "0..1",
      paramLabel = "BOOL",
      fallbackValue = "true",
      defaultValue = "true",
      description = "Show feature versions (default: true).")
  boolean showFeatureVersions;

  @Option(
      names = "--show-field-versions",
      negatable = true,
      arity = "0..1",
      paramLabel = "BOOL",
      fallbackValue = "true",
      defaultValue = "true",
      description = "Show field versions (default: true).")
  boolean showFieldVersions;

  @Option(
      names = "--show-code-versions",
      negatable = true,
      arity = "0..1",
      paramLabel = "BOOL",
      fallbackValue = "true",
      defaultValue = "false",
      description = "Show field code versions (default: false).")
  boolean showCodeVersions;

  @Option(
      names = "--show-project-version",
      negatable = true,
      arity = "0..1",
      paramLabel = "BOOL",
      fallbackValue = "true",
      defaultValue = "true",
      description = "Show the project version header (default: true).")
  boolean showProjectVersion;

  @Option(
      names = "--show-projects",
      negatable = true,
      arity = "0..1",
      paramLabel = "BOOL",
      fallbackValue = "true",
      defaultValue = "true",
      description = "Show the project of each feature (default: true).")
  boolean showProjects;

  @Option(
      names = "--hash-length",
      paramLabel = "N",
      defaultValue = "8",
      description = "Hash characters shown; 0 = full hash.")
  int hashLength;

  @Option(
      names = "--direction",
      paramLabel = "TB|LR",
      defaultValue = "TB",
      description = "Layout direction: TB or LR.")
  String direction;

  @Option(
      names = "--title",
      paramLabel = "TEXT",
      defaultValue = "Feature Graph",
      description = "Mermaid diagram title.")
  String title;

  @Option(
      names = "--feature",
      paramLabel = "KEY",
      description = "Focus on this feature (a/b or a__b).")
  @Nullable
  String feature;

  @Option(
      names = "--up",
      paramLabel = "N",
      description = "Levels of upstream features around --feature (default: all).")
  @Nullable
  Integer up;

  @Option(
      names = "--down",
      paramLabel = "N",
      description = "Levels of downstream features around --feature (default: all).")
  @Nullable
  Integer down;

  /** Checks the option combinations every render command shares (exit 1 with the reference's texts). */
  void validate() {
    if (minimal && verbose) {
      throw CliFailure.error("Cannot specify both --minimal and --verbose");
    }
    if (!direction.equals("TB") && !direction.equals("LR")) {
      throw CliFailure.error("Invalid direction '" + direction + "'. Must be TB or LR.");
    }
    if ((up != null || down != null) && feature == null) {
      throw CliFailure.error("--up and --down require --feature to be specified");
    }
    if (up != null && up < 0 || down != null && down < 0) {
      throw CliFailure.error("--up and --down must be 0 or more");
    }
    if (hashLength < 0) {
      throw CliFailure.error("--hash-length must be 0 or more, got " + hashLength);
    }
  }

  /** The display settings after the presets. */
  RenderConfig config() {
    RenderConfig c = new RenderConfig(
        showFields,
        showFeatureVersions,
        showFieldVersions && showFields,
        showCodeVersions,
        showProjectVersion,
        showProjects,
        hashLength,
        direction,
        title);
    return minimal ? c.minimal() : verbose ? c.verbose() : c;
  }

  /** {@code --feature} as a slash key ({@code a__b} is accepted for {@code a/b}), or {@code null}. */
  @Nullable
  String focusKey() {
    if (feature == null) {
      return null;
    }
    String key = feature.contains("/") ? feature : feature.replace("__", "/");
    String problem = KeyParts.problem(KeyParts.split(key));
    if (problem != null) {
      throw CliFailure.error("Invalid feature key '" + feature + "': " + problem);
    }
    return key;
  }
}
