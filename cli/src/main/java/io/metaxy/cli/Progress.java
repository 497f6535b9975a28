package io.metaxy.cli;

import java.io.PrintWriter;

/**
 * Progress of a command over several features, on stderr. On a terminal (or when forced with {@code
 * --progress-bar}) one bar is redrawn in place and cleared at the end; otherwise each step is a plain
 * line, so logs and pipes get readable text without control characters.
 */
final class Progress implements AutoCloseable {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String label;
  private final int total;
  private final boolean bar;
  private int done;
  private int lastWidth;

  /**
   * @param label what is being done, e.g. {@code "Checking status"}
   * @param total the number of steps
   * @param bar whether to draw a bar in place (terminal) instead of plain lines
   */
  Progress(PrintWriter err, String label, int total, boolean bar) {
    this.err = err;
    this.label = label;
    this.total = total;
    this.bar = bar;
  }

  /** Marks one step done; {@code item} names it (a feature key) and {@code rows} the rows it covered. */
  void step(String item, long rows) {
    done++;
    show(done + "/" + total + " " + item + (rows >= 0 ? " (" + rows + " rows)" : ""));
  }

  /**
   * Shows how far the current (not yet done) step is, e.g. {@code "id range 2/5"} of a large resolve,
   * without counting a step.
   */
  void within(String item, String detail) {
    show(done + "/" + total + " " + item + ": " + detail);
  }

  private void show(String text) {
    if (bar) {
      int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
      String line =
          "\r" + label + " [" + "█".repeat(filled) + "░".repeat(WIDTH - filled) + "] " + text;
      int w = Text.width(line);
      err.print(line + " ".repeat(Math.max(0, lastWidth - w)));
      lastWidth = w;
      err.flush();
    } else {
      err.println(label + ": " + text);
    }
  }

  /** Clears the bar (no-op for plain lines). */
  @Override
  public void close() {
    if (bar && lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      err.flush();
    }
  }
}
