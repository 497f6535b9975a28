package io.metaxy.internal;

import io.metaxy.MetaxyException;
import io.metaxy.graph.FeatureRegistry;
import io.metaxy.spec.FeatureDefinition;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry the processor generates for a compilation: it names the compilation's companions and
 * reads their {@code DEFINITION} and {@code COMPILED_VERSIONS} when asked. Naming them instead of
 * referencing them lets the processor write the registry in the round it writes the companions, and
 * keeps its compilation cost independent of the number of features. For generated code only.
 */
public abstract class GeneratedRegistry implements FeatureRegistry {
  private final MethodHandles.Lookup lookup;
  private final List<String> companions;

  /**
   * @param lookup the generated registry's lookup: it reads the companions' constants with the access of
   *     the compilation that generated them (named modules need not open their packages)
   * @param companions the companions' binary names, in feature key order
   */
  protected GeneratedRegistry(MethodHandles.Lookup lookup, String... companions) {
    this.lookup = lookup;
    this.companions = List.of(companions);
  }

  @Override
  public final List<FeatureDefinition> definitions() {
    List<FeatureDefinition> out = new ArrayList<>();
    for (String c : companions) {
      out.add(constant(c, "DEFINITION", FeatureDefinition.class));
    }
    return out;
  }

  @Override
  public final List<CompiledVersions> compiledVersions() {
    List<CompiledVersions> out = new ArrayList<>();
    for (String c : companions) {
      out.add(constant(c, "COMPILED_VERSIONS", CompiledVersions.class));
    }
    return out;
  }

  private <T> T constant(String companion, String name, Class<T> type) {
    Class<?> c;
    try {
      c = Class.forName(companion, true, lookup.lookupClass().getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      Throwable why =
          e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
      throw new MetaxyException(
          "the feature registry " + getClass().getName() + " names " + companion
              + ", which cannot be loaded: " + why,
          why);
    }
    try {
      return type.cast(lookup.findStaticGetter(c, name, type).invoke());
    } catch (MetaxyException e) {
      throw e;
    } catch (Throwable e) {
      throw new MetaxyException(
          "cannot read " + companion + "." + name + " (named by the feature registry "
              + getClass().getName() + "): " + e,
          e);
    }
  }
}
