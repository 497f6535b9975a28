package io.metaxy.processor.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import org.jspecify.annotations.Nullable;

/**
 * A typed reader over one annotation mirror (values with defaults filled in). The processor reads the
 * Metaxy annotations only through this class, never through reflection: class-valued members
 * ({@code @Dep(Video.class)}) would throw {@code MirroredTypeException}, and reflection loses the
 * positions that diagnostics attach to.
 */
public final class Ann {
  /** Qualified names of the Metaxy annotations. */
  public static final String FEATURE = "io.metaxy.annotations.Feature";

  static final String FIELD = "io.metaxy.annotations.Field";
  static final String FIELDS = "io.metaxy.annotations.Fields";
  static final String DEP = "io.metaxy.annotations.Dep";
  static final String DEPS = "io.metaxy.annotations.Deps";
  static final String META = "io.metaxy.annotations.Meta";
  static final String COLUMN = "io.metaxy.annotations.Column";

  /**
   * javac leaves the defaults of an annotation type that is reached only through another annotation's
   * default (here {@code @Mapping}, via {@code Dep.mapping()}) as unresolved proxies whose
   * {@code getValue()} throws. Every array default of such a type in {@code io.metaxy.annotations} is
   * {@code {}}; its enum defaults are listed here.
   */
  private static final Map<String, String> UNRESOLVED_ENUM_DEFAULTS =
      Map.of("io.metaxy.annotations.Mapping.type", "DEFAULT");

  private final AnnotationMirror mirror;
  private final Map<String, AnnotationValue> values = new LinkedHashMap<>();
  /** Where this annotation sits in the source, for {@link SourcePositions}; see there. */
  private final @Nullable Ann parent;

  private final @Nullable String memberInParent;
  private final int index;
  private final boolean inContainer;

  private Ann(AnnotationMirror mirror, Elements elements) {
    this(mirror, elements, null, null, -1, false);
  }

