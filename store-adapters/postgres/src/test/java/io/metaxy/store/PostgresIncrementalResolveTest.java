package io.metaxy.store;

import io.metaxy.store.postgres.PostgresMetadataStore;
import io.metaxy.store.postgres.PostgresServer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/** Incremental against full resolves on PostgreSQL; every store gets its own schema. */
@ExtendWith(PostgresServer.class)
class PostgresIncrementalResolveTest extends IncrementalResolveSuite {
  private final Map<MetadataStore, String> schemas = new IdentityHashMap<>();

  @Override
  protected MetadataStore newStore(StoreOptions options) {
    String url = PostgresServer.freshSchema();
    MetadataStore s = new PostgresMetadataStore(options, url);
    schemas.put(s, url);
    return s;
  }

  @Override
  protected void dispose(MetadataStore store) {
    String url = schemas.remove(store);
    if (url != null) {
      PostgresServer.dropSchema(url);
    }
  }

  @Override
  protected int histories() {
    return 100;
  }
}
