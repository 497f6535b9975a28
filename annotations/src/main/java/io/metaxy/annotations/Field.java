package io.metaxy.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A logical field of a feature: a part of the sample that is versioned on its own (audio, frames, a
 * caption...). A feature without any {@code @Field} has the single field {@code default}.
 *
 * <p>Which upstream fields this field depends on is decided, in order: {@link #dependsOnAll()} (every
 * field of every upstream feature), then {@link #dependsOn()} when non-empty (exactly those), and
 * otherwise the automatic {@link Dep#mapping() mapping} of each {@link Dep}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(Fields.class)
public @interface Field {
  /** The value Metaxy uses when no code version is given. */
  String INITIAL_CODE_VERSION = "__metaxy_initial__";

  /** The field key, parts separated by {@code /} (e.g. {@code audio/french}). */
  String key();

  /** Version of the code that computes this field; change it to invalidate the field downstream. */
  String codeVersion() default INITIAL_CODE_VERSION;

  /** Explicit upstream fields. Empty means "use the automatic mapping of each {@link Dep}". */
  On[] dependsOn() default {};

  /** When true, the field depends on every field of every upstream feature. */
  boolean dependsOnAll() default false;
}
