package io.metaxy.store.duckdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one connection of a lakehouse store keeps for its data files: the {@link ParquetFiles} engine,
 * a local staging directory for files bound for remote storage, and local copies of remote data files
 * (data files never change, so a copy serves the whole connection). Local files are read and written
 * in place. Everything is made on first use and removed on {@link #close()}. The connection and its
 * readers ({@link ParquetFiles#reader()}) may fetch files from several threads at once; {@link
 * #close()} comes after them.
 */
public final class ParquetWorkspace implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetWorkspace.class);

  /** Opens a remote file for reading. */
  @FunctionalInterface
  public interface Opener {
    /** The file's bytes from the start. */
    InputStream open() throws IOException;
  }

  private final String prefix;
  private final Map<String, String> settings;
  private @Nullable ParquetFiles engine;
  private @Nullable Path staging;
  private final Map<String, Path> fetched = new ConcurrentHashMap<>();

  /** A workspace whose staging directory's name starts with {@code prefix} (e.g. the store's kind). */
  public ParquetWorkspace(String prefix) {
    this(prefix, Map.of());
  }

  /**
   * A workspace whose engine opens with these DuckDB settings (e.g. {@code memory_limit}, {@code
   * threads}, {@code temp_directory}; see {@link ParquetFiles#ParquetFiles}).
   */
  public ParquetWorkspace(String prefix, Map<String, String> settings) {
    this.prefix = prefix;
    this.settings = Map.copyOf(settings);
  }

  /** The Parquet engine, opened on first use. */
  public synchronized ParquetFiles engine() {
    if (engine == null) {
      engine = new ParquetFiles(settings);
    }
    return engine;
  }

  /** The local path of a location ({@code file:} URI or absolute path), or null when it is remote. */
  public static @Nullable Path localPath(String location) {
    if (location.startsWith("/")) {
      return Path.of(location);
    }
    if (location.startsWith("file:")) {
      return Path.of(URI.create(location));
    }
    return null;
  }

  /** A new path in the staging directory, for a file written here and then uploaded. */
  public Path stagedFile() {
    return staging().resolve("write-" + UUID.randomUUID() + ".parquet");
  }

  /**
   * A local copy of the data file at {@code location}: the file itself when local, else a download
   * through {@code opener}, made once per connection (two threads asking for one file share one
   * download).
   */
  public Path local(String location, Opener opener) {
    Path p = localPath(location);
    if (p != null) {
      return p;
    }
    return fetched.computeIfAbsent(location, l -> {
      Path target = staging().resolve("read-" + UUID.randomUUID() + ".parquet");
      try (InputStream in = opener.open()) {
        Files.copy(in, target);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot fetch data file " + location, e);
      }
      return target;
    });
  }

  private synchronized Path staging() {
    if (staging == null) {
      try {
        staging = Files.createTempDirectory("metaxy-" + prefix + "-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a local staging directory", e);
      }
    }
    return staging;
  }

  /** Closes the engine and removes the staging directory with every copy in it. */
  @Override
  public synchronized void close() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
    if (staging != null) {
      try (Stream<Path> paths = Files.walk(staging)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        LOG.debug("could not remove the staging directory {}: {}", staging, e.toString());
      }
      staging = null;
      fetched.clear();
    }
  }
}
