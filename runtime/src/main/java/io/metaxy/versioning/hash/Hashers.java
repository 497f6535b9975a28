package io.metaxy.versioning.hash;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The {@link SampleHasher} of each algorithm. */
public final class Hashers {
  private Hashers() {}

  /** XXH32, unsigned decimal. */
  public static SampleHasher xxhash32() {
    return (src, off, len, out, outOff) ->
        Render.unsignedDecimal(XxHash32.hash(src, off, len) & 0xFFFFFFFFL, out, outOff);
  }

  /** XXH64, unsigned decimal. */
  public static SampleHasher xxhash64() {
    return (src, off, len, out, outOff) ->
        Render.unsignedDecimal(XxHash64.hash(src, off, len), out, outOff);
  }

  /** wyhash v1, unsigned decimal. */
  public static SampleHasher wyhash() {
    return (src, off, len, out, outOff) ->
        Render.unsignedDecimal(WyHash.hash(src, off, len), out, outOff);
  }

  /** FarmHash Fingerprint64, signed decimal (BigQuery's {@code CAST(FARM_FINGERPRINT(x) AS STRING)}). */
  public static SampleHasher farmhash() {
    return (src, off, len, out, outOff) ->
        Render.signedDecimal(FarmHashFingerprint64.hash(src, off, len), out, outOff);
  }

  /** MD5, lowercase hex. */
  public static SampleHasher md5() {
    return new DigestHasher("MD5", 16);
  }

  /** SHA-256, lowercase hex. */
  public static SampleHasher sha256() {
    return new DigestHasher("SHA-256", 32);
  }

  private static final class DigestHasher implements SampleHasher {
    private final MessageDigest digest;
    private final byte[] scratch;

    DigestHasher(String name, int size) {
      try {
        digest = MessageDigest.getInstance(name);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(name + " is not available in this JVM", e);
      }
      scratch = new byte[size];
    }

    @Override
    public int hash(byte[] src, int off, int len, byte[] out, int outOff) {
      digest.update(src, off, len);
      try {
        digest.digest(scratch, 0, scratch.length);
      } catch (DigestException e) {
        throw new IllegalStateException(e);
      }
      return Render.hex(scratch, scratch.length, out, outOff);
    }
  }
}
