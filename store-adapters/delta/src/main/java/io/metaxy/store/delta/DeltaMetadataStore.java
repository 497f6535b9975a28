package io.metaxy.store.delta;

import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import java.nio.file.Path;
import java.util.Map;

/**
 * A metadata store on Delta Lake tables under a root directory or S3 prefix, one table per feature, laid out as
 * the Python reference's {@code DeltaMetadataStore} writes them (by-field columns as structs of
 * strings, timestamps in microseconds), through Delta Kernel for Java. Each append is one Delta commit;
 * concurrent writers (threads or processes) retry on conflicts and lose nothing. The connection itself
 * is {@link DeltaConnector}'s; a store built from configuration is a {@link MetadataStore} on one.
 */
public final class DeltaMetadataStore extends MetadataStore {
  /** A store on a local root directory with the reference's default, nested, layout. */
  public DeltaMetadataStore(StoreOptions options, Path root) {
    this(options, root, DeltaConnector.Layout.NESTED);
  }

  /** A store on a local root directory with a layout. */
  public DeltaMetadataStore(StoreOptions options, Path root, DeltaConnector.Layout layout) {
    super(
        options,
        new DeltaConnector(root.toAbsolutePath().normalize().toString(), layout, Map.of()));
  }

  /**
   * A store on a root URL ({@code s3://bucket/prefix}, or a local directory) with the reference's
   * {@code storage_options} (delta-rs' key names: {@code AWS_ENDPOINT_URL}, {@code AWS_REGION}, {@code
   * AWS_ACCESS_KEY_ID}, ...; what is left out comes from the AWS environment).
   *
   * @throws IllegalArgumentException when an option is wrong, naming it
   */
  public DeltaMetadataStore(
      StoreOptions options,
      String root,
      DeltaConnector.Layout layout,
      Map<String, String> storageOptions) {
    super(options, new DeltaConnector(root, layout, storageOptions));
  }

  /** The root directory or URL. */
  public String rootPath() {
    return ((DeltaConnector) connector()).root();
  }

  /** The directory layout. */
  public DeltaConnector.Layout layout() {
    return ((DeltaConnector) connector()).layout();
  }
}
