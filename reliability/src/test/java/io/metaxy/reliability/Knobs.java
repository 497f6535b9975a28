package io.metaxy.reliability;

/**
 * The sizes of the suite, from {@code reliability.*} system properties (surefire hands Maven's
 * {@code -Dreliability.kills=200} and friends to the test JVM). The defaults keep the module within CI's
 * budget; a developer raises them for a longer run (docs/stores.md lists them).
 */
final class Knobs {
  private Knobs() {}

  static int integer(String name, int fallback) {
    String v = System.getProperty("reliability." + name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "reliability." + name + " must be an integer, got '" + v + "'", e);
    }
  }

  /** The seed of the random choices: {@code reliability.seed}, else a fresh one (printed, so a run can be replayed). */
  static long seed() {
    String v = System.getProperty("reliability.seed");
    if (v == null || v.isBlank()) {
      return System.nanoTime() ^ ProcessHandle.current().pid() * 0x9E3779B97F4A7C15L;
    }
    return Long.parseLong(v.strip());
  }
}
