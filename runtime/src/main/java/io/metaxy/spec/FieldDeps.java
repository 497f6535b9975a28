package io.metaxy.spec;

import java.util.List;

/** What a field declares about its parents. */
public sealed interface FieldDeps {
  /** Use the automatic mapping of each feature dependency (serialized as {@code []}). */
  FieldDeps AUTOMATIC = new Automatic();

  /** Every field of every upstream feature (serialized as {@code "__METAXY_ALL_DEP__"}). */
  FieldDeps ALL_UPSTREAM = new AllUpstream();

  /** Automatic mapping. */
  record Automatic() implements FieldDeps {}

  /** Every upstream field. */
  record AllUpstream() implements FieldDeps {}

  /**
   * Exactly the listed upstream fields.
   *
   * @param deps the dependencies, non-empty
   */
  record Explicit(List<FieldDep> deps) implements FieldDeps {
    /** Copies the list; an empty list means automatic mapping, so it is rejected here. */
    public Explicit {
      deps = List.copyOf(deps);
      if (deps.isEmpty()) {
        throw new IllegalArgumentException("explicit field deps must not be empty; use AUTOMATIC");
      }
    }
  }
}
