package io.metaxy.store;

import io.metaxy.MetaxyException;
import org.jspecify.annotations.Nullable;

/** Base of the errors a {@link MetadataStore} raises about its data or state. */
public class MetadataStoreException extends MetaxyException {
  private static final long serialVersionUID = 1L;

  /** An exception with this message. */
  public MetadataStoreException(String message) {
    super(message);
  }

  /** An exception with this message and cause. */
  public MetadataStoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
