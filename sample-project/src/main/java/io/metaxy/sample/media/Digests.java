package io.metaxy.sample.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Content digests of media files: what a root feature reports as the provenance of a field, so a
 * changed file (and nothing else) makes its downstream samples stale.
 */
public final class Digests {
  private Digests() {}

  /** SHA-256 of the files' bytes, in the given order, as 16 hex characters. */
  public static String of(List<Path> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Path f : files) {
        md.update(Files.readAllBytes(f));
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 of one file. */
  public static String of(Path file) {
    return of(List.of(file));
  }
}
