package io.metaxy.store;

import io.metaxy.FeatureKey;
import java.util.Objects;

/**
 * A warning raised by a store operation that still succeeded (the reference's Python warnings, e.g.
 * {@code MetaxyColumnMissingWarning}). Every warning is logged at WARN through SLF4J and passed to
 * the listeners registered with {@link MetadataStore#addWarningListener}.
 *
 * @param kind what happened
 * @param feature the feature the operation was on
 * @param column the column concerned, or {@code null}
 * @param message a human-readable description naming the feature and the column
 */
public record StoreWarning(Kind kind, FeatureKey feature, String column, String message) {
  /** The kinds of warning. */
  public enum Kind {
    /**
     * A non-root feature was written without {@code metaxy_provenance}: the store computed it from
     * {@code metaxy_provenance_by_field}, which is right only if that map came from this feature's
     * upstream (normally it comes from {@code resolveUpdate}, whose rows carry both columns).
     */
    COLUMN_MISSING
  }

  /** Checks the required components. */
  public StoreWarning {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(message, "message");
  }
}
