package io.metaxy.versioning;

import org.jspecify.annotations.Nullable;

/**
 * How many characters of each hash are kept ({@code hash_truncation_length}). Truncation applies right
 * after every hash, so the truncated value is what feeds later hashes.
 *
 * @param length characters kept, or 0 for no truncation
 */
public record Truncation(int length) {
  /** The reference default: 8 characters. */
  public static final Truncation DEFAULT = new Truncation(8);

  /** No truncation (old snapshots; same as any length of 64 or more for SHA-256). */
  public static final Truncation NONE = new Truncation(0);

  /** The smallest length the reference accepts. */
  public static final int MINIMUM = 8;

  /** Checks the length. */
  public Truncation {
    if (length != 0 && length < MINIMUM) {
      throw new IllegalArgumentException(
          "hash truncation length must be at least " + MINIMUM + " (or unset), got " + length);
    }
  }

  /** {@code null} → {@link #NONE}, otherwise that length. */
  public static Truncation of(@Nullable Integer length) {
    return length == null ? NONE : new Truncation(length);
  }

  /** Truncates a hash string; one no longer than this length, or any with {@link #NONE}, is returned as is. */
  public String apply(String hash) {
    if (hash == null || length == 0 || hash.length() <= length) {
      return hash;
    }
    return hash.substring(0, length);
  }
}
