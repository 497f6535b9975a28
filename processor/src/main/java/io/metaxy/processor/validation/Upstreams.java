package io.metaxy.processor.validation;

import io.metaxy.FeatureKey;
import io.metaxy.spec.FeatureDefinition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import org.jspecify.annotations.Nullable;

/**
 * Finds the upstream definitions of a feature, transitively: upstream records named by class are read
 * from their annotations (in this compilation or compiled class files); upstreams named by key are
 * looked up among the features of this compilation, then in the {@code META-INF/metaxy/graph.json}
 * resource of the class path. One instance per round: it caches declarations, which hold elements.
 */
public final class Upstreams {
  private final Elements elements;
  private final FeatureReader reader;
  private final Set<String> compilationFeatures;
  private final Supplier<Map<FeatureKey, FeatureDefinition>> classpathSupplier;
  private final Map<String, Declaration> cache = new HashMap<>();
  // Both built on first use: a graph whose upstreams are all named by class never looks at other
  // records or class path resources, which keeps FeatureProcessor truly isolating for Gradle.
  private @Nullable Map<FeatureKey, String> compilationKeys;
  private @Nullable Map<FeatureKey, FeatureDefinition> classpath;

  /**
   * The transitive upstream of a feature.
   *
   * @param upstream upstream key → definition, for every feature the versions need
   * @param report problems of the feature itself (an upstream key found nowhere)
   * @param unresolved undefined types met on the way (the feature must be deferred)
   * @param blocked whether an upstream is invalid or part of a cycle; its own error (or the graph
   *     processor's cycle error) explains it, so the feature is skipped silently
   * @param byKey records of this compilation that were found through a key ({@code @Dep(key = ...)})
   *     anywhere upstream, by qualified name: the companion depends on them, but nothing in the
   *     record's class file names them, so they are originating elements of the companion too
   */
  public record Resolution(
      Map<FeatureKey, FeatureDefinition> upstream,
      Report report,
      Set<String> unresolved,
      boolean blocked,
      Map<String, TypeElement> byKey) {}

  /**
   * @param elements javac's element utilities
   * @param reader reads feature records
   * @param compilationFeatures qualified names of every {@code @Feature} record of this compilation
   * @param classpath reads the definitions of the class path's graph resource (called at most once)
   */
  public Upstreams(
      Elements elements,
      FeatureReader reader,
      Set<String> compilationFeatures,
      Supplier<Map<FeatureKey, FeatureDefinition>> classpath) {
    this.elements = elements;
    this.reader = reader;
    this.compilationFeatures = compilationFeatures;
    this.classpathSupplier = classpath;
  }

  private @Nullable String compilationFeature(FeatureKey key) {
    Map<FeatureKey, String> keys = compilationKeys;
    if (keys == null) {
      Map<FeatureKey, String> found = new HashMap<>();
      // Sorted, so that with duplicate keys (reported by the graph processor) the choice is stable.
      for (String name : new TreeSet<>(compilationFeatures)) {
        TypeElement t = elements.getTypeElement(name);
        if (t == null) {
          continue;
        }
        Ann.find(t, Ann.FEATURE, elements)
            .map(a -> a.string("key"))
            .filter(Keys::isValid)
            .ifPresent(k -> found.putIfAbsent(FeatureKey.of(k), name));
      }
      keys = found;
      compilationKeys = found;
    }
    return keys.get(key);
  }

  private @Nullable FeatureDefinition classpathFeature(FeatureKey key) {
    if (classpath == null) {
      classpath = classpathSupplier.get();
    }
    return classpath.get(key);
  }

  /** The (cached) declaration of a feature record. */
  public Declaration declaration(TypeElement type) {
    return cache.computeIfAbsent(type.getQualifiedName().toString(), n -> reader.read(type));
  }

  /** Resolves the transitive upstream of a valid declaration. */
  public Resolution resolve(Declaration d) {
    Map<FeatureKey, FeatureDefinition> out = new LinkedHashMap<>();
    Report report = new Report();
    Set<String> unresolved = new TreeSet<>();
    Set<FeatureKey> onPath = new HashSet<>();
    onPath.add(d.key());
    Map<String, TypeElement> byKey = new TreeMap<>();
    boolean blocked = !visit(d, true, out, report, unresolved, onPath, byKey);
    return new Resolution(out, report, unresolved, blocked, byKey);
  }

  /** Returns false when blocked. */
  private boolean visit(
      Declaration d,
      boolean root,
      Map<FeatureKey, FeatureDefinition> out,
      Report report,
      Set<String> unresolved,
      Set<FeatureKey> onPath,
      Map<String, TypeElement> byKey) {
    boolean ok = true;
    for (Declaration.DepDecl dep : d.deps()) {
      FeatureKey key = dep.upstream();
      if (key == null || out.containsKey(key)) {
        continue;
      }
      if (onPath.contains(key)) {
        ok = false; // a cycle: the graph processor reports it
        continue;
      }
      TypeElement type = dep.upstreamType();
      if (type == null) {
        String name = compilationFeature(key);
        type = name == null ? null : elements.getTypeElement(name);
        if (type != null) {
          byKey.put(name, type);
        }
      }
      if (type == null) {
        Optional<FeatureDefinition> cp = Optional.ofNullable(classpathFeature(key));
        if (cp.isPresent()) {
          out.put(key, cp.get());
          ok &= visitClasspath(cp.get(), out, onPath);
        } else if (root) {
          report.error(
              Diagnostic.UPSTREAM_KEY_NOT_FOUND,
              d.type(),
              dep.ann(),
              dep.ann().explicitValue("key"),
              d.type().getSimpleName(),
              key);
          ok = false;
        } else {
          ok = false;
        }
        continue;
      }
      Declaration up = declaration(type);
      unresolved.addAll(up.unresolved());
      if (up.model() == null) {
        ok = false;
        continue;
      }
      onPath.add(key);
      ok &= visit(up, false, out, report, unresolved, onPath, byKey);
      onPath.remove(key);
      out.put(key, up.model().definition());
    }
    return ok;
  }

  /** Adds the upstream of a class-path definition, also from the class path. */
  private boolean visitClasspath(
      FeatureDefinition def, Map<FeatureKey, FeatureDefinition> out, Set<FeatureKey> onPath) {
    boolean ok = true;
    for (var dep : def.spec().deps()) {
      FeatureDefinition up = classpathFeature(dep.feature());
      if (up == null || onPath.contains(dep.feature())) {
        // Missing upstream of an external graph: versions will fail and say which feature is
        // missing.
        continue;
      }
      if (out.putIfAbsent(dep.feature(), up) == null) {
        onPath.add(dep.feature());
        ok &= visitClasspath(up, out, onPath);
        onPath.remove(dep.feature());
      }
    }
    return ok;
  }
}
