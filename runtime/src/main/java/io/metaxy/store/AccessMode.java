package io.metaxy.store;

/** How a store is opened: reads only, or reads and writes. */
public enum AccessMode {
  /** Reads, increments and existence checks. */
  READ,
  /** Everything {@link #READ} allows plus writes, deletes and drops. */
  WRITE
}
