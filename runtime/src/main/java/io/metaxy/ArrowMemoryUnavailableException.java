package io.metaxy;

import org.jspecify.annotations.Nullable;

/**
 * Arrow's off-heap memory cannot be used in this JVM, almost always because it was started without
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}. The message gives the flag and the Maven and
 * Gradle lines that add it. Raised by {@link io.metaxy.store.support.ArrowAccess#require()}, which stores
 * and {@link io.metaxy.store.support.BufferPool} call before their first allocation.
 */
public class ArrowMemoryUnavailableException extends MetaxyException {
  private static final long serialVersionUID = 1L;

  /** An exception with this message and cause (may be {@code null}). */
  public ArrowMemoryUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
