package io.metaxy.store;

/** A system table was read before anything was pushed to it. */
public class SystemDataNotFoundException extends MetadataStoreException {
  private static final long serialVersionUID = 1L;

  /** An exception with this message. */
  public SystemDataNotFoundException(String message) {
    super(message);
  }

  /** An exception with this message and cause. */
  public SystemDataNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
