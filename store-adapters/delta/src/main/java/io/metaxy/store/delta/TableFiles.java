package io.metaxy.store.delta;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a connection does with the root path beyond Kernel's engine: finding table directories and
 * deleting a dropped table's files. Local roots go through Hadoop's file system, {@code s3://} roots
 * through {@link S3FileIO}.
 */
interface TableFiles extends AutoCloseable {
  /** The names of the sub-directories of a directory, empty when it does not exist. */
  List<String> directories(String dir) throws IOException;

  /** Whether a directory holds at least one file (at any depth). */
  boolean hasFiles(String dir) throws IOException;

  /** Deletes a directory and everything under it; false when there was nothing. */
  boolean deleteAll(String dir) throws IOException;

  @Override
  void close();

  /** Local directories through Hadoop's file system. */
  final class Local implements TableFiles {
    private final Configuration conf;

    Local(Configuration conf) {
      this.conf = conf;
    }

    @Override
    public List<String> directories(String dir) throws IOException {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      List<String> out = new ArrayList<>();
      if (fs.exists(p)) {
        for (FileStatus s : fs.listStatus(p)) {
          if (s.isDirectory()) {
            out.add(s.getPath().getName());
          }
        }
      }
      return out;
    }

    @Override
    public boolean hasFiles(String dir) throws IOException {
      Path p = new Path(dir);
      return p.getFileSystem(conf).exists(p);
    }

    @Override
    public boolean deleteAll(String dir) throws IOException {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      return fs.exists(p) && fs.delete(p, true);
    }

    @Override
    public void close() {
      // Hadoop caches its file systems per JVM; nothing is held per connection.
    }
  }
}
