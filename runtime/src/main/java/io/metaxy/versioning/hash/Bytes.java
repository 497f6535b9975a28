package io.metaxy.versioning.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian loads and unsigned arithmetic shared by the hash functions. */
final class Bytes {
  private static final VarHandle LE64 =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LE32 =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private Bytes() {}

  static long load64(byte[] b, int i) {
    return (long) LE64.get(b, i);
  }

  /** Unsigned 32-bit little-endian load. */
  static long load32u(byte[] b, int i) {
    return ((int) LE32.get(b, i)) & 0xFFFFFFFFL;
  }

  static int load32(byte[] b, int i) {
    return (int) LE32.get(b, i);
  }

  /** High 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh needs Java 18). */
  static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }
}
