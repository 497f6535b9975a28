package io.metaxy.benchmarks;

/**
 * Level-2 sections of a Markdown report that several benchmarks write into one file (BENCHMARKS.md): a
 * section runs from its {@code ## } heading to the next {@code ## } heading or the end.
 */
final class MarkdownSections {
  private MarkdownSections() {}

  /** The section with this heading line (e.g. {@code "## Compile time"}), or {@code null}. */
  static String extract(String doc, String heading) {
    int start = find(doc, heading);
    if (start < 0) {
      return null;
    }
    return doc.substring(start, end(doc, start));
  }

  /** {@code doc} with the section replaced by {@code section}, or with it appended when there is none. */
  static String replace(String doc, String heading, String section) {
    String body = section.endsWith("\n") ? section : section + "\n";
    int start = find(doc, heading);
    if (start < 0) {
      if (doc.isEmpty()) {
        return body;
      }
      return doc + (doc.endsWith("\n\n") ? "" : doc.endsWith("\n") ? "\n" : "\n\n") + body;
    }
    int end = end(doc, start);
    String rest = doc.substring(end);
    return doc.substring(0, start) + body + (rest.isEmpty() ? "" : "\n" + rest);
  }

  /**
   * {@code doc} with the section replaced by {@code section}; when there is none, it goes before the
   * section headed {@code before} or, without that one either, at the end.
   */
  static String replace(String doc, String heading, String section, String before) {
    int at = find(doc, before);
    if (find(doc, heading) >= 0 || at < 0) {
      return replace(doc, heading, section);
    }
    String body = section.endsWith("\n") ? section : section + "\n";
    return doc.substring(0, at) + body + "\n" + doc.substring(at);
  }

  private static int find(String doc, String heading) {
    if (doc.startsWith(heading + "\n")) {
      return 0;
    }
    int i = doc.indexOf("\n" + heading + "\n");
    return i < 0 ? -1 : i + 1;
  }

  private static int end(String doc, int start) {
    int next = doc.indexOf("\n## ", start + 1);
    return next < 0 ? doc.length() : next + 1;
  }
}
