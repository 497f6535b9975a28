package io.metaxy.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The automatic field mapping of a {@link Dep}: which upstream fields a downstream field depends on when
 * it declares no explicit {@code dependsOn}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Mapping {
  /** The kind of mapping. */
  MappingType type() default MappingType.DEFAULT;

  /** For {@link MappingType#DEFAULT}: also match upstream keys that end with the field's key parts. */
  boolean matchSuffix() default false;

  /** For {@link MappingType#DEFAULT}: upstream fields that are never mapped. */
  String[] excludeFields() default {};

  /** For {@link MappingType#SPECIFIC}: the upstream fields of each downstream field. */
  MapField[] specific() default {};
}
