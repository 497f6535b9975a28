package io.metaxy.engine;

import java.util.Arrays;

/** A growable byte array reused across rows, so per-row string building allocates nothing. */
final class ByteBuf {
  byte[] a;
  int len;

  ByteBuf(int capacity) {
    a = new byte[capacity];
  }

  void ensure(int extra) {
    if (len + extra > a.length) {
      a = Arrays.copyOf(a, Math.max(a.length * 2, len + extra));
    }
  }

  void append(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, a, len, b.length);
    len += b.length;
  }

  void append(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, a, len, n);
    len += n;
  }
}
