package io.metaxy.benchmarks;

import io.metaxy.store.spi.ByFieldLayout;
import io.metaxy.versioning.HashAlgorithm;
import java.util.Locale;
import java.util.Objects;

/**
 * One variant of our implementation, one report column: the store's hash algorithm and the by-field
 * layout its template's tables were created with.
 *
 * @param hash the store's hash algorithm
 * @param layout the layout of the template's by-field columns: {@link ByFieldLayout#STRUCT}, the DuckDB
 *     store's default, or {@link ByFieldLayout#MAP}, written with {@code enableMapDatatype(true)}
 */
record Variant(HashAlgorithm hash, ByFieldLayout layout) {
  /** The layout a {@code DuckDbMetadataStore} creates tables in unless {@code enableMapDatatype} is on. */
  static final ByFieldLayout STORE_DEFAULT_LAYOUT = ByFieldLayout.STRUCT;

  /** Checks the arguments. */
  Variant {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(layout, "layout");
  }

  /** At the store's default layout. */
  static Variant of(HashAlgorithm hash) {
    return new Variant(hash, STORE_DEFAULT_LAYOUT);
  }

  /**
   * Parses one {@code --hash} item: an algorithm, optionally with a layout suffix, e.g. {@code xxhash32},
   * {@code xxhash32:map}, {@code md5:struct} (case-insensitive; {@code :struct} is the default).
   *
   * @throws IllegalArgumentException for an unknown algorithm or layout
   */
  static Variant parse(String item) {
    String s = item.trim();
    int colon = s.indexOf(':');
    if (colon < 0) {
      return of(HashAlgorithm.fromConfigName(s));
    }
    HashAlgorithm hash = HashAlgorithm.fromConfigName(s.substring(0, colon));
    String layout = s.substring(colon + 1).trim();
    for (ByFieldLayout l : ByFieldLayout.values()) {
      if (l.name().equalsIgnoreCase(layout)) {
        return new Variant(hash, l);
      }
    }
    throw new IllegalArgumentException("unknown by-field layout \"" + layout
        + "\" in --hash item \"" + item + "\" (one of struct, map; struct is the default)");
  }

  /** The {@code --hash} item that {@link #parse} reads back, e.g. {@code xxhash32} or {@code xxhash32:map}. */
  String configName() {
    return layout == STORE_DEFAULT_LAYOUT
        ? hash.configName()
        : hash.configName() + ":" + layoutName();
  }

  /** The layout in lower case, e.g. {@code map}. */
  String layoutName() {
    return layout.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The name in report headers, e.g. {@code xxhash32} at the store's default layout and
   * {@code xxhash32 MAP} at the MAP layout.
   */
  String columnLabel() {
    return layout == STORE_DEFAULT_LAYOUT
        ? hash.configName()
        : hash.configName() + " " + layout.name();
  }
}
