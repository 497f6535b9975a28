package io.metaxy.versioning.hash;

/**
 * FarmHash {@code Fingerprint64} (farmhashna), the function behind BigQuery's {@code FARM_FINGERPRINT}.
 * Pure Java; only inputs longer than 64 bytes allocate (two small work arrays).
 */
public final class FarmHashFingerprint64 {
  private static final long K0 = 0xc3a5c85c97cb3127L;
  private static final long K1 = 0xb492b66fbe98f273L;
  private static final long K2 = 0x9ae16a3b2f90404fL;

  private FarmHashFingerprint64() {}

  /** The fingerprint of {@code len} bytes of {@code buf} from {@code off}, as BigQuery's signed INT64. */
  public static long hash(byte[] buf, int off, int len) {
    if (len <= 32) {
      return len <= 16 ? len0to16(buf, off, len) : len17to32(buf, off, len);
    }
    return len <= 64 ? len33to64(buf, off, len) : len65plus(buf, off, len);
  }

  private static long shiftMix(long v) {
    return v ^ (v >>> 47);
  }

  private static long hashLen16(long u, long v, long mul) {
    long a = (u ^ v) * mul;
    a ^= a >>> 47;
    long b = (v ^ a) * mul;
    b ^= b >>> 47;
    return b * mul;
  }

  private static long len0to16(byte[] b, int off, int len) {
    if (len >= 8) {
      long mul = K2 + len * 2L;
      long a = Bytes.load64(b, off) + K2;
      long c = Bytes.load64(b, off + len - 8);
      long d = Long.rotateRight(c, 37) * mul + a;
      long e = (Long.rotateRight(a, 25) + c) * mul;
      return hashLen16(d, e, mul);
    }
    if (len >= 4) {
      long mul = K2 + len * 2L;
      long a = Bytes.load32u(b, off);
      return hashLen16(len + (a << 3), Bytes.load32u(b, off + len - 4), mul);
    }
    if (len > 0) {
      int a = b[off] & 0xFF;
      int c = b[off + (len >> 1)] & 0xFF;
      int d = b[off + len - 1] & 0xFF;
      int y = a + (c << 8);
      int z = len + (d << 2);
      return shiftMix(y * K2 ^ z * K0) * K2;
    }
    return K2;
  }

  private static long len17to32(byte[] b, int off, int len) {
    long mul = K2 + len * 2L;
    long a = Bytes.load64(b, off) * K1;
    long c = Bytes.load64(b, off + 8);
    long d = Bytes.load64(b, off + len - 8) * mul;
    long e = Bytes.load64(b, off + len - 16) * K2;
    return hashLen16(
        Long.rotateRight(a + c, 43) + Long.rotateRight(d, 30) + e,
        a + Long.rotateRight(c + K2, 18) + d,
        mul);
  }

  private static long len33to64(byte[] b, int off, int len) {
    long mul = K2 + len * 2L;
    long a = Bytes.load64(b, off) * K2;
    long c = Bytes.load64(b, off + 8);
    long d = Bytes.load64(b, off + len - 8) * mul;
    long e = Bytes.load64(b, off + len - 16) * K2;
    long y = Long.rotateRight(a + c, 43) + Long.rotateRight(d, 30) + e;
    long z = hashLen16(y, a + Long.rotateRight(c + K2, 18) + d, mul);
    long f = Bytes.load64(b, off + 16) * mul;
    long g = Bytes.load64(b, off + 24);
    long h = (y + Bytes.load64(b, off + len - 32)) * mul;
    long i = (z + Bytes.load64(b, off + len - 24)) * mul;
    return hashLen16(
        Long.rotateRight(f + g, 43) + Long.rotateRight(h, 30) + i,
        f + Long.rotateRight(g + a, 18) + h,
        mul);
  }

  // Wrapping multiplication is the hash's arithmetic (as in FarmHash's C++), also for constant
  // operands.
  @SuppressWarnings("ConstantOverflow")
  private static long len65plus(byte[] b, int off, int len) {
    final long seed = 81;
    long x = seed;
    long y = seed * K1 + 113;
    long z = shiftMix(y * K2 + 113) * K2;
    long[] v = new long[2];
    long[] w = new long[2];
    x = x * K2 + Bytes.load64(b, off);
    int end = off + ((len - 1) / 64) * 64;
    int last64 = end + ((len - 1) & 63) - 63;
    int p = off;
    do {
      x = Long.rotateRight(x + y + v[0] + Bytes.load64(b, p + 8), 37) * K1;
      y = Long.rotateRight(y + v[1] + Bytes.load64(b, p + 48), 42) * K1;
      x ^= w[1];
      y += v[0] + Bytes.load64(b, p + 40);
      z = Long.rotateRight(z + w[0], 33) * K1;
      weak32(b, p, v[1] * K1, x + w[0], v);
      weak32(b, p + 32, z + w[1], y + Bytes.load64(b, p + 16), w);
      long t = x;
      x = z;
      z = t;
      p += 64;
    } while (p != end);
    long mul = K1 + ((z & 0xFF) << 1);
    p = last64;
    w[0] += (len - 1) & 63;
    v[0] += w[0];
    w[0] += v[0];
    x = Long.rotateRight(x + y + v[0] + Bytes.load64(b, p + 8), 37) * mul;
    y = Long.rotateRight(y + v[1] + Bytes.load64(b, p + 48), 42) * mul;
    x ^= w[1] * 9;
    y += v[0] * 9 + Bytes.load64(b, p + 40);
    z = Long.rotateRight(z + w[0], 33) * mul;
    weak32(b, p, v[1] * mul, x + w[0], v);
    weak32(b, p + 32, z + w[1], y + Bytes.load64(b, p + 16), w);
    return hashLen16(
        hashLen16(v[0], w[0], mul) + shiftMix(y) * K0 + x, hashLen16(v[1], w[1], mul) + z, mul);
  }

  private static void weak32(byte[] b, int p, long seedA, long seedB, long[] out) {
    long w = Bytes.load64(b, p);
    long x = Bytes.load64(b, p + 8);
    long y = Bytes.load64(b, p + 16);
    long z = Bytes.load64(b, p + 24);
    seedA += w;
    seedB = Long.rotateRight(seedB + seedA + z, 21);
    long c = seedA;
    seedA += x;
    seedA += y;
    seedB += Long.rotateRight(seedA, 44);
    out[0] = seedA + z;
    out[1] = seedB + c;
  }
}
