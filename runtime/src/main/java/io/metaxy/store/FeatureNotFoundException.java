package io.metaxy.store;

import io.metaxy.FeatureKey;
import java.util.List;

/** A feature has no table in the store (nor in any fallback store, where those were consulted). */
public class FeatureNotFoundException extends MetadataStoreException {
  private static final long serialVersionUID = 1L;

  private final List<FeatureKey> keys;

  /** An exception about these features. */
  public FeatureNotFoundException(String message, List<FeatureKey> keys) {
    super(message);
    this.keys = List.copyOf(keys);
  }

  /** The features that were not found. */
  public List<FeatureKey> keys() {
    return keys;
  }
}
