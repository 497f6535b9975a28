package io.metaxy.versioning.hash;

/** XXH64 (xxHash, 64-bit variant), seed 0 by default. Pure Java, no allocation. */
public final class XxHash64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private XxHash64() {}

  /** XXH64 with seed 0 of {@code len} bytes of {@code buf} from {@code off} (unsigned bits in a long). */
  public static long hash(byte[] buf, int off, int len) {
    return hash(buf, off, len, 0L);
  }

  /** XXH64 with the given seed. */
  public static long hash(byte[] buf, int off, int len, long seed) {
    int end = off + len;
    int i = off;
    long h;
    if (len >= 32) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      int limit = end - 32;
      do {
        v1 = round(v1, Bytes.load64(buf, i));
        v2 = round(v2, Bytes.load64(buf, i + 8));
        v3 = round(v3, Bytes.load64(buf, i + 16));
        v4 = round(v4, Bytes.load64(buf, i + 24));
        i += 32;
      } while (i <= limit);
      h = Long.rotateLeft(v1, 1)
          + Long.rotateLeft(v2, 7)
          + Long.rotateLeft(v3, 12)
          + Long.rotateLeft(v4, 18);
      h = merge(h, v1);
      h = merge(h, v2);
      h = merge(h, v3);
      h = merge(h, v4);
    } else {
      h = seed + P5;
    }
    h += len;
    while (i + 8 <= end) {
      h ^= round(0, Bytes.load64(buf, i));
      h = Long.rotateLeft(h, 27) * P1 + P4;
      i += 8;
    }
    if (i + 4 <= end) {
      h ^= Bytes.load32u(buf, i) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      i += 4;
    }
    while (i < end) {
      h ^= (buf[i] & 0xFF) * P5;
      h = Long.rotateLeft(h, 11) * P1;
      i++;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  private static long round(long acc, long lane) {
    acc += lane * P2;
    return Long.rotateLeft(acc, 31) * P1;
  }

  private static long merge(long h, long v) {
    h ^= round(0, v);
    return h * P1 + P4;
  }
}
