package io.metaxy.spec;

import io.metaxy.FieldKey;
import java.util.Objects;

/**
 * A field of a feature.
 *
 * @param key the field key
 * @param codeVersion the version of the code computing the field
 * @param deps the field's declared parents
 */
public record FieldSpec(FieldKey key, String codeVersion, FieldDeps deps) {
  /** The code version used when none is given. */
  public static final String INITIAL_CODE_VERSION = "__metaxy_initial__";

  /** Checks for nulls. */
  public FieldSpec {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(codeVersion, "codeVersion");
    Objects.requireNonNull(deps, "deps");
  }

  /** A field with the initial code version and automatic mapping. */
  public static FieldSpec of(String key) {
    return new FieldSpec(FieldKey.of(key), INITIAL_CODE_VERSION, FieldDeps.AUTOMATIC);
  }

  /** A field with the given code version and automatic mapping. */
  public static FieldSpec of(String key, String codeVersion) {
    return new FieldSpec(FieldKey.of(key), codeVersion, FieldDeps.AUTOMATIC);
  }
}
