package io.metaxy.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An explicit field dependency: some (or all) fields of one upstream feature. The upstream must also be
 * declared as a {@link Dep} of the feature.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface On {
  /** The upstream feature record; or leave it and give {@link #key()}. */
  Class<?> feature() default void.class;

  /** The upstream feature key, for a feature defined outside this compilation. */
  String key() default "";

  /** Upstream field keys. Empty means every field of the upstream feature. */
  String[] fields() default {};
}
