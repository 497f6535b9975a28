package io.metaxy.versioning;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;

/**
 * A field of a feature, e.g. a parent of another field.
 *
 * @param feature the feature
 * @param field the field
 */
public record FieldRef(FeatureKey feature, FieldKey field) implements Comparable<FieldRef> {
  /** The fully-qualified key, {@code "feature/key.field/key"}. */
  public String fq() {
    return feature.fq(field);
  }

  /** Orders by fully-qualified string, the order parents are hashed in. */
  @Override
  public int compareTo(FieldRef o) {
    return fq().compareTo(o.fq());
  }

  @Override
  public String toString() {
    return fq();
  }
}
