package io.metaxy.store;

import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock, the open scopes and the one backend connection of a {@link MetadataStore}. They live
 * together because each guards the others: the connection opens with the first scope and closes with
 * the last, and it may only be used by the thread holding the lock (a backend connection is not
 * thread-safe, and every call must see the tables as the previous call left them).
 */
final class StoreConnection {
  // Logged under the store's name, where users already look for connection problems.
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

  private final MetadataStore store;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<MetadataStore.Scope> scopes = new ArrayList<>();
  // enter() sets both with the first scope and leave() clears the backend with the last one, so
  // while a scope is open (which every reader of these checks first) neither is null.
  private @Nullable AccessMode connectedMode;
  private @Nullable StoreBackend backend;

  StoreConnection(MetadataStore store) {
    this.store = store;
  }

  /** Runs {@code body} holding the store; reentrant, so an operation may call others. */
  <T> T locked(Supplier<T> body) {
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  /** {@link #locked(Supplier)} for an operation without a result. */
  void locked(Runnable body) {
    lock.lock();
    try {
      body.run();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Registers a new scope, connecting when it is the first one. The store's configuration is checked
   * here rather than at construction: a misconfigured store can still be built and described.
   */
  MetadataStore.Scope enter(MetadataStore.Scope scope) {
    return locked(() -> {
      if (scopes.isEmpty()) {
        checkAlgorithms();
        backend = connect(scope.mode());
        connectedMode = scope.mode();
      }
      scopes.add(scope);
      return scope;
    });
  }

  /** Opens the physical connection. */
  private StoreBackend connect(AccessMode mode) {
    return store
        .connector()
        .connect(new ConnectRequest(
            mode == AccessMode.READ,
            store.name(),
            store.options().enableMapDatatype(),
            store.allocator()));
  }

  private void checkAlgorithms() {
    var algorithm = store.hashAlgorithm();
    if (!store.connector().supportsHashAlgorithm(algorithm)) {
      throw new HashAlgorithmNotSupportedException(
          store.display() + " does not support hash algorithm " + algorithm.configName());
    }
    for (MetadataStore fb : store.fallbackStores()) {
      if (fb.hashAlgorithm() != algorithm) {
        throw new IllegalArgumentException("fallback store " + fb + " uses hash_algorithm "
            + fb.hashAlgorithm().configName() + " but " + store + " uses " + algorithm.configName()
            + "; they must match");
      }
    }
  }

  /** Leaves a scope once, however often it is closed; the last one out closes the connection. */
  void leave(MetadataStore.Scope scope) {
    locked(() -> {
      // Scopes are compared by identity: only an open scope is still in the list.
      if (scopes.remove(scope) && scopes.isEmpty()) {
        StoreBackend b = openBackend();
        backend = null;
        b.close();
      }
    });
  }

  /** Leaves every open scope, innermost first. */
  void leaveAll() {
    locked(() -> {
      while (!scopes.isEmpty()) {
        leave(scopes.get(scopes.size() - 1));
      }
    });
  }

  int depth() {
    return locked(scopes::size);
  }

  /** The innermost scope the calling thread opened, else the innermost open scope (pool threads use their parent's). */
  @Nullable
  AccessMode accessMode() {
    return locked(() -> {
      Thread me = Thread.currentThread();
      for (int i = scopes.size() - 1; i >= 0; i--) {
        if (scopes.get(i).owner == me) {
          return scopes.get(i).mode();
        }
      }
      return scopes.isEmpty() ? null : scopes.get(scopes.size() - 1).mode();
    });
  }

  /** The open backend, reconnected when the previous call lost it; only while holding the store. */
  StoreBackend backend() {
    if (!lock.isHeldByCurrentThread()) {
      // A programming error of ours: every use of the connection must be serialised.
      throw new IllegalStateException("the store's backend is used without holding the store");
    }
    if (scopes.isEmpty()) {
      throw new StoreNotOpenException(store.getClass().getSimpleName()
          + " must be opened before use. Use try (var s = store.open(AccessMode.READ)) { ... }.");
    }
    StoreBackend current = openBackend();
    if (current.isBroken()) {
      // The call that lost the connection has thrown (and stored nothing); this one gets a new
      // connection.
      LOG.warn("{}: the connection was lost; reconnecting", store);
      StoreBackend lost = current;
      // When this throws (the database is still down) the lost backend stays, and the next call
      // tries again.
      current = connect(Objects.requireNonNull(connectedMode, "connectedMode"));
      backend = current;
      try {
        lost.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the lost connection of {} failed: {}", store, e.getMessage());
      }
    }
    return current;
  }

  private StoreBackend openBackend() {
    return Objects.requireNonNull(backend, "a scope is open but the store has no backend");
  }

  /** {@link #backend()}, refused unless the calling thread's scope is a write scope. */
  StoreBackend writableBackend() {
    StoreBackend b = backend();
    if (accessMode() != AccessMode.WRITE) {
      throw new StoreNotOpenException(store.getClass().getSimpleName()
          + " is open in read mode. Write operations require write mode: open(AccessMode.WRITE).");
    }
    return b;
  }
}
