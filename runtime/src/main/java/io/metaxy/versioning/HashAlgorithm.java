package io.metaxy.versioning;

import io.metaxy.versioning.hash.Hashers;
import io.metaxy.versioning.hash.SampleHasher;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The sample-level hash functions (versioning spec §4.1). Every value is a string: unsigned decimal for
 * the xxhash and wyhash families, lowercase hex for md5 and sha256, signed decimal for farmhash.
 */
public enum HashAlgorithm {
  /** XXH64, seed 0, unsigned decimal. */
  XXHASH64,
  /** XXH32, seed 0, unsigned decimal. The reference default for DuckDB, PostgreSQL and in-memory stores. */
  XXHASH32,
  /** wyhash v1 (Rust crate wyhash 0.5), seed 0, unsigned decimal. */
  WYHASH,
  /** SHA-256, lowercase hex. */
  SHA256,
  /** MD5, lowercase hex. The reference default for generic SQL stores. */
  MD5,
  /** FARM_FINGERPRINT (BigQuery), signed decimal. */
  FARMHASH;

  /**
   * A new hasher for this algorithm. Hashers of md5 and sha256 hold a digest and are not thread-safe, so
   * each thread needs its own.
   */
  public SampleHasher newHasher() {
    return switch (this) {
      case XXHASH64 -> Hashers.xxhash64();
      case XXHASH32 -> Hashers.xxhash32();
      case WYHASH -> Hashers.wyhash();
      case SHA256 -> Hashers.sha256();
      case MD5 -> Hashers.md5();
      case FARMHASH -> Hashers.farmhash();
    };
  }

  /** The rendered hash (untruncated) of the UTF-8 bytes of {@code s}. */
  public String hash(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return hash(b, 0, b.length);
  }

  /** The rendered hash (untruncated) of a UTF-8 byte range. */
  public String hash(byte[] buf, int off, int len) {
    byte[] out = new byte[SampleHasher.MAX_LENGTH];
    int n = newHasher().hash(buf, off, len, out, 0);
    return new String(out, 0, n, StandardCharsets.US_ASCII);
  }

  /** The name used in configuration and by the reference ({@code "xxhash32"}...). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a configuration name, case-insensitively. */
  public static HashAlgorithm fromConfigName(String name) {
    for (HashAlgorithm a : values()) {
      if (a.configName().equalsIgnoreCase(name.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown hash algorithm \"" + name
        + "\" (one of xxhash64, xxhash32, wyhash, sha256, md5, farmhash)");
  }
}
