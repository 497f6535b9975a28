package io.metaxy.store;

import io.metaxy.store.delta.DeltaConnector;
import io.metaxy.store.delta.DeltaMetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;

/**
 * The store scenarios on Delta tables in a local directory, in both of the reference's layouts, and with
 * by-field columns as maps.
 */
class DeltaStoreTest {
  /** The default, nested layout. */
  @Nested
  class NestedLayout extends OnDelta {
    NestedLayout() {
      super(DeltaConnector.Layout.NESTED);
    }
  }

  /** The flat layout. */
  @Nested
  class FlatLayout extends OnDelta {
    FlatLayout() {
      super(DeltaConnector.Layout.FLAT);
    }
  }

  /**
   * The nested layout with by-field columns as Delta {@code map<string, string>}: the reference's
   * {@code enable_map_datatype}, which its Delta documentation recommends.
   */
  @Nested
  class MapDatatype extends OnDelta {
    MapDatatype() {
      super(DeltaConnector.Layout.NESTED);
    }

    @Override
    protected MetadataStore newStore(StoreOptions options) {
      return super.newStore(options.enableMapDatatype(true));
    }
  }

  abstract static class OnDelta extends StoreConformanceSuite {
    private final DeltaConnector.Layout layout;
    private Path dir;

    OnDelta(DeltaConnector.Layout layout) {
      this.layout = layout;
    }

    @Override
    protected MetadataStore newStore(StoreOptions options) {
      try {
        if (dir == null) {
          dir = Files.createTempDirectory("metaxy-delta-test");
        }
        return new DeltaMetadataStore(options, Files.createTempDirectory(dir, "store"), layout);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
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
}
