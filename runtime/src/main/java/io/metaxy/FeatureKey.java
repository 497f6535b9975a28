package io.metaxy;

import java.util.List;

/**
 * Identifies a feature, e.g. {@code video/raw}. Ordered as a tuple of parts (the order the project
 * version uses), which differs from string order: {@code a/b < a-b} as tuples.
 *
 * @param parts the key parts, each valid per {@link KeyParts#problem}
 */
public record FeatureKey(List<String> parts) implements Comparable<FeatureKey> {
  /** Validates and copies the parts. */
  public FeatureKey {
    parts = KeyParts.validate(parts, "feature key");
  }

  /** Parses a key string such as {@code "video/raw"}. */
  public static FeatureKey of(String key) {
    return new FeatureKey(KeyParts.split(key));
  }

  /** The parts joined with {@code _}, used in renamed system columns ({@link #columnSuffix}). */
  public String underscored() {
    return String.join("_", parts);
  }

  /** The suffix upstream system columns get before a join: {@code "__" + underscored()}. */
  public String columnSuffix() {
    return "__" + underscored();
  }

  /**
   * The name of this feature's table in every store: the parts with {@code -} replaced by {@code _},
   * joined by {@code __} ({@code video/raw} → {@code video__raw}, the reference's rule). Table names are
   * persistent data, so this is the only place the rule lives.
   */
  public String tableName() {
    return String.join("__", parts.stream().map(p -> p.replace('-', '_')).toList());
  }

  /** The fully-qualified key of one of this feature's fields: {@code "video/raw.audio"}. */
  public String fq(FieldKey field) {
    return this + "." + field;
  }

  @Override
  public int compareTo(FeatureKey other) {
    return KeyParts.compareParts(parts, other.parts);
  }

  /** The parts joined with {@code /}. */
  @Override
  public String toString() {
    return String.join("/", parts);
  }
}
