package io.metaxy.store;

/**
 * Options of {@link MetadataStore#delete} (store spec §6.1).
 *
 * @param soft append tombstones (true) or remove rows physically (false)
 * @param withFeatureHistory target rows of every feature version, not only the current one
 * @param withSampleHistory (soft only) target every row, not only the latest per sample
 */
public record DeleteOptions(boolean soft, boolean withFeatureHistory, boolean withSampleHistory) {
  /** Soft delete of the current version's latest rows. */
  public static final DeleteOptions SOFT = new DeleteOptions(true, false, false);

  /** Hard delete of the current version's rows. */
  public static final DeleteOptions HARD = new DeleteOptions(false, false, false);

  /** Also across feature versions. */
  public DeleteOptions featureHistory() {
    return new DeleteOptions(soft, true, withSampleHistory);
  }

  /** Also historical rows of each sample. */
  public DeleteOptions sampleHistory() {
    return new DeleteOptions(soft, withFeatureHistory, true);
  }
}
