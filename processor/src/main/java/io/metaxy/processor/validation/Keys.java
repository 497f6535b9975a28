package io.metaxy.processor.validation;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.KeyParts;
import javax.lang.model.element.AnnotationValue;
import org.jspecify.annotations.Nullable;

/** Reads feature and field keys, reporting a key that breaks the key syntax on the value that spells it. */
final class Keys {
  private Keys() {}

  /** The feature key of an annotation member, or {@code null} when it is invalid (reported). */
  static @Nullable FeatureKey featureKey(FeatureContext ctx, Ann ann, String member) {
    String key = ann.string(member);
    String problem = problem(key);
    if (problem != null) {
      ctx.error(Diagnostic.INVALID_FEATURE_KEY, ann, ann.value(member), key, problem);
      return null;
    }
    return FeatureKey.of(key);
  }

  /** The field key of an annotation value, or {@code null} when it is invalid (reported). */
  static @Nullable FieldKey fieldKey(FeatureContext ctx, Ann ann, AnnotationValue value) {
    String key = String.valueOf(value.getValue());
    String problem = problem(key);
    if (problem != null) {
      ctx.error(Diagnostic.INVALID_FIELD_KEY, ann, value, key, problem);
      return null;
    }
    return FieldKey.of(key);
  }

  /** Whether a key is valid; for keys whose problems are reported elsewhere (by their own feature). */
  static boolean isValid(String key) {
    return problem(key) == null;
  }

  private static @Nullable String problem(String key) {
    return KeyParts.problem(KeyParts.split(key));
  }
}
