package io.metaxy.cli;

/** The reference's default render colours (CLI spec §2.1). */
final class Theme {
  static final String FEATURE = "#00FFFF";
  static final String FIELD = "#5F87AF";
  static final String EDGE = "#808080";
  static final String ADDED = "#00FF00";
  static final String REMOVED = "#FF0000";
  static final String CHANGED = "#FFAA00";
  static final String UNCHANGED = "#808080";

  private Theme() {}
}
