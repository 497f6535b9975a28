package io.metaxy.processor.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.util.List;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.lang.model.util.Elements;

/**
 * The single place that writes generated sources: it adds {@code @Generated} (when the target has it),
 * the originating elements (which Gradle's incremental compilation tracks) and skips
 * {@code java.lang} imports. Output carries no timestamp or environment data, so the same input gives
 * the same bytes.
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

  /** Builds the file: marks the type and adds the originating elements. */
  public JavaFile file(
      String packageName,
      TypeSpec.Builder type,
      Class<?> processor,
      List<? extends Element> originating) {
    if (generatedAvailable) {
      type.addAnnotation(
          AnnotationSpec.builder(ClassName.get("javax.annotation.processing", "Generated"))
              .addMember("value", "$S", processor.getName())
              .addMember("comments", "$S", DOCS)
              .build());
    }
    originating.forEach(type::addOriginatingElement);
    return JavaFile.builder(packageName, type.build())
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
  }

  /** Writes a file through the filer. */
  public void write(JavaFile file) throws IOException {
    file.writeTo(filer);
  }
}
