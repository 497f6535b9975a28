package io.metaxy;

import org.jspecify.annotations.Nullable;

/** Base class of every exception Metaxy throws on purpose; the message names the thing at fault. */
public class MetaxyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the offending key, column or file. */
  public MetaxyException(String message) {
    super(message);
  }

  /** Creates an exception that wraps its cause. */
  public MetaxyException(@Nullable String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
