package io.metaxy.benchmarks;

import java.util.Locale;

/** What the target feature holds when its increment is resolved. */
public enum Phase {
  /** The target table exists but is empty: every sample is new. */
  NEW,
  /** The target holds every sample at its correct provenance, then 10% of the roots' audio changed. */
  STALE;

  /** The lower-case name used on the command line and in file names. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code new} or {@code stale}. */
  public static Phase parse(String s) {
    for (Phase p : values()) {
      if (p.label().equalsIgnoreCase(s.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown phase \"" + s + "\" (one of new, stale)");
  }
}
