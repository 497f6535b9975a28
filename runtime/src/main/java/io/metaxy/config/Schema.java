package io.metaxy.config;

import java.util.List;
import java.util.Set;

/** The key layout of {@code metaxy.toml}: which top-level keys exist and which positions hold structures. */
final class Schema {
  private Schema() {}

  /** Top-level keys, in the order {@code mx config print} writes them (spec cli.md §1.1), then Java's own. */
  static final List<String> KEY_ORDER = List.of(
      "store",
      "stores",
      "extend",
      "entrypoints",
      "theme",
      "ext",
      "hash_truncation_length",
      "enable_map_datatype",
      "auto_create_tables",
      "project",
      "locked",
      "sync",
      "extra_features",
      "metaxy_lock_path",
      "graph");

  static final Set<String> TOP_LEVEL = Set.copyOf(KEY_ORDER);

  static final Set<String> STORE_KEYS = Set.of("type", "config");

  static final Set<String> SELECTION_KEYS = Set.of("projects", "keys", "all");

  static final Set<String> GRAPH_KEYS = Set.of("classpath");

  /**
   * Whether an environment variable at this key path holds a list or table, and so is read as JSON (the
   * pydantic-settings rule for "complex" fields).
   */
  static boolean isStructured(List<String> path) {
    String top = path.get(0);
    switch (path.size()) {
      case 1:
        return top.equals("stores")
            || top.equals("ext")
            || top.equals("graph")
            || top.equals("entrypoints")
            || top.equals("extra_features");
      case 2:
        return top.equals("stores")
            || top.equals("ext")
            || (top.equals("graph") && path.get(1).equals("classpath"));
      case 3:
        return top.equals("stores") && path.get(2).equals("config");
      case 4:
        return top.equals("stores")
            && path.get(2).equals("config")
            && path.get(3).equals(StoreConfig.FALLBACK_STORES);
      default:
        return false;
    }
  }
}
