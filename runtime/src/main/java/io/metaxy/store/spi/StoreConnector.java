package io.metaxy.store.spi;

import io.metaxy.versioning.HashAlgorithm;
import org.apache.arrow.memory.BufferAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Connects a store to its database: what an adapter's {@link StoreProvider} returns, and what a {@link
 * io.metaxy.store.MetadataStore} opens a {@link StoreBackend} through each time its first scope opens.
 * Everything else a store does (versioning, system columns, validation, fallbacks) is the store's, so an
 * adapter is a connector, a backend and a provider, never a store subclass.
 */
public interface StoreConnector {
  /**
   * Opens a connection to the database.
   *
   * @throws io.metaxy.MetaxyException (a {@code StoreUnavailableException}) when the database cannot be
   *     reached or opened, saying why and what to check
   */
  StoreBackend connect(ConnectRequest request);

  /**
   * A human-readable description naming the adapter and where the data lives, e.g. {@code
   * DuckDbMetadataStore(database=/abs/path)}; never the store's configured name, and never a secret.
   */
  String display();

  /** The hash algorithm of a store whose configuration names none. */
  default HashAlgorithm defaultHashAlgorithm() {
    return HashAlgorithm.XXHASH32;
  }

  /** Whether the store may use an algorithm; farmhash is refused, as the reference supports it in no store. */
  default boolean supportsHashAlgorithm(HashAlgorithm algorithm) {
    return algorithm != HashAlgorithm.FARMHASH;
  }

  /**
   * What the store asks of a connection.
   *
   * @param readOnly the store is opened for reading only: take no write locks and create nothing
   * @param storeName the store's configured name, for messages (may be {@code null})
   * @param mapLayout tables created through the connection keep by-field columns as maps where the
   *     backend has them (the reference's {@code enable_map_datatype})
   * @param allocator the store's allocator, for data the backend keeps beyond one call
   */
  record ConnectRequest(
      boolean readOnly, @Nullable String storeName, boolean mapLayout, BufferAllocator allocator) {}
}
