package io.metaxy.store.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.MetaxyException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Concurrent tasks: results in order, every task awaited, failures reported and the others' results released. */
class SideBySideTest {
  @Test
  void resultsComeInTaskOrderAndTheTasksRunAtTheSameTime() {
    // Every task waits until all have started: this finishes only if they run side by side.
    CountDownLatch started = new CountDownLatch(3);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<Supplier<String>> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int at = i;
      tasks.add(() -> {
        threads.add(Thread.currentThread().getName());
        started.countDown();
        try {
          if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the tasks did not run side by side");
          }
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return "r" + at;
      });
    }
    assertEquals(List.of("r0", "r1", "r2"), SideBySide.run(tasks, "test-task", r -> {}));
    assertEquals(Set.of(Thread.currentThread().getName(), "test-task-1", "test-task-2"), threads);
  }

  @Test
  void aFailureIsRethrownAfterEveryTaskEndedAndTheOtherResultsAreDiscarded() {
    List<String> discarded = Collections.synchronizedList(new ArrayList<>());
    IllegalStateException boom = new IllegalStateException("boom");
    CountDownLatch slowEnded = new CountDownLatch(1);
    List<Supplier<String>> tasks = List.of(
        () -> "first",
        () -> {
          throw boom;
        },
        slow(slowEnded, "slow"));
    assertSame(
        boom,
        assertThrows(
            IllegalStateException.class, () -> SideBySide.run(tasks, "t", discarded::add)));
    assertEquals(0, slowEnded.getCount(), "the slow task was waited for");
    assertEquals(
        Set.of("first", "slow"),
        Set.copyOf(discarded),
        "results of the tasks that succeeded are released");
  }

  @Test
  void errorsStayErrorsAndCheckedFailuresAreWrapped() {
    AssertionError error = new AssertionError("error in a task");
    assertSame(
        error,
        assertThrows(
            AssertionError.class,
            () -> SideBySide.run(
                List.<Supplier<String>>of(() -> "a", () -> {
                  throw error;
                }),
                "t",
                r -> {})));
    Exception checked = new Exception("checked");
    MetaxyException wrapped = assertThrows(
        MetaxyException.class,
        () -> SideBySide.run(
            List.<Supplier<String>>of(() -> "a", () -> {
              throw sneaky(checked);
            }),
            "t",
            r -> {}));
    assertSame(checked, wrapped.getCause());
  }

  @Test
  void anInterruptedCallerStillWaitsForEveryTaskThenKeepsTheFlag() {
    Thread caller = Thread.currentThread();
    CountDownLatch ended = new CountDownLatch(1);
    List<Supplier<String>> tasks = List.of(
        () -> {
          caller.interrupt();
          return "a";
        },
        slow(ended, "b"));
    try {
      assertEquals(List.of("a", "b"), SideBySide.run(tasks, "t", r -> {}));
      assertEquals(0, ended.getCount());
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
    } finally {
      Thread.interrupted();
    }
  }

  /** A task that returns {@code value} after 200 ms and counts {@code ended} down. */
  private static Supplier<String> slow(CountDownLatch ended, String value) {
    return () -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      ended.countDown();
      return value;
    };
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
