package io.metaxy.versioning.hash;

/** XXH32 (xxHash, 32-bit variant), seed 0 by default. Pure Java, no allocation. */
public final class XxHash32 {
  private static final int P1 = 0x9E3779B1;
  private static final int P2 = 0x85EBCA77;
  private static final int P3 = 0xC2B2AE3D;
  private static final int P4 = 0x27D4EB2F;
  private static final int P5 = 0x165667B1;

  private XxHash32() {}

  /** XXH32 with seed 0 of {@code len} bytes of {@code buf} from {@code off}, as a signed int (unsigned bits). */
  public static int hash(byte[] buf, int off, int len) {
    return hash(buf, off, len, 0);
  }

  /** XXH32 with the given seed. */
  public static int hash(byte[] buf, int off, int len, int seed) {
    int end = off + len;
    int i = off;
    int h;
    if (len >= 16) {
      int v1 = seed + P1 + P2;
      int v2 = seed + P2;
      int v3 = seed;
      int v4 = seed - P1;
      int limit = end - 16;
      do {
        v1 = Integer.rotateLeft(v1 + Bytes.load32(buf, i) * P2, 13) * P1;
        v2 = Integer.rotateLeft(v2 + Bytes.load32(buf, i + 4) * P2, 13) * P1;
        v3 = Integer.rotateLeft(v3 + Bytes.load32(buf, i + 8) * P2, 13) * P1;
        v4 = Integer.rotateLeft(v4 + Bytes.load32(buf, i + 12) * P2, 13) * P1;
        i += 16;
      } while (i <= limit);
      h = Integer.rotateLeft(v1, 1)
          + Integer.rotateLeft(v2, 7)
          + Integer.rotateLeft(v3, 12)
          + Integer.rotateLeft(v4, 18);
    } else {
      h = seed + P5;
    }
    h += len;
    while (i + 4 <= end) {
      h += Bytes.load32(buf, i) * P3;
      h = Integer.rotateLeft(h, 17) * P4;
      i += 4;
    }
    while (i < end) {
      h += (buf[i] & 0xFF) * P5;
      h = Integer.rotateLeft(h, 11) * P1;
      i++;
    }
    h ^= h >>> 15;
    h *= P2;
    h ^= h >>> 13;
    h *= P3;
    h ^= h >>> 16;
    return h;
  }
}
