package io.metaxy.annotations;

/** How rows of an upstream feature relate to rows of the downstream feature. */
public enum Lineage {
  /** One upstream row per downstream row, joined on the upstream id columns. */
  IDENTITY,
  /** Many upstream rows per downstream row (N:1), grouped by {@link Dep#on()}. */
  AGGREGATION,
  /** One upstream row expands to many downstream rows (1:N), keyed by {@link Dep#on()}. */
  EXPANSION
}
