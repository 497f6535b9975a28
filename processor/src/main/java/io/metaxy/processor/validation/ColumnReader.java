package io.metaxy.processor.validation;

import io.metaxy.SystemColumns;
import io.metaxy.internal.ColumnDef;
import io.metaxy.internal.ColumnType;
import io.metaxy.processor.model.FeatureModels;
import io.metaxy.processor.model.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import org.jspecify.annotations.Nullable;

/** Reads a feature record's components as its columns. */
final class ColumnReader {
  private ColumnReader() {}

  /**
   * The columns of a record.
   *
   * @param columns the components that are valid columns, in component order
   * @param unresolved names of component types that did not resolve
   */
  record Columns(List<FeatureModels.Column> columns, Set<String> unresolved) {}

  static Columns read(FeatureContext ctx) {
    List<FeatureModels.Column> columns = new ArrayList<>();
    Set<String> unresolved = new TreeSet<>();
    Map<String, String> componentByColumn = new HashMap<>();
    for (RecordComponentElement rc : ctx.type().getRecordComponents()) {
      if (rc.asType().getKind() == TypeKind.ERROR) {
        unresolved.add(rc.asType().toString());
        continue;
      }
      Element at = componentElement(ctx.type(), rc);
      Optional<Ann> annotation = Ann.find(rc, Ann.COLUMN, ctx.elements());
      FeatureModels.Column column = column(ctx, rc, at, annotation.orElse(null));
      if (column == null) {
        continue;
      }
      String previous = componentByColumn.putIfAbsent(column.def().name(), column.component());
      if (previous != null) {
        ctx.report()
            .error(
                Diagnostic.DUPLICATE_COLUMN,
                at,
                annotation.orElse(null),
                null,
                previous,
                column.component(),
                ctx.name(),
                column.def().name());
        continue;
      }
      columns.add(column);
    }
    return new Columns(List.copyOf(columns), unresolved);
  }

  /**
   * One component as a column, or {@code null} when it cannot be one (reported).
   *
   * @param at where to report
   * @param annotation its {@code @Column}, or {@code null}
   */
  private static FeatureModels.@Nullable Column column(
      FeatureContext ctx, RecordComponentElement rc, Element at, @Nullable Ann annotation) {
    TypeMirror t = rc.asType();
    String component = rc.getSimpleName().toString();
    String typeName = typeName(t);
    ColumnType type = ColumnType.ofJavaType(typeName);
    boolean nullable = isNullable(rc, t);
    if (type == null) {
      ctx.report()
          .error(
              Diagnostic.UNSUPPORTED_TYPE,
              at,
              null,
              null,
              component,
              ctx.name(),
              typeName,
              String.join(", ", ColumnType.supportedJavaTypes()));
      return null;
    }
    if (nullable && t.getKind().isPrimitive()) {
      ctx.report()
          .error(Diagnostic.NULLABLE_PRIMITIVE, at, null, null, component, ctx.name(), typeName);
      return null;
    }
    String name = annotation != null ? annotation.string("value") : Names.snakeCase(component);
    AnnotationValue nameValue = annotation != null ? annotation.value("value") : null;
    if (name.isBlank()) {
      ctx.report()
          .error(Diagnostic.INVALID_COLUMN_NAME, at, annotation, nameValue, component, ctx.name());
      return null;
    }
    if (name.startsWith(SystemColumns.PREFIX)) {
      ctx.report().error(Diagnostic.RESERVED_COLUMN, at, annotation, nameValue, name, ctx.name());
      return null;
    }
    String description = annotation != null ? annotation.string("description") : "";
    return new FeatureModels.Column(
        component,
        javaSource(t),
        new ColumnDef(name, type, nullable, description.isEmpty() ? null : description));
  }

  /**
   * The element to report a component problem on: the record's private field, which javac maps to
   * the component in the record header (a component element itself may have no source position).
   */
  private static Element componentElement(TypeElement type, RecordComponentElement rc) {
    for (VariableElement f : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (f.getSimpleName().equals(rc.getSimpleName())) {
        return f;
      }
    }
    return rc;
  }

  /** The erased-annotation type name ColumnType matches on, e.g. {@code java.util.List<java.lang.String>}. */
  private static String typeName(TypeMirror t) {
    if (t.getKind().isPrimitive()) {
      return t.getKind().name().toLowerCase(Locale.ROOT);
    }
    if (t instanceof ArrayType a) {
      return typeName(a.getComponentType()) + "[]";
    }
    if (t instanceof DeclaredType d) {
      String base = ((TypeElement) d.asElement()).getQualifiedName().toString();
      if (d.getTypeArguments().isEmpty()) {
        return base;
      }
      List<String> args = new ArrayList<>();
      d.getTypeArguments().forEach(a -> args.add(typeName(a)));
      return base + "<" + String.join(",", args) + ">";
    }
    return t.toString();
  }

  /** The type as it is written in generated source (no type annotations). */
  private static String javaSource(TypeMirror t) {
    return typeName(t).replace(",", ", ");
  }

  /** Any annotation named {@code Nullable} (JSpecify, JSR-305, Checker, ...) makes a column optional. */
  private static boolean isNullable(RecordComponentElement rc, TypeMirror t) {
    List<AnnotationMirror> all = new ArrayList<>(rc.getAnnotationMirrors());
    all.addAll(t.getAnnotationMirrors());
    if (rc.getAccessor() != null) {
      all.addAll(rc.getAccessor().getAnnotationMirrors());
      all.addAll(rc.getAccessor().getReturnType().getAnnotationMirrors());
    }
    for (AnnotationMirror m : all) {
      if (m.getAnnotationType().asElement().getSimpleName().contentEquals("Nullable")) {
        return true;
      }
    }
    return false;
  }
}
