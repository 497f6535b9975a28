package io.metaxy.cli;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.GraphJson;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.versioning.Truncation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * A feature graph plus where each feature came from (the {@code source} column of {@code list features}
 * and {@code describe features}): the declaring class when known, else the file the definition was read
 * from.
 *
 * @param graph the graph
 * @param sources feature key → source description
 */
record LoadedGraph(FeatureGraph graph, Map<FeatureKey, String> sources) {

  /**
   * The project version shown in headers: that of {@code project}, or with no project the version of the
   * graph's only project; {@code null} when the graph has several projects and none is chosen.
   */
  @Nullable
  String projectVersion(@Nullable String project, Truncation truncation) {
    if (project != null) {
      return graph.projectVersion(project, truncation);
    }
    Set<String> projects = graph.projects();
    return projects.size() == 1
        ? graph.projectVersion(projects.iterator().next(), truncation)
        : null;
  }

  /** The source of a feature ({@code "-"} when unknown). */
  String source(FeatureKey key) {
    return sources.getOrDefault(key, "-");
  }

  /**
   * Reads graphs from {@code paths} (relative ones against {@code cwd}): a {@code graph.json} file, a
   * directory holding {@value GraphJson#RESOURCE} (a classes directory) or {@code graph.json}, or a jar.
   *
   * @throws CliFailure naming the path that cannot be read
   */
  static LoadedGraph fromPaths(List<Path> paths, Path cwd) {
    List<FeatureDefinition> all = new ArrayList<>();
    Map<FeatureKey, String> sources = new LinkedHashMap<>();
    for (Path p : paths) {
      Path path = cwd.resolve(p);
      String[] where = {p.toString()};
      String text = readGraphText(path, where);
      String label = where[0];
      List<FeatureDefinition> defs;
      try {
        defs = GraphJson.read(text, label);
      } catch (MetaxyException e) {
        throw CliFailure.error("cannot read feature graph " + label + ": " + e.getMessage());
      }
      for (FeatureDefinition d : defs) {
        all.add(d);
        sources.putIfAbsent(d.spec().key(), d.className() != null ? d.className() : label);
      }
    }
    return of(all, sources);
  }

  /** A graph loaded elsewhere (the configuration); a feature's source is its class, else {@code -}. */
  static LoadedGraph of(FeatureGraph graph) {
    Map<FeatureKey, String> sources = new LinkedHashMap<>();
    for (FeatureDefinition d : graph.definitions()) {
      if (d.className() != null) {
        sources.put(d.spec().key(), d.className());
      }
    }
    return new LoadedGraph(graph, Collections.unmodifiableMap(sources));
  }

  /** A graph of definitions with known sources. */
  static LoadedGraph of(List<FeatureDefinition> all, Map<FeatureKey, String> sources) {
    try {
      return new LoadedGraph(FeatureGraph.of(all), Collections.unmodifiableMap(sources));
    } catch (MetaxyException e) {
      throw CliFailure.error(e.getMessage());
    }
  }

  /** The graph text at {@code path}; {@code where[0]} (the path as given) becomes the file actually read. */
  private static String readGraphText(Path path, String[] where) {
    String label = where[0];
    try {
      if (Files.isDirectory(path)) {
        for (Path candidate :
            List.of(path.resolve(GraphJson.RESOURCE), path.resolve("graph.json"))) {
          if (Files.isRegularFile(candidate)) {
            where[0] = Path.of(label).resolve(path.relativize(candidate)).toString();
            return Files.readString(candidate);
          }
        }
        throw CliFailure.error("no feature graph in directory " + label + " (looked for "
            + GraphJson.RESOURCE + " and graph.json)");
      }
      if (!Files.exists(path)) {
        throw CliFailure.error("feature graph " + label + " does not exist");
      }
      String name = path.getFileName().toString();
      if (name.endsWith(".jar") || name.endsWith(".zip")) {
        try (ZipFile zip = new ZipFile(path.toFile())) {
          ZipEntry entry = zip.getEntry(GraphJson.RESOURCE);
          if (entry == null) {
            throw CliFailure.error("jar " + label + " has no " + GraphJson.RESOURCE);
          }
          where[0] = label + "!/" + GraphJson.RESOURCE;
          try (InputStream in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
        }
      }
      return Files.readString(path);
    } catch (IOException e) {
      throw CliFailure.error("cannot read feature graph " + label + ": " + e);
    }
  }
}
