package io.metaxy.store.postgres;

import io.metaxy.config.StoreConfig;
import io.metaxy.config.StoreKind;
import io.metaxy.store.spi.StoreConnector;
import io.metaxy.store.spi.StoreProvider;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code type = "postgres"} (or {@code postgresql}, or the upstream {@code
 * metaxy.ext.postgresql.PostgreSQLMetadataStore}): a {@link PostgresMetadataStore} with the settings
 * {@link PostgresStoreConfig#from(StoreConfig)} reads. Building it does not connect.
 */
public final class PostgresStoreProvider implements StoreProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public PostgresStoreProvider() {}

  @Override
  public String type() {
    return "postgres";
  }

  @Override
  public Set<String> aliases() {
    return Set.of(
        "metaxy.ext.postgresql.PostgreSQLMetadataStore",
        "metaxy.ext.postgresql.metadata_store.PostgreSQLMetadataStore",
        "metaxy.ext.metadata_stores.postgresql.PostgreSQLMetadataStore",
        PostgresMetadataStore.class.getName());
  }

  @Override
  public Set<String> configKeys() {
    return StoreKind.POSTGRES.backendKeys().orElseThrow();
  }

  @Override
  public StoreConnector create(StoreConfig config, Path baseDirectory) {
    return new PostgresConnector(PostgresStoreConfig.from(config));
  }
}
