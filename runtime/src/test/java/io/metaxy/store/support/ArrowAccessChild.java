package io.metaxy.store.support;

import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.memory.InMemoryMetadataStore;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Run by {@link ArrowAccessTest} in a child JVM: a user's first Metaxy call, through a store
 * ({@code store}) or the buffer pool ({@code pool}); prints "allocated N" when Arrow memory works,
 * else the error's class and message, and exits 3.
 */
public final class ArrowAccessChild {
  private ArrowAccessChild() {}

  public static void main(String[] args) {
    try {
      BufferAllocator allocator = args[0].equals("store")
          ? new InMemoryMetadataStore(StoreOptions.of(FeatureGraph.of(List.of()))).allocator()
          : BufferPool.newRootAllocator();
      try (ArrowBuf buf = allocator.buffer(8)) {
        buf.setLong(0, 42);
        System.out.println("allocated " + buf.getLong(0));
      }
    } catch (Throwable e) {
      System.out.println(e.getClass().getName() + ": " + e.getMessage());
      System.exit(3);
    }
  }
}
