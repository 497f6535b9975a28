package io.metaxy;

/** A feature or field key that does not follow the key syntax. */
public final class InvalidKeyException extends MetaxyException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the key and the rule it breaks. */
  public InvalidKeyException(String message) {
    super(message);
  }
}
