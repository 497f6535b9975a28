package io.metaxy.cli;

/** Python {@code repr} of strings, for the few messages the reference prints as Python dicts. */
final class PyRepr {
  private PyRepr() {}

  /** {@code 'text'} with backslashes and single quotes escaped; {@code None} for null. */
  static String str(String s) {
    if (s == null) {
      return "None";
    }
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
