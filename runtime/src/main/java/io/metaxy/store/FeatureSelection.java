package io.metaxy.store;

import io.metaxy.FeatureKey;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which recorded features {@link SystemTables#resolveSelection} returns: every feature of the named
 * projects plus the named keys (OR-combined), or every recorded feature. Selections combine as the
 * reference's do, field by field: {@link #or}, {@link #and}, {@link #minus}.
 *
 * @param projects project names (may be empty)
 * @param keys feature keys (may be empty)
 * @param allFeatures whether every recorded feature is selected (projects and keys are then irrelevant);
 *     with no project and no key either, the selection matches nothing ({@link #none()})
 */
public record FeatureSelection(Set<String> projects, Set<FeatureKey> keys, boolean allFeatures) {
  /** Copies (sorted, so the record prints deterministically). */
  public FeatureSelection {
    projects = projects == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(projects));
    keys = keys == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(keys));
  }

  /**
   * Every feature recorded for these projects.
   *
   * @throws IllegalArgumentException when no project is given (use {@link #none()} for nothing)
   */
  public static FeatureSelection projects(String... projects) {
    if (projects.length == 0) {
      throw new IllegalArgumentException("FeatureSelection.projects() needs at least one project");
    }
    return new FeatureSelection(new TreeSet<>(List.of(projects)), Set.of(), false);
  }

  /**
   * These features (keys never recorded are omitted from the result).
   *
   * @throws IllegalArgumentException when no key is given (use {@link #none()} for nothing)
   */
  public static FeatureSelection keys(FeatureKey... keys) {
    if (keys.length == 0) {
      throw new IllegalArgumentException("FeatureSelection.keys() needs at least one key");
    }
    return new FeatureSelection(Set.of(), new TreeSet<>(List.of(keys)), false);
  }

  /**
   * The selection that matches nothing: what {@link #and} and {@link #minus} give when no project and
   * no key is left (the reference raises an error there).
   */
  public static FeatureSelection none() {
    return new FeatureSelection(Set.of(), Set.of(), false);
  }

  /** Whether this selection matches no feature at all. */
  public boolean isEmpty() {
    return !allFeatures && projects.isEmpty() && keys.isEmpty();
  }

  /**
   * Field by field, as the reference's {@code &}: the projects both name and the keys both name;
   * {@link #all()} with another selection gives that one. It is not the set intersection of what the
   * two match: {@code projects("a").and(keys(k))} is {@link #none()} even when {@code k} is in {@code a}.
   */
  public FeatureSelection and(FeatureSelection other) {
    if (allFeatures) {
      return other;
    }
    if (other.allFeatures) {
      return this;
    }
    Set<String> p = new TreeSet<>(projects);
    p.retainAll(other.projects);
    Set<FeatureKey> k = new TreeSet<>(keys);
    k.retainAll(other.keys);
    return new FeatureSelection(p, k, false);
  }

  /**
   * Field by field, as the reference's {@code -}: this selection's projects and keys less those
   * {@code other} names; minus {@link #all()} is {@link #none()}.
   *
   * @throws IllegalArgumentException for {@code all().minus(s)} with {@code s} not all: every feature
   *     but some is not a set of projects and keys (the reference returns an invalid selection)
   */
  public FeatureSelection minus(FeatureSelection other) {
    if (other.allFeatures) {
      return none();
    }
    if (allFeatures) {
      throw new IllegalArgumentException(
          "FeatureSelection.all().minus(" + other + ") cannot be expressed by projects and keys;"
              + " name the projects or keys to keep instead");
    }
    Set<String> p = new TreeSet<>(projects);
    p.removeAll(other.projects);
    Set<FeatureKey> k = new TreeSet<>(keys);
    k.removeAll(other.keys);
    return new FeatureSelection(p, k, false);
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
    if (allFeatures) {
      return "FeatureSelection[all]";
    }
    return isEmpty()
        ? "FeatureSelection[none]"
        : "FeatureSelection[projects=" + projects + ", keys=" + keys + "]";
  }
}
