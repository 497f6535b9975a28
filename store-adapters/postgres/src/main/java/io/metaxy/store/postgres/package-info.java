/** The PostgreSQL metadata store ({@link io.metaxy.store.postgres.PostgresMetadataStore}). */
@NullMarked
package io.metaxy.store.postgres;

import org.jspecify.annotations.NullMarked;
