package io.metaxy.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A store's warning and progress listeners, and their dispatch. */
final class StoreListeners {
  // Copy-on-write: a BufferedMetadataWriter writes (and so warns) from its own thread.
  final List<Consumer<? super StoreWarning>> warnings = new CopyOnWriteArrayList<>();
  final List<Consumer<? super ResolveProgress>> progress = new CopyOnWriteArrayList<>();

  void warn(StoreWarning w) {
    for (var l : warnings) {
      l.accept(w);
    }
  }

  void progress(ResolveProgress p) {
    for (var l : progress) {
      l.accept(p);
    }
  }
}
