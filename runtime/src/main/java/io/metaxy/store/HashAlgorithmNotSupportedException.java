package io.metaxy.store;

/** The store cannot compute its configured hash algorithm. */
public class HashAlgorithmNotSupportedException extends MetadataStoreException {
  private static final long serialVersionUID = 1L;

  /** An exception with this message. */
  public HashAlgorithmNotSupportedException(String message) {
    super(message);
  }

  /** An exception with this message and cause. */
  public HashAlgorithmNotSupportedException(String message, Throwable cause) {
    super(message, cause);
  }
}
