package io.metaxy.sample;

import java.io.PrintStream;

/**
 * A one-line progress bar. On a terminal it redraws in place; elsewhere (logs, CI, tests) it prints
 * only the final state, so captured output stays readable.
 */
final class Progress {
  private static final int WIDTH = 24;
  private final PrintStream out;
  private final String label;
  private final int total;
  private final boolean live;
  private int done;

  Progress(PrintStream out, String label, int total) {
    this.out = out;
    this.label = label;
    this.total = total;
    this.live = System.console() != null && out == System.out;
  }

  void step() {
    done++;
    if (live) {
      out.print("\r" + line());
      out.flush();
    }
  }

  /** Ends the bar, followed by a summary. */
  void finish(String summary) {
    out.print((live ? "\r" : "") + line() + "  " + summary + System.lineSeparator());
    out.flush();
  }

  private String line() {
    if (total == 0) {
      return String.format("%-28s %-36s", label, " (up to date)");
    }
    int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
    return String.format(
        "%-28s [%s%s] %4d/%-4d",
        label, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total);
  }
}
