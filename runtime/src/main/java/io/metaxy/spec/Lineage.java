package io.metaxy.spec;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** How rows of an upstream feature relate to rows of the downstream feature. */
public sealed interface Lineage {
  /** The default: one upstream row per downstream row, joined on the upstream id columns. */
  Lineage IDENTITY = new Identity();

  /** One-to-one (serialized as {@code "1:1"}). */
  record Identity() implements Lineage {}

  /**
   * Many-to-one ({@code "N:1"}): upstream rows are grouped by {@code on} and their versions combined.
   *
   * @param on the grouping columns, or {@code null} to use the downstream id columns
   */
  record Aggregation(@Nullable List<String> on) implements Lineage {
    /** Copies {@code on} when present. */
    public Aggregation {
      on = on == null ? null : List.copyOf(on);
    }
  }

  /**
   * One-to-many ({@code "1:N"}): each upstream row expands into several downstream rows.
   *
   * @param on the parent columns every child row carries
   * @param idGenerationPattern an optional description of how child ids are made, or {@code null}
   */
  record Expansion(List<String> on, @Nullable String idGenerationPattern) implements Lineage {
    /** Copies {@code on}. */
    public Expansion {
      on = List.copyOf(on);
    }
  }

  /** The columns this lineage groups or expands on; empty for identity or aggregation without on. */
  default List<String> onColumns() {
    if (this instanceof Aggregation a && a.on() != null) {
      return a.on();
    }
    if (this instanceof Expansion e) {
      return e.on();
    }
    return List.of();
  }
}
