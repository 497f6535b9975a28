package io.metaxy.cli;

import io.metaxy.config.ConfigException;
import io.metaxy.config.MetaxyConfig;
import io.metaxy.graph.GraphJson;
import io.metaxy.spec.FeatureDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * Why a command found no features of the project it works on. Three set-up mistakes look exactly like
 * an empty project from inside a command (no {@code metaxy.toml}, no feature graph configured, features
 * compiled for another project), so each gets its own error naming what to fix; only a project whose
 * configured graph really defines no features passes, for the command to report as empty.
 */
final class NoFeatures {
  private NoFeatures() {}

  /**
   * Fails with what to fix when the lack of features of {@code project} comes from a set-up mistake;
   * returns when the configured graph genuinely holds none, after a note on stderr when the configured
   * {@code graph.classpath} holds no compiled graph at all.
   *
   * @param project the project the command selected features of ({@code null}: every project)
   * @throws CliFailure naming the missing file or setting, or the projects the graph does hold
   */
  static void explain(RootCommand root, @Nullable String project) {
    List<FeatureDefinition> compiled =
        root.graph().graph().definitions().stream().filter(d -> !d.external()).toList();
    if (!compiled.isEmpty()) {
      if (project == null) {
        return; // every project selected, and some exist: not this method's case
      }
      String projects = compiled.stream()
          .map(FeatureDefinition::project)
          .collect(Collectors.toCollection(TreeSet::new))
          .stream()
          .map(p -> "'" + p + "'")
          .collect(Collectors.joining(", "));
      throw CliFailure.error("No features of project '" + project
          + "', but the feature graph has features of" + " project(s) " + projects + ". "
          + fixProject(root, project) + ", or use --all-projects for every project.");
    }
    if (!root.globals().graphs.isEmpty()) {
      return; // the graph files named on the command line define no features: an empty project
    }
    MetaxyConfig config = root.settings().config();
    if (!config.graphClasspath().isEmpty()) {
      if (!anyGraphIn(config)) {
        root.err()
            .println(
                "Note: no " + GraphJson.RESOURCE + " in graph.classpath " + config.graphClasspath()
                    + "; the annotation processor writes it when it compiles at least one @Feature class.");
      }
      return;
    }
    if (onClassPath()) {
      return; // graph.json files on the class path, all without features
    }
    if (config.configFile().isEmpty()) {
      throw CliFailure.error(
          "No metaxy.toml found in " + root.cwd() + " or its parent directories, and no feature"
              + " graph on the class path. Run mx in your project (next to its metaxy.toml), or create a metaxy.toml"
              + " with project = \"<name>\" and [graph] classpath = [\"target/classes\"] (where your @Feature classes"
              + " compile to), or pass --config-file PATH or --graph PATH.");
    }
    Path file = config.configFile().get();
    throw CliFailure.error("No feature graph configured: " + file + " has no [graph] classpath"
        + (config.entrypoints().isEmpty()
            ? ""
            : " (its entrypoints are read by Python Metaxy only)")
        + ", and no " + GraphJson.RESOURCE
        + " is on the class path (MX_CLASSPATH). Add [graph] classpath ="
        + " [\"target/classes\"] (the directory or jar your @Feature classes compile to) to " + file
        + ", or pass --graph PATH.");
  }

  /** How to choose another project, where {@code project} was chosen: the flag, the variable or the file. */
  private static String fixProject(RootCommand root, String project) {
    if (project.equals(root.globals().project)) {
      return "Pass one of those to --project";
    }
    if (project.equals(root.env().get("METAXY_PROJECT"))) {
      return "Set METAXY_PROJECT to one of those";
    }
    return "Set project in "
        + root.settings().config().configFile().map(Path::toString).orElse("metaxy.toml")
        + " to one of those";
  }

  /** Whether any {@code graph.classpath} entry holds a compiled graph. */
  private static boolean anyGraphIn(MetaxyConfig config) {
    List<Path> entries;
    try {
      entries = config.graphClasspathEntries();
    } catch (ConfigException e) {
      throw CliFailure.error("Invalid Metaxy configuration: " + e.getMessage());
    }
    for (Path entry : entries) {
      if (Files.isDirectory(entry)) {
        if (Files.isRegularFile(entry.resolve(GraphJson.RESOURCE))) {
          return true;
        }
      } else {
        try (ZipFile zip = new ZipFile(entry.toFile())) {
          if (zip.getEntry(GraphJson.RESOURCE) != null) {
            return true;
          }
        } catch (IOException e) {
          // Not a jar: loading the graph would have failed on it already; it holds no graph.
        }
      }
    }
    return false;
  }

  /** Whether this JVM's class path holds a compiled graph (where the graph comes from without graph.classpath). */
  private static boolean onClassPath() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    try {
      return (cl != null ? cl : NoFeatures.class.getClassLoader())
          .getResources(GraphJson.RESOURCE)
          .hasMoreElements();
    } catch (IOException e) {
      return false;
    }
  }
}
