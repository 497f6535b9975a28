package io.metaxy.cli;

/** Terminal text helpers: display width and padding that count code points, not UTF-16 units. */
final class Text {
  private Text() {}

  /**
   * Columns a string takes. Emoji and other wide symbols count two; variation selectors count zero.
   * Good enough for the glyphs this CLI prints; keys and hashes are ASCII.
   */
  static int width(String s) {
    int w = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == 0xFE0F || cp == 0x200D || Character.getType(cp) == Character.NON_SPACING_MARK) {
        continue;
      }
      w += cp >= 0x1F300 && cp <= 0x1FAFF ? 2 : 1;
    }
    return w;
  }

  /** {@code s} padded with spaces on the right to {@code width} columns. */
  static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - width(s)));
  }

  /** The first {@code length} characters of a hash, or all of it when {@code length} is 0 or larger. */
  static String hash(String version, int length) {
    if (version == null) {
      return "none";
    }
    return length <= 0 || version.length() <= length ? version : version.substring(0, length);
  }
}
