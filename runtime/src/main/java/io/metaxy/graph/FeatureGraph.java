package io.metaxy.graph;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.MetaxyException;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.versioning.DefinitionVersions;
import io.metaxy.versioning.FieldRef;
import io.metaxy.versioning.Truncation;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable set of feature definitions and their dependencies, with their definition-level
 * versions. Built from the generated registries ({@link #load()}), from the processor's JSON graph
 * resources ({@link #fromClasspath}), or from JSON specs with no classes at all ({@link #fromJson}).
 *
 * <p>Construction is lenient like the reference: a dependency on a feature that is not in the graph is
 * allowed (another project may define it), and {@link #problems()} lists such gaps; versions of a
 * feature that needs a missing upstream fail with an error naming it.
 */
public final class FeatureGraph {
  private final Map<FeatureKey, FeatureDefinition> definitions;
  private final Map<Truncation, DefinitionVersions> versions = new ConcurrentHashMap<>();

  private FeatureGraph(Map<FeatureKey, FeatureDefinition> definitions) {
    this.definitions = Collections.unmodifiableMap(definitions);
  }

  /**
   * A graph of these definitions.
   *
   * @throws MetaxyException if two definitions share a key
   */
  public static FeatureGraph of(Collection<FeatureDefinition> definitions) {
    Map<FeatureKey, FeatureDefinition> map = new LinkedHashMap<>();
    for (FeatureDefinition d : definitions) {
      FeatureDefinition previous = map.put(d.spec().key(), d);
      if (previous != null && !previous.equals(d)) {
        throw new MetaxyException("duplicate feature key " + d.spec().key() + " ("
            + describe(previous) + " and " + describe(d) + ")");
      }
    }
    return new FeatureGraph(map);
  }

  private static String describe(FeatureDefinition d) {
    return d.className() != null ? d.className() : "project " + d.project();
  }

  /** A graph read from class-free JSON ({@link GraphJson} format). */
  public static FeatureGraph fromJson(String json) {
    return of(GraphJson.read(json, "feature graph JSON"));
  }

  /**
   * Every feature of every generated {@link FeatureRegistry} visible to the context class loader.
   *
   * <p>The versions each registry's companions carry were computed by the processor at compile time;
   * they are recomputed here with {@link DefinitionVersions} against the merged graph, so a stale jar
   * (a companion compiled against an older upstream definition) fails loudly instead of writing rows
   * under wrong versions.
   *
   * @throws MetaxyException when two registries define the same key differently, or naming the feature
   *     and the version when a compiled constant disagrees with the recomputed one
   */
  public static FeatureGraph load() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return load(cl != null ? cl : FeatureGraph.class.getClassLoader());
  }

  /** {@link #load()} over the registries visible to {@code loader}. */
  public static FeatureGraph load(ClassLoader loader) {
    List<FeatureRegistry> registries = new ArrayList<>();
    ServiceLoader.load(FeatureRegistry.class, loader).forEach(registries::add);
    // ServiceLoader order follows the class path; sort so the graph's insertion order is stable.
    registries.sort((a, b) -> a.getClass().getName().compareTo(b.getClass().getName()));
    List<FeatureDefinition> all = new ArrayList<>();
    for (FeatureRegistry registry : registries) {
      all.addAll(registry.definitions());
    }
    FeatureGraph graph = of(all);
    for (FeatureRegistry registry : registries) {
      for (FeatureRegistry.CompiledVersions compiled : registry.compiledVersions()) {
        graph.checkCompiled(compiled);
      }
    }
    return graph;
  }

  /**
   * Checks versions compiled into a generated companion against this graph.
   *
   * @throws MetaxyException naming the feature, the version and both values when they differ, or when
   *     they cannot be recomputed (a missing upstream)
   */
  public void checkCompiled(FeatureRegistry.CompiledVersions compiled) {
    FeatureKey key = compiled.key();
    DefinitionVersions v;
    Map<String, String> actual = new LinkedHashMap<>();
    try {
      v = versions(Truncation.of(
          compiled.hashTruncationLength() == 0 ? null : compiled.hashTruncationLength()));
      actual.put("feature version", v.featureVersion(key));
      actual.put("feature code version", v.codeVersion(key));
      actual.put("feature spec version", v.specVersion(key));
      actual.put("definition version", v.definitionVersion(key));
      v.fieldVersions(key).forEach((f, fv) -> actual.put("version of field " + f, fv));
    } catch (MetaxyException e) {
      throw new MetaxyException(
          "cannot check the compiled versions of feature " + key + " (" + compiled.companionClass()
              + "): " + e.getMessage(),
          e);
    }
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("feature version", compiled.featureVersion());
    expected.put("feature code version", compiled.codeVersion());
    expected.put("feature spec version", compiled.specVersion());
    expected.put("definition version", compiled.definitionVersion());
    compiled.fieldVersions().forEach((f, fv) -> expected.put("version of field " + f, fv));
    for (Map.Entry<String, String> e : actual.entrySet()) {
      String was = expected.get(e.getKey());
      if (!e.getValue().equals(was)) {
        throw new MetaxyException("feature " + key + ": the " + e.getKey() + " compiled into "
            + compiled.companionClass() + " is " + was
            + " but the loaded graph gives " + e.getValue()
            + "; the class path mixes classes compiled against different feature definitions"
            + " (recompile the module that defines " + key + ")");
      }
    }
    if (!expected.keySet().equals(actual.keySet())) {
      throw new MetaxyException("feature " + key + ": the fields compiled into "
          + compiled.companionClass() + " (" + compiled.fieldVersions().keySet()
          + ") differ from the loaded graph's; recompile the module that defines " + key);
    }
  }

  /**
   * Every feature of every {@value GraphJson#RESOURCE} resource visible to {@code loader}, without
   * loading any user class.
   */
  public static FeatureGraph fromClasspath(ClassLoader loader) {
    List<FeatureDefinition> all = new ArrayList<>();
    try {
      Enumeration<URL> urls = loader.getResources(GraphJson.RESOURCE);
      List<URL> sorted = Collections.list(urls);
      sorted.sort((a, b) -> a.toString().compareTo(b.toString()));
      for (URL url : sorted) {
        try (InputStream in = url.openStream()) {
          all.addAll(GraphJson.read(
              new String(in.readAllBytes(), StandardCharsets.UTF_8), url.toString()));
        }
      }
    } catch (IOException e) {
      throw new MetaxyException(
          "cannot read " + GraphJson.RESOURCE + " resources: " + e.getMessage(), e);
    }
    return of(all);
  }

  /** A graph holding this graph's features plus {@code more} (which must not clash). */
  public FeatureGraph with(Collection<FeatureDefinition> more) {
    List<FeatureDefinition> all = new ArrayList<>(definitions.values());
    all.addAll(more);
    return of(all);
  }

  /** All definitions, in insertion order. */
  public Collection<FeatureDefinition> definitions() {
    return definitions.values();
  }

  /** All feature keys, in insertion order. */
  public Set<FeatureKey> keys() {
    return definitions.keySet();
  }

  /** Whether the graph has this feature. */
  public boolean contains(FeatureKey key) {
    return definitions.containsKey(key);
  }

  /** The definition of a feature, if present. */
  public Optional<FeatureDefinition> find(FeatureKey key) {
    return Optional.ofNullable(definitions.get(key));
  }

  /**
   * The definition of a feature.
   *
   * @throws MetaxyException naming the key when it is not in the graph (and, when the graph is empty,
   *     saying how to enable the annotation processor that generates the registries it is loaded from)
   */
  public FeatureDefinition definition(FeatureKey key) {
    FeatureDefinition d = definitions.get(key);
    if (d == null) {
      if (definitions.isEmpty()) {
        // The usual cause: FeatureGraph.load() found no generated registry because the processor
        // never ran.
        throw new MetaxyException(
            "feature " + key + " is not in the graph, which has no features at all. When the"
                + " graph comes from FeatureGraph.load(), no generated FeatureRegistry is on the class path: the Metaxy"
                + " annotation processor did not run when the @Feature records were compiled. "
                + FeatureCompanions.processorSetup());
      }
      throw new MetaxyException(
          "feature " + key + " is not in the graph (known: " + new TreeSet<>(keys()) + ")");
    }
    return d;
  }

  /** The spec of a feature. */
  public FeatureSpec spec(FeatureKey key) {
    return definition(key).spec();
  }

  /** The features a feature depends on directly. */
  public List<FeatureKey> upstream(FeatureKey key) {
    return spec(key).deps().stream().map(FeatureDep::feature).toList();
  }

  /** The features that depend directly on a feature, sorted. */
  public List<FeatureKey> downstream(FeatureKey key) {
    Set<FeatureKey> out = new TreeSet<>();
    for (FeatureDefinition d : definitions.values()) {
      for (FeatureDep dep : d.spec().deps()) {
        if (dep.feature().equals(key)) {
          out.add(d.spec().key());
        }
      }
    }
    return List.copyOf(out);
  }

  /** Features in dependency order (upstream first; ties by key). */
  public List<FeatureKey> topologicalOrder() {
    try {
      return Cycles.topologicalOrder(edges());
    } catch (IllegalStateException e) {
      throw new MetaxyException(e.getMessage(), e);
    }
  }

  /**
   * What is wrong with the graph: dependencies on features that are not in it, dependency cycles, and
   * fields whose parents cannot be resolved. Empty for a consistent graph.
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (FeatureDefinition d : definitions.values()) {
      for (FeatureDep dep : d.spec().deps()) {
        if (!definitions.containsKey(dep.feature())) {
          problems.add(
              "feature " + d.spec().key() + " depends on unknown feature " + dep.feature());
        }
      }
    }
    for (List<FeatureKey> cycle : Cycles.find(edges())) {
      problems.add("dependency cycle: "
          + String.join(" -> ", cycle.stream().map(FeatureKey::toString).toList()));
    }
    if (problems.isEmpty()) {
      DefinitionVersions v = versions(Truncation.DEFAULT);
      for (FeatureDefinition d : definitions.values()) {
        for (var f : d.spec().fields()) {
          try {
            v.parents(d.spec().key(), f.key());
          } catch (MetaxyException e) {
            problems.add(e.getMessage());
          }
        }
      }
    }
    return problems;
  }

  private Map<FeatureKey, List<FeatureKey>> edges() {
    Map<FeatureKey, List<FeatureKey>> edges = new LinkedHashMap<>();
    definitions.forEach(
        (k, d) -> edges.put(k, d.spec().deps().stream().map(FeatureDep::feature).toList()));
    return edges;
  }

  /** Definition-level versions under a truncation (memoized per truncation). */
  public DefinitionVersions versions(Truncation truncation) {
    return versions.computeIfAbsent(truncation, t -> new DefinitionVersions(this::find, t));
  }

  /** Definition-level versions under the default truncation (8). */
  public DefinitionVersions versions() {
    return versions(Truncation.DEFAULT);
  }

  /** The feature version under the default truncation. */
  public String featureVersion(FeatureKey key) {
    return versions().featureVersion(key);
  }

  /** The parents of a field, sorted by fully-qualified key. */
  public List<FieldRef> parents(FeatureKey feature, FieldKey field) {
    return versions().parents(feature, field);
  }

  /** The project version of {@code project} under a truncation. */
  public String projectVersion(String project, Truncation truncation) {
    return DefinitionVersions.projectVersion(definitions.values(), project, truncation);
  }

  /** The projects of the graph's features, sorted. */
  public Set<String> projects() {
    Set<String> out = new TreeSet<>();
    definitions.values().forEach(d -> out.add(d.project()));
    return out;
  }

  /** The class-free JSON of this graph. */
  public String toJson() {
    return GraphJson.write(List.copyOf(definitions.values()));
  }
}
