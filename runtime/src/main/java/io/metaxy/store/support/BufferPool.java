package io.metaxy.store.support;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Arrow memory that keeps large freed blocks for reuse instead of handing them back to {@code malloc}.
 *
 * <p>Why: DuckDB's worker threads call glibc's {@code malloc_trim(0)} after their tasks, which returns
 * every free page of every malloc arena to the OS, so each buffer a resolve allocates after another
 * was freed is fresh memory, page-faulted in again (a third of a 1M-sample resolve's faults on a VM,
 * docs/stores.md). Blocks held here are in use as far as glibc knows, so no trim can take them.
 *
 * <p>Blocks of at least {@link #MIN_POOLED} bytes come in size classes (four per power of two, so at
 * most a quarter is unused); a freed block waits in its class until a request of that class takes it,
 * up to {@code maxRetained} bytes in all, beyond which blocks are freed at once. Smaller requests go
 * straight to {@code malloc}. Accounting is unchanged: an allocator sees the size it asked for.
 * Thread-safe.
 */
public final class BufferPool implements AllocationManager.Factory {
  /** Requests below this size are not pooled (1 MiB). */
  public static final long MIN_POOLED = 1L << 20;

  /** The process-wide pool behind {@link #newRootAllocator()}: keeps up to 256 MiB of freed blocks. */
  public static final BufferPool SHARED = new BufferPool(256L << 20);

  private final long maxRetained;
  private final ConcurrentHashMap<Long, ConcurrentLinkedDeque<Long>> free =
      new ConcurrentHashMap<>();
  private final AtomicLong retained = new AtomicLong();

  /** A pool that keeps at most {@code maxRetained} bytes of freed blocks. */
  public BufferPool(long maxRetained) {
    if (maxRetained < 0) {
      throw new IllegalArgumentException("maxRetained must not be negative, got " + maxRetained);
    }
    this.maxRetained = maxRetained;
  }

  /**
   * A root allocator drawing from {@link #SHARED}: what stores use when not given an allocator, and
   * what a caller should give them for large resolves.
   */
  public static BufferAllocator newRootAllocator() {
    return SHARED.rootAllocator();
  }

  /**
   * A root allocator drawing from this pool.
   *
   * @throws io.metaxy.ArrowMemoryUnavailableException when the JVM was started without the flag
   *     Arrow needs (the message says which and where to add it)
   */
  public BufferAllocator rootAllocator() {
    ArrowAccess.require();
    return new RootAllocator(
        RootAllocator.configBuilder().allocationManagerFactory(this).build());
  }

  /** Bytes of freed blocks waiting for reuse. */
  public long retainedBytes() {
    return retained.get();
  }

  /** Frees every waiting block (blocks in use are not affected). */
  public void trim() {
    for (var e : free.entrySet()) {
      Long address;
      while ((address = e.getValue().poll()) != null) {
        retained.addAndGet(-e.getKey());
        MemoryUtil.freeMemory(address);
      }
    }
  }

  /** The block size serving a request of {@code size} bytes: four classes per power of two. */
  static long sizeClass(long size) {
    if (size < MIN_POOLED) {
      return size;
    }
    long step = Long.highestOneBit(size - 1) >>> 2;
    return (size + step - 1) / step * step;
  }

  @Override
  public AllocationManager create(BufferAllocator accountingAllocator, long size) {
    return new Block(accountingAllocator, size, this);
  }

  @Override
  public ArrowBuf empty() {
    return UnsafeAllocationManager.FACTORY.empty();
  }

  private long take(long blockSize) {
    ConcurrentLinkedDeque<Long> q = free.get(blockSize);
    Long address = q == null ? null : q.pollFirst();
    if (address != null) {
      retained.addAndGet(-blockSize);
      return address;
    }
    return MemoryUtil.allocateMemory(blockSize);
  }

  private void give(long address, long blockSize) {
    if (retained.addAndGet(blockSize) > maxRetained) {
      retained.addAndGet(-blockSize);
      MemoryUtil.freeMemory(address);
      return;
    }
    // Last in, first out: the most recently used block is the likeliest to be resident and in
    // cache.
    free.computeIfAbsent(blockSize, k -> new ConcurrentLinkedDeque<>()).addFirst(address);
  }

  /** One allocation: a pooled block of its size class, or plain malloc'd memory below the threshold. */
  private static final class Block extends AllocationManager {
    private final long size;
    private final long blockSize;
    private final long address;
    private final BufferPool pool;

    Block(BufferAllocator accountingAllocator, long size, BufferPool pool) {
      super(accountingAllocator);
      this.size = size;
      this.pool = pool;
      this.blockSize = size >= MIN_POOLED ? sizeClass(size) : 0;
      this.address = blockSize > 0 ? pool.take(blockSize) : MemoryUtil.allocateMemory(size);
    }

    @Override
    public long getSize() {
      return size;
    }

    @Override
    protected long memoryAddress() {
      return address;
    }

    @Override
    protected void release0() {
      if (blockSize > 0) {
        pool.give(address, blockSize);
      } else {
        MemoryUtil.freeMemory(address);
      }
    }
  }
}
