package io.metaxy.processor.validation;

import io.metaxy.FeatureKey;
import java.util.Objects;
import java.util.Optional;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import org.jspecify.annotations.Nullable;

/**
 * The upstream a {@code @Dep} or {@code @On} names: by class or by {@code key}, exactly one of them.
 */
sealed interface UpstreamTarget {
  /**
   * An upstream feature.
   *
   * @param key its key, or {@code null} when it is named by a class whose own {@code @Feature} key is
   *     invalid: that class reports its key, and the feature naming it cannot be built
   * @param type its record when named by class, {@code null} when named by key
   */
  record Upstream(@Nullable FeatureKey key, @Nullable TypeElement type) implements UpstreamTarget {
    /** Whether the upstream's own invalid key keeps the feature from being built. */
    boolean blocked() {
      return key == null;
    }

    /** How messages name it: its key, or its class when the key is invalid. */
    String shown() {
      // Without a key it was named by class, so the type is there.
      return key != null
          ? key.toString()
          : Objects.requireNonNull(type).getSimpleName().toString();
    }
  }

  /**
   * A class javac has not resolved (yet): the feature waits for it, since another processor may
   * generate it.
   *
   * @param type the type's name as javac shows it
   */
  record Unresolved(String type) implements UpstreamTarget {}

  /** A mistake in the annotation, already reported. */
  record Invalid() implements UpstreamTarget {}

  /**
   * Reads the upstream of a {@code @Dep} or {@code @On}.
   *
   * @param classMember the member that names the upstream by class ({@code value} or {@code feature})
   */
  static UpstreamTarget read(FeatureContext ctx, Ann ann, String classMember) {
    TypeMirror cls = ann.type(classMember);
    if (cls == null || cls.getKind() == TypeKind.ERROR) {
      return new Unresolved(cls == null ? String.valueOf(ann.value(classMember)) : cls.toString());
    }
    boolean hasClass = cls.getKind() != TypeKind.VOID;
    boolean hasKey = !ann.string("key").isEmpty();
    if (hasClass == hasKey) {
      String annotation = "@" + ann.typeName().substring(ann.typeName().lastIndexOf('.') + 1);
      ctx.error(
          hasClass ? Diagnostic.DEP_TARGET_BOTH : Diagnostic.DEP_TARGET_NEITHER,
          ann,
          null,
          annotation,
          ctx.name());
      return new Invalid();
    }
    if (hasKey) {
      FeatureKey key = Keys.featureKey(ctx, ann, "key");
      return key == null ? new Invalid() : new Upstream(key, null);
    }
    if (!(cls instanceof DeclaredType declared)) {
      ctx.error(Diagnostic.UPSTREAM_NOT_A_FEATURE, ann, ann.value(classMember), ctx.name(), cls);
      return new Invalid();
    }
    TypeElement upstream = (TypeElement) declared.asElement();
    Optional<Ann> feature = Ann.find(upstream, Ann.FEATURE, ctx.elements());
    if (feature.isEmpty()) {
      ctx.error(
          Diagnostic.UPSTREAM_NOT_A_FEATURE,
          ann,
          ann.value(classMember),
          ctx.name(),
          upstream.getQualifiedName());
      return new Invalid();
    }
    String key = feature.get().string("key");
    return new Upstream(Keys.isValid(key) ? FeatureKey.of(key) : null, upstream);
  }
}
