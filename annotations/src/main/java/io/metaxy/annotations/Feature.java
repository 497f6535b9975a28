package io.metaxy.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a record as a Metaxy feature: one table of samples whose per-field versions Metaxy tracks.
 *
 * <pre>{@code
 * @Feature(key = "example/crop", idColumns = "video_id")
 * @Dep(Video.class)
 * @Field(key = "audio", codeVersion = "1")
 * @Field(key = "frames", codeVersion = "1")
 * public record Crop(String videoId, String path) {}
 * }</pre>
 *
 * <p>The record components are the feature's user columns (snake_case by default, see {@link Column});
 * the Metaxy system columns ({@code metaxy_*}) are added by the generated companion and the stores.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Feature {
  /** The feature key, parts separated by {@code /}; each part matches {@code [a-z0-9_-]+}. */
  String key();

  /** Columns that identify a sample; each must be a column of this record. */
  String[] idColumns();

  /** Human-readable description; part of the spec (and so of the spec version). Empty means none. */
  String description() default "";

  /** Free-form metadata recorded in the spec. */
  Meta[] metadata() default {};

  /**
   * The project this feature belongs to. Empty means the processor option {@code metaxy.project},
   * or {@code "default"} when that is not set either.
   */
  String project() default "";
}
