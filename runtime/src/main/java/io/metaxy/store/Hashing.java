package io.metaxy.store;

import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The sample-level hash {@code h(s)} of store spec §4.7: the algorithm over the UTF-8 bytes, rendered
 * (unsigned decimal for xxhash, lowercase hex for md5/sha256) and truncated.
 *
 * <p>Kept package-private in the store until the engine's implementations are merged; it covers the
 * algorithms the in-memory and DuckDB stores support.
 */
final class Hashing {
  private static final int P32_1 = 0x9E3779B1;
  private static final int P32_2 = 0x85EBCA77;
  private static final int P32_3 = 0xC2B2AE3D;
  private static final int P32_4 = 0x27D4EB2F;
  private static final int P32_5 = 0x165667B1;
  private static final long P64_1 = 0x9E3779B185EBCA87L;
  private static final long P64_2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P64_3 = 0x165667B19E3779F9L;
  private static final long P64_4 = 0x85EBCA77C2B2AE63L;
  private static final long P64_5 = 0x27D4EB2F165667C5L;

  private final HashAlgorithm algorithm;
  private final Truncation truncation;

  Hashing(HashAlgorithm algorithm, Truncation truncation) {
    this.algorithm = algorithm;
    this.truncation = truncation;
    if (!supports(algorithm)) {
      throw new HashAlgorithmNotSupportedException(
          "hash algorithm " + algorithm.configName() + " is not supported (supported: xxhash32, xxhash64, md5, sha256)");
    }
  }

  static boolean supports(HashAlgorithm a) {
    return a == HashAlgorithm.XXHASH32 || a == HashAlgorithm.XXHASH64 || a == HashAlgorithm.MD5
        || a == HashAlgorithm.SHA256;
  }

  /** {@code h(s)}. */
  String hash(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    String rendered =
        switch (algorithm) {
          case XXHASH32 -> Integer.toUnsignedString(xxh32(b));
          case XXHASH64 -> Long.toUnsignedString(xxh64(b));
          case MD5 -> digest("MD5", b);
          case SHA256 -> digest("SHA-256", b);
          default -> throw new IllegalStateException(algorithm.toString());
        };
    return truncation.apply(rendered);
  }

  private static String digest(String name, byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(name).digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int i32(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
  }

  private static long i64(byte[] b, int i) {
    return (i32(b, i) & 0xffffffffL) | ((long) i32(b, i + 4)) << 32;
  }

  /** XXH32 with seed 0. */
  static int xxh32(byte[] b) {
    int len = b.length;
    int i = 0;
    int h;
    if (len >= 16) {
      int v1 = P32_1 + P32_2;
      int v2 = P32_2;
      int v3 = 0;
      int v4 = -P32_1;
      for (; i <= len - 16; i += 16) {
        v1 = Integer.rotateLeft(v1 + i32(b, i) * P32_2, 13) * P32_1;
        v2 = Integer.rotateLeft(v2 + i32(b, i + 4) * P32_2, 13) * P32_1;
        v3 = Integer.rotateLeft(v3 + i32(b, i + 8) * P32_2, 13) * P32_1;
        v4 = Integer.rotateLeft(v4 + i32(b, i + 12) * P32_2, 13) * P32_1;
      }
      h = Integer.rotateLeft(v1, 1) + Integer.rotateLeft(v2, 7) + Integer.rotateLeft(v3, 12) + Integer.rotateLeft(v4, 18);
    } else {
      h = P32_5;
    }
    h += len;
    for (; i <= len - 4; i += 4) {
      h = Integer.rotateLeft(h + i32(b, i) * P32_3, 17) * P32_4;
    }
    for (; i < len; i++) {
      h = Integer.rotateLeft(h + (b[i] & 0xff) * P32_5, 11) * P32_1;
    }
    h ^= h >>> 15;
    h *= P32_2;
    h ^= h >>> 13;
    h *= P32_3;
    h ^= h >>> 16;
    return h;
  }

  private static long round64(long acc, long input) {
    return Long.rotateLeft(acc + input * P64_2, 31) * P64_1;
  }

  private static long merge64(long acc, long v) {
    return (acc ^ round64(0, v)) * P64_1 + P64_4;
  }

  /** XXH64 with seed 0. */
  static long xxh64(byte[] b) {
    int len = b.length;
    int i = 0;
    long h;
    if (len >= 32) {
      long v1 = P64_1 + P64_2;
      long v2 = P64_2;
      long v3 = 0;
      long v4 = -P64_1;
      for (; i <= len - 32; i += 32) {
        v1 = round64(v1, i64(b, i));
        v2 = round64(v2, i64(b, i + 8));
        v3 = round64(v3, i64(b, i + 16));
        v4 = round64(v4, i64(b, i + 24));
      }
      h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
      h = merge64(h, v1);
      h = merge64(h, v2);
      h = merge64(h, v3);
      h = merge64(h, v4);
    } else {
      h = P64_5;
    }
    h += len;
    for (; i <= len - 8; i += 8) {
      h ^= round64(0, i64(b, i));
      h = Long.rotateLeft(h, 27) * P64_1 + P64_4;
    }
    if (i <= len - 4) {
      h ^= (i32(b, i) & 0xffffffffL) * P64_1;
      h = Long.rotateLeft(h, 23) * P64_2 + P64_3;
      i += 4;
    }
    for (; i < len; i++) {
      h ^= (b[i] & 0xff) * P64_5;
      h = Long.rotateLeft(h, 11) * P64_1;
    }
    h ^= h >>> 33;
    h *= P64_2;
    h ^= h >>> 29;
    h *= P64_3;
    h ^= h >>> 32;
    return h;
  }
}
