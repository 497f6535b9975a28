package io.metaxy.processor.writing;

import java.util.List;
import java.util.Set;

/**
 * Writes the registry class of a compilation, which names every companion. The companions are named,
 * not referenced: the registry compiles without them, so it can be written in the same round as they
 * are (one annotation-processing round less, in which javac would enter every tree again), and
 * compiling it costs nothing per feature.
 */
public final class RegistryWriter {
  private RegistryWriter() {}

  /**
   * The registry's source.
   *
   * @param qualifiedName the registry class
   * @param companions the companions' binary names, sorted by feature key
   */
  public static String registry(
      String qualifiedName, List<String> companions, boolean generatedAnnotation) {
    int dot = qualifiedName.lastIndexOf('.');
    String pkg = dot < 0 ? "" : qualifiedName.substring(0, dot);
    String self = qualifiedName.substring(dot + 1);
    JavaSource src = new JavaSource(pkg, Set.of(self));
    StringBuilder b = new StringBuilder(128 + 48 * companions.size());
    b.append(JavaSource.javadoc(
        "",
        "The Metaxy features of this compilation, found by {@code FeatureGraph.load()} through\n"
            + "{@link java.util.ServiceLoader}: their companions, loaded when asked for."));
    CompanionWriter.generated(
        b, src, generatedAnnotation, "io.metaxy.processor.FeatureGraphProcessor");
    b.append("public final class ")
        .append(self)
        .append(" extends ")
        .append(src.type("io.metaxy.internal.GeneratedRegistry"))
        .append(" {\n");
    b.append(JavaSource.javadoc("  ", "Called by {@link java.util.ServiceLoader}."));
    b.append("  public ")
        .append(self)
        .append("() {\n    super(")
        .append(src.type("java.lang.invoke.MethodHandles"))
        .append(".lookup()");
    for (String c : companions) {
      b.append(",\n        ").append(JavaSource.literal(c));
    }
    b.append(");\n  }\n}\n");
    return src.file(b);
  }
}
