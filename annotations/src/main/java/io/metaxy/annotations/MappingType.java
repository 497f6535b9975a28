package io.metaxy.annotations;

/** Kinds of automatic field mapping. */
public enum MappingType {
  /**
   * The upstream field with the same key (or, with {@code matchSuffix}, the same trailing parts); when
   * none matches, every upstream field.
   */
  DEFAULT,
  /** Every upstream field. */
  ALL,
  /** No upstream field. */
  NONE,
  /** The fields listed per downstream field in {@link Mapping#specific()}. */
  SPECIFIC
}
