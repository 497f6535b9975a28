package io.metaxy;

import java.util.List;

/**
 * Identifies a field within a feature, e.g. {@code audio} or {@code audio/french}. Ordered by string
 * form, which is how field keys are sorted wherever they are hashed.
 *
 * @param parts the key parts, each valid per {@link KeyParts#problem}
 */
public record FieldKey(List<String> parts) implements Comparable<FieldKey> {
  /** The key of the single field of a feature that declares none. */
  public static final FieldKey DEFAULT = new FieldKey(List.of("default"));

  /** Validates and copies the parts. */
  public FieldKey {
    parts = KeyParts.validate(parts, "field key");
  }

  /** Parses a key string such as {@code "audio/french"}. */
  public static FieldKey of(String key) {
    return new FieldKey(KeyParts.split(key));
  }

  /**
   * The key inside the {@code *_by_field} maps: the parts joined with {@code _}. Note that
   * {@code a/b} and {@code a_b} give the same struct key; features are checked for such collisions.
   */
  public String structKey() {
    return String.join("_", parts);
  }

  @Override
  public int compareTo(FieldKey other) {
    return toString().compareTo(other.toString());
  }

  /** The parts joined with {@code /}. */
  @Override
  public String toString() {
    return String.join("/", parts);
  }
}