  private Ann(
      AnnotationMirror mirror,
      Elements elements,
      @Nullable Ann parent,
      @Nullable String memberInParent,
      int index,
      boolean inContainer) {
    this.mirror = mirror;
    this.parent = parent;
    this.memberInParent = memberInParent;
    this.index = index;
    this.inContainer = inContainer || (parent != null && parent.inContainer);
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
        elements.getElementValuesWithDefaults(mirror).entrySet()) {
      values.put(e.getKey().getSimpleName().toString(), e.getValue());
    }
  }

  /** Reads a mirror. */
  static Ann of(AnnotationMirror mirror, Elements elements) {
    return new Ann(mirror, elements);
  }

  /** The annotation of this type on an element, if present. */
  static Optional<Ann> find(Element element, String type, Elements elements) {
    for (AnnotationMirror m : element.getAnnotationMirrors()) {
      if (nameOf(m).equals(type)) {
        return Optional.of(new Ann(m, elements));
      }
    }
    return Optional.empty();
  }

  /** Every occurrence of a repeatable annotation, direct or inside its container, in source order. */
  static List<Ann> findRepeated(Element element, String type, String container, Elements elements) {
    List<Ann> out = new ArrayList<>();
    for (AnnotationMirror m : element.getAnnotationMirrors()) {
      String name = nameOf(m);
      if (name.equals(type)) {
        out.add(new Ann(m, elements));
      } else if (name.equals(container)) {
        // javac synthesizes the container, so it cannot map these mirrors back to source; remember
        // the position among the repeated annotations instead.
        List<AnnotationValue> repeated = new Ann(m, elements).list("value");
        for (int i = 0; i < repeated.size(); i++) {
          out.add(new Ann(
              (AnnotationMirror) repeated.get(i).getValue(), elements, null, null, i, true));
        }
      }
    }
    return out;
  }

  private static String nameOf(AnnotationMirror m) {
    return ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().toString();
  }

  /** The mirror, for diagnostics. */
  public AnnotationMirror mirror() {
    return mirror;
  }

  /** The value of a member (explicit or default), for diagnostics. */
  AnnotationValue value(String member) {
    AnnotationValue v = values.get(member);
    if (v == null) {
      throw new IllegalArgumentException("no member " + member + " in " + mirror);
    }
    return v;
  }

  String string(String member) {
    return (String) value(member).getValue();
  }

  boolean bool(String member) {
    return (Boolean) value(member).getValue();
  }

  /** The name of an enum constant value. */
  String enumName(String member) {
    Object v = rawValue(member);
    if (v == null) {
      // Only the defaults of the types described at UNRESOLVED_ENUM_DEFAULTS are unresolved, and it
      // lists them all.
      String key = nameOf(mirror) + "." + member;
      return Objects.requireNonNull(UNRESOLVED_ENUM_DEFAULTS.get(key), key);
    }
    return v instanceof VariableElement ve ? ve.getSimpleName().toString() : String.valueOf(v);
  }

  /** The elements of an array value. */
  @SuppressWarnings("unchecked")
  List<AnnotationValue> list(String member) {
    Object v = rawValue(member);
    if (v == null) {
      return List.of();
    }
    return v instanceof List<?> l ? (List<AnnotationValue>) l : List.of(value(member));
  }

  List<String> strings(String member) {
    List<String> out = new ArrayList<>();
    list(member).forEach(v -> out.add(String.valueOf(v.getValue())));
    return out;
  }

  /**
   * A class value; {@code null} when it cannot be resolved (javac then gives a string such as
   * {@code "<error>"} instead of a type).
   */
  @Nullable
  TypeMirror type(String member) {
    Object v = value(member).getValue();
    return v instanceof TypeMirror t ? t : null;
  }

  /** The value, or {@code null} for an unresolved default (see {@link #UNRESOLVED_ENUM_DEFAULTS}). */
  private @Nullable Object rawValue(String member) {
    try {
      return value(member).getValue();
    } catch (UnsupportedOperationException e) {
      if (isExplicit(member)) {
        throw e;
      }
      return null;
    }
  }

  /** The nested annotations of an annotation-array member. */
  List<Ann> annotations(String member, Elements elements) {
    List<Ann> out = new ArrayList<>();
    List<AnnotationValue> list = list(member);
    for (int i = 0; i < list.size(); i++) {
      out.add(new Ann((AnnotationMirror) list.get(i).getValue(), elements, this, member, i, false));
    }
    return out;
  }

  /** A nested annotation member. */
  Ann annotation(String member, Elements elements) {
    return new Ann((AnnotationMirror) value(member).getValue(), elements, this, member, -1, false);
  }

  /** The qualified name of the annotation type. */
  String typeName() {
    return nameOf(mirror);
  }

  /** Whether javac cannot locate this mirror itself (it sits inside a synthesized container). */
  boolean inContainer() {
    return inContainer;
  }

  /** The enclosing annotation when this one is a member value, else {@code null}. */
  @Nullable
  Ann parent() {
    return parent;
  }

  /** The member of {@link #parent()} holding this annotation. */
  @Nullable
  String memberInParent() {
    return memberInParent;
  }

  /** The index among repeated annotations or in the parent's array member; -1 when not in an array. */
  int index() {
    return index;
  }

  /**
   * The member and array index of a value of this annotation ({@code index} -1 for a non-array
   * member), or {@code null} when the value is not one of this annotation's.
   */
  Map.@Nullable Entry<String, Integer> locate(AnnotationValue value) {
    for (Map.Entry<String, AnnotationValue> e : values.entrySet()) {
      if (e.getValue() == value) {
        return Map.entry(e.getKey(), -1);
      }
      Object raw;
      try {
        raw = e.getValue().getValue();
      } catch (UnsupportedOperationException ex) {
        continue;
      }
      if (raw instanceof List<?> l) {
        for (int i = 0; i < l.size(); i++) {
          if (l.get(i) == value) {
            return Map.entry(e.getKey(), i);
          }
        }
      }
    }
    return null;
  }

  /** Whether a member was written in the source (rather than defaulted). */
  boolean isExplicit(String member) {
    for (ExecutableElement e : mirror.getElementValues().keySet()) {
      if (e.getSimpleName().contentEquals(member)) {
        return true;
      }
    }
    return false;
  }

  /** The explicit value of a member when given, else {@code null} (diagnostics then fall back to the annotation). */
  @Nullable
  AnnotationValue explicitValue(String member) {
    return isExplicit(member) ? value(member) : null;
  }
}
