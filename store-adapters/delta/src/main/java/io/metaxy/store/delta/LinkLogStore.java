package io.metaxy.store.delta;

import io.delta.storage.HadoopFileSystemLogStore;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Delta log store of local tables: publishes a commit file with a hard link, which the kernel
 * creates only if the name is free, so of two writers of one version exactly one wins, whatever
 * process or thread each runs in.
 *
 * <p>Kernel's default for {@code file:} paths is delta-storage's {@code HDFSLogStore}, whose
 * put-if-absent on a local file system is "does the file exist? then rename": two processes can both
 * pass the check, and the second rename silently replaces the first commit, so a write that returned
 * is lost. A hard link has no such window ({@code link(2)} fails with {@code EEXIST}). It also skips
 * Hadoop's checksum files and the {@code chmod}/{@code readlink} processes Hadoop forks without its
 * native library, about 90 ms per commit.
 *
 * <p>Registered by the store for the {@code file} scheme; public only because Kernel instantiates log
 * stores by class name.
 */
public final class LinkLogStore extends HadoopFileSystemLogStore {
  private static final Logger LOG = LoggerFactory.getLogger(LinkLogStore.class);

  /** The Hadoop configuration key under which Kernel looks up the log store of local paths. */
  static final String FILE_SCHEME_KEY = "io.delta.kernel.logStore.file.impl";

  /** Called by Kernel's log store provider. */
  public LinkLogStore(Configuration conf) {
    super(conf);
  }

  @Override
  public void write(
      org.apache.hadoop.fs.Path path,
      Iterator<String> actions,
      Boolean overwrite,
      Configuration conf)
      throws IOException {
    Path target = Path.of(path.toUri()).toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null) {
      throw new IOException("not a Delta log file: " + path);
    }
    Files.createDirectories(dir);
    // A dot name: Delta's listings skip it, and a crash leaves only an ignorable file behind.
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(
          temp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        while (actions.hasNext()) {
          w.write(actions.next());
          w.write('\n');
        }
      }
      if (Boolean.TRUE.equals(overwrite)) {
        Files.move(
            temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        publishIfAbsent(target, temp);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void publishIfAbsent(Path target, Path temp) throws IOException {
    try {
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      // Kernel's commit treats exactly this type as "another writer took the version".
      throw new FileAlreadyExistsException(target.toString());
    } catch (UnsupportedOperationException | FileSystemException e) {
      if (Files.exists(target)) {
        throw new FileAlreadyExistsException(target.toString());
      }
      // A file system without hard links (some network or FAT mounts): no atomic put-if-absent is
      // available, so fall back to what Delta itself does there, check then rename.
      LOG.warn(
          "{}: hard links unsupported ({}); concurrent writers of this table may overwrite a commit",
          target,
          e.toString());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /**
   * True: a local file is visible while it is written, so Kernel writes checkpoints to a temporary
   * name and renames them (this store's own writes never show a partial file).
   */
  @Override
  public Boolean isPartialWriteVisible(org.apache.hadoop.fs.Path path, Configuration conf) {
    return true;
  }
}
