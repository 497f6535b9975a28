package io.metaxy.processor.validation;

import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;
import org.jspecify.annotations.Nullable;

/**
 * The diagnostics a validation step found, each attached to the most precise location known (element,
 * then annotation, then annotation value). Validators return reports; the processor prints them once.
 */
public final class Report {
  /**
   * One diagnostic.
   *
   * @param message the full message, with its ID
   * @param element the element at fault, or {@code null} for a global problem (processor options)
   * @param annotation the annotation at fault, or {@code null}
   * @param value the annotation value at fault, or {@code null}
   */
  public record Item(
      String message,
      @Nullable Element element,
      @Nullable Ann annotation,
      @Nullable AnnotationValue value) {}

  private final List<Item> items = new ArrayList<>();

  /** Adds an error. */
  public void error(
      Diagnostic d,
      @Nullable Element e,
      @Nullable Ann a,
      @Nullable AnnotationValue v,
      @Nullable Object... args) {
    items.add(new Item(d.format(args), e, a, v));
  }

  /** Adds every item of another report. */
  public void addAll(Report other) {
    items.addAll(other.items);
  }

  /** Whether nothing was found. */
  public boolean isClean() {
    return items.isEmpty();
  }

  /** The items, in the order found. */
  public List<Item> items() {
    return List.copyOf(items);
  }

  /**
   * Prints every item as an error.
   *
   * @param positions locates annotations javac cannot (inside repeatable containers), or {@code null}
   */
  public void printTo(Messager messager, @Nullable SourcePositions positions) {
    for (Item i : items) {
      if (positions != null
          && i.annotation() != null
          && i.annotation().inContainer()
          && positions.print(i.message(), i.element(), i.annotation(), i.value())) {
        continue;
      }
      if (i.element() == null) {
        messager.printMessage(Kind.ERROR, i.message());
      } else if (i.annotation() == null) {
        messager.printMessage(Kind.ERROR, i.message(), i.element());
      } else if (i.value() == null) {
        messager.printMessage(
            Kind.ERROR, i.message(), i.element(), i.annotation().mirror());
      } else {
        messager.printMessage(
            Kind.ERROR, i.message(), i.element(), i.annotation().mirror(), i.value());
      }
    }
  }
}
