package io.metaxy.store;

/** The backend cannot be opened (for example, another process holds the database file's lock). */
public class StoreUnavailableException extends MetadataStoreException {
  private static final long serialVersionUID = 1L;

  /** An exception with this message. */
  public StoreUnavailableException(String message) {
    super(message);
  }

  /** An exception with this message and cause. */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
