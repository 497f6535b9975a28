package io.metaxy.graph;

import io.metaxy.MetaxyException;

/**
 * A record has no usable generated companion: usually the Metaxy annotation processor did not run
 * when it was compiled. The message names the record, the expected companion class and the fix.
 */
public class CompanionNotFoundException extends MetaxyException {
  private static final long serialVersionUID = 1L;

  private final String recordClass;
  private final String companionClass;

  /** An exception about {@code recordClass}, whose companion would be {@code companionClass}. */
  public CompanionNotFoundException(
      String message, String recordClass, String companionClass, Throwable cause) {
    super(message, cause);
    this.recordClass = recordClass;
    this.companionClass = companionClass;
  }

  /** The binary name of the record class. */
  public String recordClass() {
    return recordClass;
  }

  /** The binary name the generated companion would have. */
  public String companionClass() {
    return companionClass;
  }
}
