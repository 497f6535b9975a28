package io.metaxy.processor.writing;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.lang.model.util.Elements;
import javax.tools.JavaFileObject;

/**
 * The single place that writes generated sources: through the filer, with the originating elements
 * (which Gradle's incremental compilation tracks). The writers add {@code @Generated} when the target
 * has it ({@link #generatedAnnotation()}). Output carries no timestamp or environment data, so the same
 * input gives the same bytes.
 */
public final class SourceFileGenerator {
  /** Names the documentation of the generated code in {@code @Generated(comments)}. */
  static final String DOCS = "Metaxy for Java; see docs/processor.md";

  private final Filer filer;
  private final boolean generatedAvailable;

  /**
   * @param filer the filer
   * @param elements used to find whether {@code javax.annotation.processing.Generated} exists
   */
  public SourceFileGenerator(Filer filer, Elements elements) {
    this.filer = filer;
    this.generatedAvailable =
        elements.getTypeElement("javax.annotation.processing.Generated") != null;
  }

  /** Whether the generated types can carry {@code @javax.annotation.processing.Generated}. */
  public boolean generatedAnnotation() {
    return generatedAvailable;
  }

  /** Writes the source of a top-level type through the filer. */
  public void write(String qualifiedName, String source, List<? extends Element> originating)
      throws IOException {
    JavaFileObject file =
        filer.createSourceFile(qualifiedName, originating.toArray(Element[]::new));
    try (Writer w = file.openWriter()) {
      w.write(source);
    }
  }
}
