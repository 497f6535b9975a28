package io.metaxy.processor.validation;

import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import org.jspecify.annotations.Nullable;

/**
 * The {@code @Feature} record being read, handed to each reader instead of a list of parameters: what
 * it reads, and where its diagnostics go.
 *
 * @param type the record
 * @param feature its {@code @Feature}
 * @param elements javac's element utilities (nested annotations are read through them)
 * @param report the record's diagnostics, in the order found
 */
record FeatureContext(TypeElement type, Ann feature, Elements elements, Report report) {
  /** The record's simple name, as messages show it. */
  String name() {
    return type.getSimpleName().toString();
  }

  /** Reports a problem of one of the record's annotations, on the value at fault when there is one. */
  void error(
      Diagnostic diagnostic,
      @Nullable Ann annotation,
      @Nullable AnnotationValue value,
      @Nullable Object... args) {
    report.error(diagnostic, type, annotation, value, args);
  }
}
