package io.metaxy.store;

/** An operation on a closed store, or a write on a store open in read mode. */
public class StoreNotOpenException extends MetadataStoreException {
  private static final long serialVersionUID = 1L;

  /** An exception with this message. */
  public StoreNotOpenException(String message) {
    super(message);
  }

  /** An exception with this message and cause. */
  public StoreNotOpenException(String message, Throwable cause) {
    super(message, cause);
  }
}
