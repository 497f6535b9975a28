package io.metaxy.store.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
  private static final long MIB = 1L << 20;

  @Test
  void sizeClassesAreFourPerPowerOfTwoAndNeverSmallerThanTheRequest() {
    assertEquals(MIB, BufferPool.sizeClass(MIB));
    assertEquals(MIB + MIB / 4, BufferPool.sizeClass(MIB + 1));
    assertEquals(3 * MIB, BufferPool.sizeClass(3 * MIB));
    assertEquals(3 * MIB + MIB / 2, BufferPool.sizeClass(3 * MIB + 1));
    assertEquals(100, BufferPool.sizeClass(100), "below the threshold a request is its own size");
    Random r = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      long size = BufferPool.MIN_POOLED + (r.nextLong() & ((1L << 34) - 1));
      long c = BufferPool.sizeClass(size);
      assertTrue(c >= size && c <= size + size / 4 + 1, size + " -> " + c);
      assertEquals(c, BufferPool.sizeClass(c), "a class serves its own size");
    }
  }

  @Test
  void aFreedLargeBlockIsReusedAndAccountingIsThatOfTheRequest() {
    BufferPool pool = new BufferPool(64 * MIB);
    long accounted;
    try (BufferAllocator plain = new RootAllocator();
        ArrowBuf p = plain.buffer(3 * MIB)) {
      accounted = plain.getAllocatedMemory(); // Arrow's own rounding of the request
    }
    try (BufferAllocator a = pool.rootAllocator()) {
      long first;
      try (ArrowBuf b = a.buffer(3 * MIB)) {
        first = b.memoryAddress();
        assertEquals(accounted, a.getAllocatedMemory(), "accounted as without the pool");
        b.setLong(b.capacity() - 8, 42); // the whole buffer is usable
      }
      assertEquals(0, a.getAllocatedMemory());
      assertEquals(BufferPool.sizeClass(accounted), pool.retainedBytes());
      try (ArrowBuf b = a.buffer(3 * MIB)) {
        assertEquals(
            first, b.memoryAddress(), "the freed block serves the next request of its class");
        assertEquals(0, pool.retainedBytes());
      }
      // Vectors draw from the pool the same way (their buffers are rounded by Arrow first).
      try (BigIntVector v = new BigIntVector("v", a)) {
        v.allocateNew(1 << 20);
        v.set((1 << 20) - 1, 5);
        v.setValueCount(1 << 20);
        assertEquals(5, v.get((1 << 20) - 1));
      }
    }
    assertTrue(pool.retainedBytes() > 0);
    pool.trim();
    assertEquals(0, pool.retainedBytes());
  }

  @Test
  void smallRequestsAreNotPooledAndTheCapHolds() {
    BufferPool pool = new BufferPool(5 * MIB);
    try (BufferAllocator a = pool.rootAllocator()) {
      a.buffer(1024).close();
      assertEquals(0, pool.retainedBytes());
      ArrowBuf x = a.buffer(2 * MIB);
      ArrowBuf y = a.buffer(2 * MIB);
      ArrowBuf z = a.buffer(2 * MIB);
      assertNotEquals(x.memoryAddress(), y.memoryAddress());
      x.close();
      y.close();
      z.close();
      assertEquals(
          4 * MIB,
          pool.retainedBytes(),
          "the third block would exceed the 5 MiB cap: freed at once");
    }
    pool.trim();
    assertThrows(IllegalArgumentException.class, () -> new BufferPool(-1));
  }

  @Test
  void concurrentAllocationsStayBalanced() throws Exception {
    BufferPool pool = new BufferPool(32 * MIB);
    ExecutorService ex = Executors.newFixedThreadPool(4);
    try (BufferAllocator root = pool.rootAllocator()) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        done.add(ex.submit(() -> {
          Random r = new Random(seed);
          try (BufferAllocator a = root.newChildAllocator("t" + seed, 0, Long.MAX_VALUE)) {
            List<ArrowBuf> held = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
              if (!held.isEmpty() && r.nextBoolean()) {
                held.remove(r.nextInt(held.size())).close();
              } else {
                ArrowBuf b = a.buffer(MIB / 2 + r.nextInt((int) (3 * MIB)));
                b.setByte(b.capacity() - 1, 1);
                held.add(b);
              }
            }
            held.forEach(ArrowBuf::close);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      assertEquals(0, root.getAllocatedMemory());
    } finally {
      ex.shutdownNow();
    }
    assertTrue(pool.retainedBytes() <= 32 * MIB, "retained " + pool.retainedBytes());
    pool.trim();
    assertEquals(0, pool.retainedBytes());
  }
}
