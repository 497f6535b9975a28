package io.metaxy.store.support;

import io.metaxy.MetaxyException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a few blocking tasks at the same time (reads on connections of their own): the first on the
 * calling thread, each other one on a daemon thread of its own. Used for the concurrent reads of a
 * resolve and for the id ranges of a split DuckDB scan.
 */
public final class SideBySide {
  private SideBySide() {}

  /**
   * The results of {@code tasks}, in order. Every task is waited for, even when the calling thread is
   * interrupted meanwhile (the tasks hold connections and buffers; the interrupt flag is restored
   * afterwards). When any task fails, every result that was produced is given to {@code discard} and
   * the first failure in task order is rethrown: unchecked exceptions and errors as they are, anything
   * else wrapped in a {@link MetaxyException}.
   *
   * @param threadName the name of the extra threads, followed by {@code -i} for task i
   * @param discard releases a result that will not be returned (never called with null)
   */
  public static <T> List<T> run(
      List<? extends Supplier<? extends T>> tasks, String threadName, Consumer<? super T> discard) {
    int n = tasks.size();
    List<T> results = new ArrayList<>(Collections.nCopies(n, null));
    Throwable[] errors = new Throwable[n];
    List<Thread> threads = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      int at = i;
      Thread t = new Thread(
          () -> {
            try {
              results.set(at, tasks.get(at).get());
            } catch (Throwable e) {
              errors[at] = e; // an Error too: a task that vanished silently would lose its part
            }
          },
          threadName + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    if (n > 0) {
      try {
        results.set(0, tasks.get(0).get());
      } catch (Throwable e) {
        errors[0] = e;
      }
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          t.join(); // also publishes the task's result and error to this thread
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    for (Throwable e : errors) {
      if (e != null) {
        for (T r : results) {
          if (r != null) {
            discard.accept(r);
          }
        }
        if (e instanceof RuntimeException re) {
          throw re;
        }
        if (e instanceof Error err) {
          throw err;
        }
        throw new MetaxyException("a concurrent task failed: " + e, e);
      }
    }
    return results;
  }
}
