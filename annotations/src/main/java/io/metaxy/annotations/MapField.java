package io.metaxy.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** One entry of a {@link MappingType#SPECIFIC} mapping: a downstream field and its upstream fields. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface MapField {
  /** The downstream field key. */
  String field();

  /** The upstream field keys it depends on. */
  String[] from();
}
