package io.metaxy.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the column name of a record component (by default its name in snake_case:
 * {@code videoId} → {@code video_id}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD
})
public @interface Column {
  /** The column name. */
  String value();

  /** A description of the column, recorded in the feature's schema. */
  String description() default "";
}
