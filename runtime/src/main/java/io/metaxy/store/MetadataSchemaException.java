package io.metaxy.store;

/** A batch given to a write lacks a required column or has a column of the wrong type; the message names it. */
public class MetadataSchemaException extends MetadataStoreException {
  private static final long serialVersionUID = 1L;

  /** An exception with this message. */
  public MetadataSchemaException(String message) {
    super(message);
  }

  /** An exception with this message and cause. */
  public MetadataSchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
