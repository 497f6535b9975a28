package io.metaxy.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** One metadata entry of a {@link Feature}. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Meta {
  /** The key. */
  String key();

  /** The value: a string, or JSON text when {@link #json()} is true. */
  String value();

  /** When true, {@link #value()} is parsed as a JSON value (number, object, list...). */
  boolean json() default false;
}
