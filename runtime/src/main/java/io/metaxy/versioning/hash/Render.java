package io.metaxy.versioning.hash;

import java.nio.charset.StandardCharsets;

/** Writes hash values as ASCII without building intermediate strings. */
final class Render {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private Render() {}

  /** Unsigned decimal of {@code v} into {@code out} at {@code off}; returns the digit count. */
  static int unsignedDecimal(long v, byte[] out, int off) {
    if (v >= 0) {
      return positiveDecimal(v, out, off);
    }
    // Split off the last digit so the rest fits in a signed long.
    long q = (v >>> 1) / 5;
    int r = (int) (v - q * 10);
    int n = positiveDecimal(q, out, off);
    out[off + n] = (byte) ('0' + r);
    return n + 1;
  }

  /** Signed decimal of {@code v}; returns the character count. */
  static int signedDecimal(long v, byte[] out, int off) {
    if (v >= 0) {
      return positiveDecimal(v, out, off);
    }
    out[off] = '-';
    if (v == Long.MIN_VALUE) {
      byte[] s = "9223372036854775808".getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(s, 0, out, off + 1, s.length);
      return s.length + 1;
    }
    return 1 + positiveDecimal(-v, out, off + 1);
  }

  private static int positiveDecimal(long v, byte[] out, int off) {
    int n = digits(v);
    int p = off + n;
    do {
      long q = v / 10;
      out[--p] = (byte) ('0' + (int) (v - q * 10));
      v = q;
    } while (v != 0);
    return n;
  }

  private static int digits(long v) {
    int n = 1;
    long t = 10;
    while (n < 19 && v >= t) {
      n++;
      t *= 10;
    }
    return n;
  }

  /** Lowercase hex of {@code len} bytes of {@code digest}; returns {@code 2 * len}. */
  static int hex(byte[] digest, int len, byte[] out, int off) {
    for (int i = 0; i < len; i++) {
      out[off + 2 * i] = HEX[(digest[i] >> 4) & 0xF];
      out[off + 2 * i + 1] = HEX[digest[i] & 0xF];
    }
    return 2 * len;
  }
}
