/** The PostgreSQL metadata store ({@link io.metaxy.store.postgres.PostgresMetadataStore}). */
package io.metaxy.store.postgres;
