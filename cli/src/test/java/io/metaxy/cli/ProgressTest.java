package io.metaxy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@link Progress}: plain lines off a terminal, a bar redrawn in place on one. */
class ProgressTest {
  @Test
  void plainLines() {
    StringWriter s = new StringWriter();
    try (Progress p = new Progress(new PrintWriter(s, true), "Copying", 2, false)) {
      p.step("a/b", 3);
      p.step("c", -1);
    }
    assertEquals(
        "Copying: 1/2 a/b (3 rows)\nCopying: 2/2 c\n",
        s.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void barRedrawsAndClears() {
    StringWriter s = new StringWriter();
    try (Progress p = new Progress(new PrintWriter(s, true), "Deleting", 2, true)) {
      p.step("a/long/feature", 10);
      p.step("b", 0);
    }
    String bar1 =
        "\rDeleting [" + "█".repeat(15) + "░".repeat(15) + "] 1/2 a/long/feature (10 rows)";
    String bar2 = "\rDeleting [" + "█".repeat(30) + "] 2/2 b (0 rows)";
    // The shorter second line is padded so no characters of the first remain visible.
    String padding = " ".repeat(Text.width(bar1) - Text.width(bar2));
    assertEquals(bar1 + bar2 + padding + "\r" + " ".repeat(Text.width(bar2)) + "\r", s.toString());
  }

  @Test
  void withinAStepShowsTheDetailWithoutCountingIt() {
    StringWriter s = new StringWriter();
    try (Progress p = new Progress(new PrintWriter(s, true), "Checking status", 2, false)) {
      p.step("a", 1);
      p.within("big/one", "id range 1/3");
      p.within("big/one", "id range 2/3");
      p.step("big/one", 7);
    }
    assertEquals(
        "Checking status: 1/2 a (1 rows)\n"
            + "Checking status: 1/2 big/one: id range 1/3\n"
            + "Checking status: 1/2 big/one: id range 2/3\n"
            + "Checking status: 2/2 big/one (7 rows)\n",
        s.toString().replace(System.lineSeparator(), "\n"));
  }
}
