package io.metaxy.versioning.hash;

/**
 * Hashes a UTF-8 byte range and renders the value the way sample-level versions are stored (versioning
 * spec §4.1): unsigned decimal for xxhash32/xxhash64/wyhash, lowercase hex for md5/sha256, signed
 * decimal for farmhash. Instances are not thread-safe (digests keep state); make one per thread with
 * {@link io.metaxy.versioning.HashAlgorithm#newHasher()}.
 */
public interface SampleHasher {
  /** The most bytes {@link #hash} ever writes (a SHA-256 hex digest). */
  int MAX_LENGTH = 64;

  /**
   * Hashes {@code len} bytes of {@code src} from {@code off} and writes the rendered ASCII string into
   * {@code out} from {@code outOff}, which must have {@link #MAX_LENGTH} bytes of room.
   *
   * @return the number of bytes written (the untruncated length)
   */
  int hash(byte[] src, int off, int len, byte[] out, int outOff);
}
