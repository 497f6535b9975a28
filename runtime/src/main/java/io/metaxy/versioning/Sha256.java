package io.metaxy.versioning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** SHA-256 over the UTF-8 bytes of parts joined with no separator, as lowercase hex. */
public final class Sha256 {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Sha256() {}

  /** {@code H_sha(parts...)} of the versioning spec. */
  public static String hex(Iterable<String> parts) {
    MessageDigest md = newDigest();
    for (String p : parts) {
      md.update(p.getBytes(StandardCharsets.UTF_8));
    }
    return toHex(md.digest());
  }

  /** {@code H_sha(parts...)} of the versioning spec. */
  public static String hex(String... parts) {
    return hex(Arrays.asList(parts));
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Lowercase hex of bytes. */
  public static String toHex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }
}
