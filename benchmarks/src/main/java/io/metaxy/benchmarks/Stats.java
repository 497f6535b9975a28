package io.metaxy.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/**
 * Median and interquartile range of round times. Percentiles interpolate linearly between order
 * statistics (the default of numpy and R type 7).
 *
 * @param median the median, in seconds
 * @param p25 the 25th percentile, in seconds
 * @param p75 the 75th percentile, in seconds
 * @param rounds how many rounds
 */
record Stats(double median, double p25, double p75, int rounds) {
  /** The statistics of {@code seconds} (at least one value). */
  public static Stats of(double... seconds) {
    if (seconds.length == 0) {
      throw new IllegalArgumentException("no rounds to summarise");
    }
    double[] s = seconds.clone();
    Arrays.sort(s);
    return new Stats(percentile(s, 0.5), percentile(s, 0.25), percentile(s, 0.75), s.length);
  }

  static double percentile(double[] sorted, double p) {
    double pos = p * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  /** {@code "0.412 [0.405–0.420]"}, in seconds. */
  public String format() {
    return String.format(Locale.ROOT, "%.3f [%.3f–%.3f]", median, p25, p75);
  }
}
