package io.metaxy.cli;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A text table with box-drawing borders and an optional centred title, like the tables the reference
 * CLI prints. Cells are never truncated: long feature keys must stay copyable.
 */
final class Table {
  private final @Nullable String title;
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(@Nullable String title, String... headers) {
    this.title = title;
    this.headers = List.of(headers);
  }

  /** Adds a row; it must have one cell per header. */
  Table row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, table has " + headers.size());
    }
    rows.add(List.of(cells));
    return this;
  }

  /** The table's lines, each without a trailing newline. */
  List<String> lines() {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = Text.width(headers.get(i));
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], Text.width(r.get(i)));
      }
    }
    List<String> out = new ArrayList<>();
    int total = 1;
    for (int w : width) {
      total += w + 3;
    }
    if (title != null) {
      int pad = Math.max(0, (total - Text.width(title)) / 2);
      out.add(" ".repeat(pad) + title);
    }
    out.add(border('┏', '━', '┳', '┓', width));
    out.add(line('┃', headers, width));
    out.add(border('┡', '━', '╇', '┩', width));
    for (List<String> r : rows) {
      out.add(line('│', r, width));
    }
    out.add(border('└', '─', '┴', '┘', width));
    return out;
  }

  private static String border(char left, char fill, char mid, char right, int[] width) {
    StringBuilder b = new StringBuilder().append(left);
    for (int i = 0; i < width.length; i++) {
      b.append(String.valueOf(fill).repeat(width[i] + 2))
          .append(i == width.length - 1 ? right : mid);
    }
    return b.toString();
  }

  private static String line(char sep, List<String> cells, int[] width) {
    StringBuilder b = new StringBuilder().append(sep);
    for (int i = 0; i < width.length; i++) {
      b.append(' ').append(Text.pad(cells.get(i), width[i])).append(' ').append(sep);
    }
    return b.toString();
  }
}
