package io.metaxy.store;

import io.metaxy.FeatureKey;
import io.metaxy.store.support.ArrowBatches;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues per-feature batches and writes them from a background thread (store spec §2, the
 * reference's {@code BufferedMetadataWriter}), so that producers do not wait for each write.
 *
 * <p>A flush concatenates the queued batches of each feature and writes them all with one
 * {@link MetadataStore#writeMulti} inside one {@code open(AccessMode.WRITE)} scope. Flushes happen
 * when the queued rows reach {@code flushBatchSize}, when {@code flushInterval} has passed since the
 * last flush or since the queue was last empty (so no batch waits much longer than that), when the queue reaches {@code maxQueueSize} batches, on {@link #flush(Duration)} and on
 * {@link #stop()}. A failed flush stops the writer: its error is rethrown (as the cause of an
 * {@link IllegalStateException}) by the next {@link #put}, {@link #flush} or {@link #stop}, and the
 * batches still queued are discarded. A flush is one {@code writeMulti}, atomic across its features:
 * a failed flush stored none of its batches.
 *
 * <p>Each flush runs on the writer's thread; other threads may use the same store meanwhile (the
 * store runs one operation at a time). Warnings of the writes reach the store's
 * {@linkplain MetadataStore#addWarningListener warning listeners} on the writer's thread.
 *
 * <p>Methods of the writer itself may be called from any thread.
 */
public final class BufferedMetadataWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BufferedMetadataWriter.class);

  /** The default time between interval-triggered flushes. */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(2);

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private record Entry(FeatureKey key, VectorSchemaRoot batch, long seq) {}

  private final MetadataStore store;
  private final int flushBatchSize;
  private final Duration flushInterval;
  private final int maxQueueSize;
  // Separate conditions so that producers waiting for room never wake each other (or starve the
  // flush thread): only the flush thread makes room.
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled for the flush thread: a trigger was reached, a flush was asked for, or stop. */
  private final Condition work = lock.newCondition();
  /** Signalled for blocked producers: the queue was drained, or the writer stopped. */
  private final Condition room = lock.newCondition();
  /** Signalled for flush/stop callers: a flush completed or failed. */
  private final Condition progress = lock.newCondition();

  private final Deque<Entry> queue = new ArrayDeque<>();
  private final Map<FeatureKey, Long> written = new TreeMap<>();
  private State state = State.NEW;
  private long queuedRows;
  /** Sequence number of the last put, and of the last put whose batch has been written. */
  private long putSeq;

  private long writtenSeq;
  /** The highest put sequence a flush has been asked for. */
  private long flushUpTo;

  private @Nullable RuntimeException error;
  private boolean errorReported;
  private @Nullable Thread thread;

  /**
   * A writer with no size trigger, a 2 s interval and an unbounded queue.
   *
   * @param store the store written to (it need not be open: each flush opens a write scope)
   */
  public BufferedMetadataWriter(MetadataStore store) {
    this(store, null, DEFAULT_FLUSH_INTERVAL, 0);
  }

  /**
   * A writer.
   *
   * @param store the store written to (it need not be open: each flush opens a write scope)
   * @param flushBatchSize queued rows (all features together) that trigger a flush; {@code null} or 0
   *     for no size trigger
   * @param flushInterval the longest time between flushes while batches are queued; {@code null} for
   *     {@link #DEFAULT_FLUSH_INTERVAL}
   * @param maxQueueSize the most batches queued at once: a {@link #put} on a full queue triggers a flush
   *     and blocks until the queue has room; 0 for unbounded
   * @throws IllegalArgumentException for a negative size or a non-positive interval
   */
  public BufferedMetadataWriter(
      MetadataStore store,
      @Nullable Integer flushBatchSize,
      @Nullable Duration flushInterval,
      int maxQueueSize) {
    this.store = Objects.requireNonNull(store, "store");
    int size = flushBatchSize == null ? 0 : flushBatchSize;
    Duration interval = flushInterval == null ? DEFAULT_FLUSH_INTERVAL : flushInterval;
    if (size < 0) {
      throw new IllegalArgumentException("flushBatchSize must be positive, 0 or null, got " + size);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("flushInterval must be positive, got " + interval);
    }
    if (maxQueueSize < 0) {
      throw new IllegalArgumentException(
          "maxQueueSize must be positive or 0 (unbounded), got " + maxQueueSize);
    }
    this.flushBatchSize = size;
    this.flushInterval = interval;
    this.maxQueueSize = maxQueueSize;
  }

  /**
   * Starts the background flush thread (a daemon).
   *
   * @throws IllegalStateException when already started or stopped
   */
  public void start() {
    lock.lock();
    try {
      if (state != State.NEW) {
        throw new IllegalStateException(
            "BufferedMetadataWriter for " + store + " was already started");
      }
      state = State.RUNNING;
      thread = new Thread(this::run, "metaxy-buffered-writer");
      thread.setDaemon(true);
      thread.start();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues a copy of {@code batch} for {@code feature} (the caller keeps ownership of {@code batch}).
   * Blocks while the queue is full.
   *
   * @throws IllegalStateException before {@link #start()}, after {@link #stop()}, or after a failed
   *     flush (with the flush's error as the cause)
   * @throws IllegalArgumentException when the feature is not in the store's graph
   */
  public void put(FeatureKey feature, VectorSchemaRoot batch) {
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(batch, "batch");
    lock.lock();
    try {
      checkRunning("put");
    } finally {
      lock.unlock();
    }
    if (!SystemTables.isSystem(feature) && store.graph().find(feature).isEmpty()) {
      // Fail here, at the caller, rather than in a later flush that would stop the writer.
      throw new IllegalArgumentException(
          "feature " + feature + " is not in the feature graph of " + store);
    }
    // Copy outside the lock (it may be large); the copy lives in the store's allocator because the
    // write shares its buffers.
    VectorSchemaRoot copy =
        ArrowBatches.select(batch, ArrowBatches.names(batch), store.allocator());
    boolean queued = false;
    lock.lock();
    try {
      while (true) {
        checkRunning("put");
        if (maxQueueSize == 0 || queue.size() < maxQueueSize) {
          break;
        }
        work.signal(); // a full queue is a flush trigger
        try {
          room.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(
              "interrupted while waiting for room in the queue of " + this, e);
        }
      }
      queue.add(new Entry(feature, copy, ++putSeq));
      queuedRows += copy.getRowCount();
      queued = true;
      if ((flushBatchSize > 0 && queuedRows >= flushBatchSize)
          || (maxQueueSize > 0 && queue.size() >= maxQueueSize)) {
        work.signal();
      }
    } finally {
      lock.unlock();
      if (!queued) {
        copy.close();
      }
    }
  }

  /**
   * Writes everything put so far and waits for it.
   *
   * @return true when everything put before this call has been written, false when {@code timeout}
   *     passed first (the flush still happens)
   * @throws IllegalStateException before {@link #start()}, or when a flush failed (with its error as
   *     the cause)
   */
  public boolean flush(Duration timeout) {
    long left = timeout.toNanos();
    lock.lock();
    try {
      if (state == State.NEW) {
        throw new IllegalStateException("BufferedMetadataWriter.flush before start()");
      }
      long target = putSeq;
      flushUpTo = Math.max(flushUpTo, target);
      work.signal();
      while (writtenSeq < target) {
        throwIfFailed("flush");
        if (state == State.STOPPED && (thread == null || !thread.isAlive())) {
          break;
        }
        if (left <= 0) {
          return false;
        }
        try {
          left = progress.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      throwIfFailed("flush");
      return writtenSeq >= target;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes what is queued and stops the thread, waiting for it. Idempotent; a writer that was never
   * started just stops.
   *
   * @throws IllegalStateException when a flush failed and this error was not yet reported by
   *     {@link #put} or {@link #flush} (with the error as the cause)
   */
  public void stop() {
    Thread t;
    lock.lock();
    try {
      if (state == State.STOPPED
          && (thread == null || !thread.isAlive())
          && (error == null || errorReported)) {
        return;
      }
      state = State.STOPPED;
      work.signal();
      room.signalAll(); // blocked producers fail with "after stop"
      t = thread;
    } finally {
      lock.unlock();
    }
    if (t != null && t != Thread.currentThread()) {
      boolean interrupted = false;
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the thread owns queued buffers: wait for it to release them
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    lock.lock();
    try {
      discardQueue();
      if (error != null && !errorReported) {
        errorReported = true;
        throw new IllegalStateException(
            "BufferedMetadataWriter for " + store + " failed to flush: " + error.getMessage(),
            error);
      }
    } finally {
      lock.unlock();
    }
  }

  /** {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** Rows written so far per feature, sorted by key. */
  public Map<FeatureKey, Long> numWritten() {
    lock.lock();
    try {
      return Collections.unmodifiableMap(new TreeMap<>(written));
    } finally {
      lock.unlock();
    }
  }

  /** Rows written so far for one feature. */
  public long numWritten(FeatureKey feature) {
    lock.lock();
    try {
      return written.getOrDefault(feature, 0L);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "BufferedMetadataWriter[" + store + "]";
  }

  // ---------------------------------------------------------------- internals (hold lock)

  private void checkRunning(String what) {
    throwIfFailed(what);
    if (state == State.NEW) {
      throw new IllegalStateException("BufferedMetadataWriter." + what + " before start()");
    }
    if (state == State.STOPPED) {
      throw new IllegalStateException("BufferedMetadataWriter." + what + " after stop()");
    }
  }

  private void throwIfFailed(String what) {
    if (error != null) {
      errorReported = true;
      throw new IllegalStateException(
          "BufferedMetadataWriter." + what + ": an earlier flush to " + store + " failed: "
              + error.getMessage(),
          error);
    }
  }

  private boolean flushDue(long deadline) {
    return !queue.isEmpty()
        && (state == State.STOPPED
            || flushUpTo > writtenSeq
            || (flushBatchSize > 0 && queuedRows >= flushBatchSize)
            || (maxQueueSize > 0 && queue.size() >= maxQueueSize)
            || System.nanoTime() >= deadline);
  }

  private void discardQueue() {
    for (Entry e : queue) {
      e.batch().close();
    }
    queue.clear();
    queuedRows = 0;
  }

  // ---------------------------------------------------------------- flush thread

  private void run() {
    long deadline = System.nanoTime() + flushInterval.toNanos();
    while (true) {
      List<Entry> drained;
      lock.lock();
      try {
        while (!flushDue(deadline)) {
          if (state == State.STOPPED) {
            progress.signalAll(); // nothing queued: flush waiters see the thread end
            return;
          }
          if (queue.isEmpty()) {
            // Everything put has been written: an explicit flush is trivially done, and the
            // interval starts with the next put rather than ticking for nothing.
            if (flushUpTo > writtenSeq) {
              writtenSeq = flushUpTo;
              progress.signalAll();
            }
            deadline = System.nanoTime() + flushInterval.toNanos();
          }
          try {
            work.awaitNanos(Math.max(1, deadline - System.nanoTime()));
          } catch (InterruptedException e) {
            state = State.STOPPED; // treated as stop: write what is queued, then end
          }
        }
        drained = new ArrayList<>(queue);
        queue.clear();
        queuedRows = 0;
        room.signalAll();
      } finally {
        lock.unlock();
      }
      long upTo = drained.get(drained.size() - 1).seq();
      RuntimeException failure = null;
      Map<FeatureKey, Long> rows = Map.of();
      try {
        rows = write(drained);
      } catch (RuntimeException e) {
        failure = e;
      }
      deadline = System.nanoTime() + flushInterval.toNanos();
      lock.lock();
      try {
        if (failure != null) {
          LOG.error(
              "BufferedMetadataWriter: flush of {} batch(es) to {} failed; the writer stops",
              drained.size(),
              store,
              failure);
          error = failure;
          state = State.STOPPED;
          discardQueue();
          room.signalAll();
          progress.signalAll();
          return;
        }
        rows.forEach((k, n) -> written.merge(k, n, Long::sum));
        writtenSeq = Math.max(writtenSeq, upTo);
        progress.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Concatenates per feature and writes in one write scope; always closes the entries' batches. */
  private Map<FeatureKey, Long> write(List<Entry> entries) {
    Map<FeatureKey, List<VectorSchemaRoot>> byFeature = new LinkedHashMap<>();
    for (Entry e : entries) {
      byFeature.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.batch());
    }
    Map<FeatureKey, VectorSchemaRoot> merged = new LinkedHashMap<>();
    List<VectorSchemaRoot> concatenated = new ArrayList<>();
    Map<FeatureKey, Long> rows = new LinkedHashMap<>();
    try {
      for (var e : byFeature.entrySet()) {
        List<VectorSchemaRoot> parts = e.getValue();
        VectorSchemaRoot m =
            parts.size() == 1 ? parts.get(0) : ArrowBatches.concat(parts, store.allocator());
        if (m != parts.get(0)) {
          concatenated.add(m);
        }
        merged.put(e.getKey(), m);
        rows.put(e.getKey(), (long) m.getRowCount());
      }
      long t0 = System.nanoTime();
      try (var scope = store.open(AccessMode.WRITE)) {
        store.writeMulti(merged, null);
      }
      LOG.debug(
          "BufferedMetadataWriter: wrote {} row(s) of {} feature(s) to {} in {} ms",
          rows.values().stream().mapToLong(Long::longValue).sum(),
          rows.size(),
          store,
          (System.nanoTime() - t0) / 1_000_000);
      return rows;
    } finally {
      concatenated.forEach(VectorSchemaRoot::close);
      byFeature.values().forEach(parts -> parts.forEach(VectorSchemaRoot::close));
    }
  }
}
