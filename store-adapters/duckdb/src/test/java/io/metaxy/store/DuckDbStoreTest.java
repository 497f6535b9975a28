package io.metaxy.store;

import io.metaxy.store.duckdb.DuckDbMetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The store scenarios on DuckDB. Each store gets its own database file, because a {@code :memory:}
 * database would vanish between the open scopes of a scenario. The file is created empty up front: the
 * scenarios' "new store" is a store that exists without data, and a DuckDB store opened for READ does
 * not create its file (tested in {@code DuckDbMetadataStoreTest}).
 */
class DuckDbStoreTest extends StoreConformanceSuite {
  private Path dir;

  @Override
  protected MetadataStore newStore(StoreOptions options) {
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("metaxy-duckdb-test");
      }
      String database = Files.createTempFile(dir, "store", ".duckdb").toString() + ".db";
      DriverManager.getConnection("jdbc:duckdb:" + database).close();
      return new DuckDbMetadataStore(options, database);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected boolean splitsIncrementsInIdRanges() {
    return true;
  }

  @Override
  protected boolean readScopeIsReadOnlyUnderneath() {
    return true;
  }

  @Override
  protected void dispose(MetadataStore store) {
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      dir = null;
    }
  }
}
