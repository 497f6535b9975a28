package io.metaxy.filter;

import io.metaxy.MetaxyException;

/**
 * A filter string that is not valid filter syntax, or uses SQL the filter language does not support.
 *
 * <p>The message quotes the input and gives the 1-based character position of the problem, e.g.
 * {@code invalid filter "a = = 1" at position 5: expected a value}.
 */
public final class FilterSyntaxException extends MetaxyException {
  private static final long serialVersionUID = 1L;

  private final String input;
  private final int position;
  private final String detail;

  /**
   * Creates the exception.
   *
   * @param input the whole filter string
   * @param position 1-based position of the offending token, counted in code points
   * @param detail what was expected or why the construct is rejected
   */
  public FilterSyntaxException(String input, int position, String detail) {
    super("invalid filter \"" + input + "\" at position " + position + ": " + detail);
    this.input = input;
    this.position = position;
    this.detail = detail;
  }

  /** The filter string that failed to parse. */
  public String input() {
    return input;
  }

  /** The 1-based position of the problem within {@link #input()}, counted in code points. */
  public int position() {
    return position;
  }

  /** The problem without the input and position, e.g. {@code expected a value}. */
  public String detail() {
    return detail;
  }
}
