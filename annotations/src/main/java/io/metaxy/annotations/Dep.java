package io.metaxy.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A dependency of the annotated feature on an upstream feature: how its rows are joined, which columns
 * are brought in, and how the downstream fields map to the upstream fields by default.
 *
 * <p>Only {@link #mapping()} and the fields' {@code dependsOn} change field and feature versions; the
 * other options change the spec version and how samples are joined.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(Deps.class)
public @interface Dep {
  /** The upstream feature record; or leave it and give {@link #key()}. */
  Class<?> value() default void.class;

  /** The upstream feature key, for a feature defined outside this compilation. */
  String key() default "";

  /** How upstream rows relate to downstream rows. */
  Lineage lineage() default Lineage.IDENTITY;

  /**
   * The columns the lineage groups or expands on ({@link Lineage#AGGREGATION}: empty means the
   * downstream id columns; {@link Lineage#EXPANSION}: required). Must be empty for identity.
   */
  String[] on() default {};

  /** For {@link Lineage#EXPANSION}: an optional pattern describing how child ids are generated. */
  String idGenerationPattern() default "";

  /** When true, samples are kept even if this upstream has no row for them (left/outer join). */
  boolean optional() default false;

  /** Upstream columns to rename before joining. */
  Rename[] rename() default {};

  /** Upstream user columns to bring in; {@code "*"} (the default) means all of them. */
  String[] select() default {"*"};

  /** SQL-like filters applied to upstream rows, e.g. {@code "duration > 10 AND lang = 'en'"}. */
  String[] filters() default {};

  /** How downstream fields without explicit {@code dependsOn} map to this upstream's fields. */
  Mapping mapping() default @Mapping;
}
