package io.metaxy.store;

import io.metaxy.FeatureKey;
import java.util.Objects;

/**
 * Progress of a {@code resolveUpdate} that computes its increment in id ranges (see {@link
 * ResolveOptions#partitionRows}), reported to the listeners of {@link MetadataStore#addProgressListener}
 * after each range. A resolve in one piece reports nothing.
 *
 * @param feature the feature being resolved
 * @param partsDone the id ranges finished so far, from 1
 * @param parts the number of id ranges
 */
public record ResolveProgress(FeatureKey feature, int partsDone, int parts) {
  /** Checks the components. */
  public ResolveProgress {
    Objects.requireNonNull(feature, "feature");
    if (partsDone < 1 || partsDone > parts) {
      throw new IllegalArgumentException(
          "partsDone must be in [1, " + parts + "], got " + partsDone);
    }
  }
}
