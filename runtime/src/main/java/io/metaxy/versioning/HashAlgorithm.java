package io.metaxy.versioning;

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

  /** The name used in configuration and by the reference ({@code "xxhash32"}...). */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses a configuration name, case-insensitively. */
  public static HashAlgorithm fromConfigName(String name) {
    for (HashAlgorithm a : values()) {
      if (a.configName().equalsIgnoreCase(name.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown hash algorithm \"" + name + "\" (one of xxhash64, xxhash32, wyhash, sha256, md5, farmhash)");
  }
}
