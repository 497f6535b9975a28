package io.metaxy.store.iceberg;

import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A metadata store in Apache Iceberg tables: one table per feature ({@code metaxy.video__raw}) in a
 * catalog, laid out as the Python reference's Iceberg store lays it out (by-field columns as structs of
 * strings, timestamps {@code timestamptz}, unpartitioned). Every append is one Iceberg commit per table;
 * provenance is computed in the JVM. The connection itself is {@link IcebergConnector}'s.
 */
public final class IcebergMetadataStore extends MetadataStore {
  /** The default namespace and catalog name, as in the reference. */
  public static final String DEFAULT_NAMESPACE = "metaxy";

  /** A store on a local warehouse directory with the reference's default SQLite catalog. */
  public IcebergMetadataStore(StoreOptions options, String warehouse) {
    this(options, warehouse, DEFAULT_NAMESPACE, DEFAULT_NAMESPACE, null, true);
  }

  /** A store with every setting of the reference's configuration (see {@link IcebergConnector}). */
  public IcebergMetadataStore(
      StoreOptions options,
      String warehouse,
      String namespace,
      String catalogName,
      @Nullable Map<String, String> catalogProperties,
      boolean autoCreateNamespace) {
    super(
        options,
        new IcebergConnector(
            warehouse, namespace, catalogName, catalogProperties, autoCreateNamespace));
  }
}
