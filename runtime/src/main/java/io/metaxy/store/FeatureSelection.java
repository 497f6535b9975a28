package io.metaxy.store;

import io.metaxy.FeatureKey;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which recorded features {@link SystemTables#resolveSelection} returns: every feature of the named
 * projects plus the named keys (OR-combined), or every recorded feature.
 *
 * @param projects project names (may be empty)
 * @param keys feature keys (may be empty)
 * @param allFeatures whether every recorded feature is selected (projects and keys are then irrelevant)
 */
public record FeatureSelection(Set<String> projects, Set<FeatureKey> keys, boolean allFeatures) {
  /**
   * Checks and copies (sorted, so the record prints deterministically).
   *
   * @throws IllegalArgumentException when nothing is selected (no project, no key and not all)
   */
  public FeatureSelection {
    projects = projects == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(projects));
    keys = keys == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(keys));
    if (!allFeatures && projects.isEmpty() && keys.isEmpty()) {
      throw new IllegalArgumentException(
          "a feature selection needs at least one project or key (or all())");
    }
  }

  /** Every feature recorded for these projects. */
  public static FeatureSelection projects(String... projects) {
    return new FeatureSelection(new TreeSet<>(List.of(projects)), Set.of(), false);
  }

  /** These features (keys never recorded are omitted from the result). */
  public static FeatureSelection keys(FeatureKey... keys) {
    return new FeatureSelection(Set.of(), new TreeSet<>(List.of(keys)), false);
  }

  /** Every recorded feature. */
  public static FeatureSelection all() {
    return new FeatureSelection(Set.of(), Set.of(), true);
  }

  /** The union of two selections. */
  public FeatureSelection or(FeatureSelection other) {
    if (allFeatures || other.allFeatures) {
      return all();
    }
    Set<String> p = new TreeSet<>(projects);
    p.addAll(other.projects);
    Set<FeatureKey> k = new TreeSet<>(keys);
    k.addAll(other.keys);
    return new FeatureSelection(p, k, false);
  }

  /** Whether a recorded feature of {@code project} with {@code key} is selected. */
  public boolean matches(String project, FeatureKey key) {
    return allFeatures || projects.contains(project) || keys.contains(key);
  }

  @Override
  public String toString() {
    return allFeatures
        ? "FeatureSelection[all]"
        : "FeatureSelection[projects=" + projects + ", keys=" + keys + "]";
  }
}
