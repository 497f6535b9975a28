package io.metaxy.store;

/** A write needs a table that does not exist while automatic table creation is off. */
public class TableNotFoundException extends MetadataStoreException {
  private static final long serialVersionUID = 1L;

  /** An exception with this message. */
  public TableNotFoundException(String message) {
    super(message);
  }

  /** An exception with this message and cause. */
  public TableNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
