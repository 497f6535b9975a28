package io.metaxy.versioning.hash;

/**
 * wyhash "v1" as implemented by the Rust crate {@code wyhash} 0.5 (used by polars-hash), seed 0 by
 * default. Pure Java, no allocation. Note its tail reads: the 8-byte words of the last partial block are
 * read as two little-endian 32-bit halves with the first half high ("swapped").
 */
public final class WyHash {
  private static final long P0 = 0xA0761D6478BD642FL;
  private static final long P1 = 0xE7037ED1A0B428DBL;
  private static final long P2 = 0x8EBC6AF09C88C6E3L;
  private static final long P3 = 0x589965CC75374CC3L;
  private static final long P4 = 0x1D8E4E27C47D124FL;
  private static final long P5 = 0xEB44ACCAB455D165L;

  private WyHash() {}

  /** wyhash v1 with seed 0 of {@code len} bytes of {@code buf} from {@code off} (unsigned bits in a long). */
  public static long hash(byte[] buf, int off, int len) {
    return hash(buf, off, len, 0L);
  }

  /** wyhash v1 with the given seed. */
  public static long hash(byte[] buf, int off, int len, long seed) {
    int blocks = len - (len & 31);
    for (int i = off; i < off + blocks; i += 32) {
      seed = mum(
          seed ^ P0,
          mum(Bytes.load64(buf, i) ^ P1, Bytes.load64(buf, i + 8) ^ P2)
              ^ mum(Bytes.load64(buf, i + 16) ^ P3, Bytes.load64(buf, i + 24) ^ P4));
    }
    seed ^= P0;
    int rest = len & 31;
    if (rest != 0) {
      int s = off + blocks;
      int k = ((len - 1) & 31) / 8;
      switch (k) {
        case 0 -> seed = mum(seed, readRest(buf, s, rest) ^ P1);
        case 1 -> seed = mum(swapped(buf, s) ^ seed, readRest(buf, s + 8, rest - 8) ^ P2);
        case 2 ->
          seed = mum(swapped(buf, s) ^ seed, swapped(buf, s + 8) ^ P2)
              ^ mum(seed, readRest(buf, s + 16, rest - 16) ^ P3);
        default ->
          seed = mum(swapped(buf, s) ^ seed, swapped(buf, s + 8) ^ P2)
              ^ mum(swapped(buf, s + 16) ^ seed, readRest(buf, s + 24, rest - 24) ^ P4);
      }
    }
    return mum(seed, (len & 0xFFFFFFFFL) ^ P5);
  }

  private static long mum(long a, long b) {
    return Bytes.unsignedMultiplyHigh(a, b) ^ (a * b);
  }

  private static long swapped(byte[] b, int i) {
    return (Bytes.load32u(b, i) << 32) | Bytes.load32u(b, i + 4);
  }

  private static long readRest(byte[] d, int i, int n) {
    return switch (n) {
      case 1 -> d[i] & 0xFFL;
      case 2 -> (d[i + 1] & 0xFFL) << 8 | (d[i] & 0xFFL);
      case 3 -> (d[i + 1] & 0xFFL) << 16 | (d[i] & 0xFFL) << 8 | (d[i + 2] & 0xFFL);
      case 4 -> Bytes.load32u(d, i);
      case 5 -> Bytes.load32u(d, i) << 8 | (d[i + 4] & 0xFFL);
      case 6 -> Bytes.load32u(d, i) << 16 | (d[i + 5] & 0xFFL) << 8 | (d[i + 4] & 0xFFL);
      case 7 ->
        Bytes.load32u(d, i) << 24
            | (d[i + 5] & 0xFFL) << 16
            | (d[i + 4] & 0xFFL) << 8
            | (d[i + 6] & 0xFFL);
      case 8 -> swapped(d, i);
      default -> throw new IllegalStateException("wyhash tail of " + n + " bytes");
    };
  }
}
