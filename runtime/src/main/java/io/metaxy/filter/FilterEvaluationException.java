package io.metaxy.filter;

import io.metaxy.MetaxyException;

/**
 * A well-formed filter that cannot be applied to a batch: it references a missing column, compares
 * values of incompatible types, or uses a non-boolean value as a condition. The message names the
 * column and the sub-expression at fault.
 */
public final class FilterEvaluationException extends MetaxyException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the column and the sub-expression at fault. */
  public FilterEvaluationException(String message) {
    super(message);
  }
}
