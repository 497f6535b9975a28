package io.metaxy.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Renames one upstream column before the join. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Rename {
  /** The upstream column name. */
  String from();

  /** The name it takes in the joined rows. */
  String to();
}
