package io.metaxy.spark;

import static org.apache.spark.sql.functions.lit;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.SystemColumns;
import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.Filters;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.DeleteOptions;
import io.metaxy.store.FeatureNotFoundException;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.ResolveOptions;
import io.metaxy.store.RowFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A metadata store on Spark: the feature tables of the embedded Delta or Iceberg store, read and
 * written by Spark, with the versioning of {@link SparkVersioning}. Tables, columns and values are
 * those of {@code metaxy-store-delta} / {@code metaxy-store-iceberg} (and of the reference's stores),
 * so a table written here resolves as "nothing to do" there and the other way round.
 *
 * <p>Results are lazy datasets: nothing runs until the caller writes, counts or collects. Each
 * {@link #write} is one Delta or Iceberg commit.
 */
public final class SparkMetadataStore {
  private static final Logger LOG = LoggerFactory.getLogger(SparkMetadataStore.class);
  private static final String DELTA_SUFFIX = ".delta";

  private final SparkSession spark;
  private final SparkStoreOptions options;
  private final SparkVersioning versioning;
  private final Tables tables;
  private final List<SparkMetadataStore> fallbacks;

  private SparkMetadataStore(
      SparkSession spark,
      SparkStoreOptions options,
      Tables tables,
      List<SparkMetadataStore> fallbacks) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.options = Objects.requireNonNull(options, "options");
    this.tables = tables;
    this.fallbacks = List.copyOf(fallbacks);
    this.versioning =
        new SparkVersioning(spark, options.graph(), options.hashAlgorithm(), options.truncation());
  }

  private SparkMetadataStore(SparkSession spark, SparkStoreOptions options, Tables tables) {
    this(spark, options, tables, List.of());
  }

  /**
   * This store with read-only fallback stores (store spec §3, §6.4): a feature without a table here is
   * read from the first of them that has it (each consulting its own fallbacks in turn), all rows from
   * that one store. Reads and the upstreams of {@code resolveUpdate} use them; the target of a resolve,
   * {@link #stored} and {@link #write} never do.
   *
   * @throws IllegalArgumentException when a fallback hashes with another algorithm or truncation (its
   *     provenance could never equal this store's)
   */
  public SparkMetadataStore withFallbacks(SparkMetadataStore... stores) {
    for (SparkMetadataStore f : stores) {
      if (f.options.hashAlgorithm() != options.hashAlgorithm()
          || !f.options.truncation().equals(options.truncation())) {
        throw new IllegalArgumentException("fallback store " + f + " hashes with "
            + f.options.hashAlgorithm() + " / " + f.options.truncation() + ", this store with "
            + options.hashAlgorithm() + " / " + options.truncation());
      }
    }
    return new SparkMetadataStore(spark, options, tables, List.of(stores));
  }

  /** The fallback stores, in the order they are consulted. */
  public List<SparkMetadataStore> fallbacks() {
    return fallbacks;
  }

  /**
   * The Delta tables under {@code root} (a path Spark's Hadoop file systems reach: local, {@code s3a://},
   * ...). The session needs Delta's extension and catalog ({@code io.delta:delta-spark}).
   */
  public static SparkMetadataStore delta(
      SparkSession spark, String root, SparkStoreOptions options) {
    String r = Objects.requireNonNull(root, "root").replaceAll("/+$", "");
    return new SparkMetadataStore(spark, options, new DeltaTables(spark, r, options.flatLayout()));
  }

  /**
   * The Iceberg tables of namespace {@code namespace} in the session's Iceberg catalog {@code catalog}
   * ({@code spark.sql.catalog.<catalog> = org.apache.iceberg.spark.SparkCatalog}, with
   * {@code iceberg-spark-runtime} on the class path). To share tables with the embedded Iceberg store,
   * configure the catalog as the store's (type, URI, warehouse) and give both the same catalog name:
   * a JDBC catalog keeps each catalog name's tables apart.
   */
  public static SparkMetadataStore iceberg(
      SparkSession spark, String catalog, String namespace, SparkStoreOptions options) {
    return new SparkMetadataStore(
        spark,
        options,
        new IcebergTables(
            spark,
            Objects.requireNonNull(catalog, "catalog"),
            Objects.requireNonNull(namespace, "namespace")));
  }

  /** The versioning this store resolves with. */
  public SparkVersioning versioning() {
    return versioning;
  }

  /** The settings. */
  public SparkStoreOptions options() {
    return options;
  }

  /**
   * Where a feature's table is. Delta: its directory, as the Delta store lays it out ({@code
   * video/raw} is {@code <root>/video/raw.delta} nested or {@code <root>/video__raw.delta} flat).
   * Iceberg: its name in the session, {@code <catalog>.<namespace>.video__raw}.
   */
  public String tablePath(FeatureKey key) {
    return tables.location(key);
  }

  /** Whether the feature has a table here (fallbacks not consulted). */
  public boolean hasFeature(FeatureKey key) {
    return tables.exists(key);
  }

  /** Whether the feature has a table here or, with {@code checkFallbacks}, in a fallback store. */
  public boolean hasFeature(FeatureKey key, boolean checkFallbacks) {
    return hasFeature(key)
        || (checkFallbacks && fallbacks.stream().anyMatch(f -> f.hasFeature(key, true)));
  }

  /**
   * The current rows of a feature (store spec §3: current feature version, latest row per id, no
   * tombstones), from this store or else from the first fallback that has the feature.
   *
   * @throws FeatureNotFoundException when neither this store nor a fallback has the feature
   */
  public Dataset<Row> read(FeatureKey key) {
    return current(key).orElseThrow(() -> notFound(key));
  }

  /** The current rows of a feature here, else from the first fallback that has it. */
  private Optional<Dataset<Row>> current(FeatureKey key) {
    Optional<Dataset<Row>> here = stored(key).map(r -> versioning.current(key, r));
    if (here.isPresent()) {
      return here;
    }
    for (SparkMetadataStore f : fallbacks) {
      Optional<Dataset<Row>> there = f.current(key);
      if (there.isPresent()) {
        LOG.debug("{} read from fallback {}", key, f);
        return there;
      }
    }
    return Optional.empty();
  }

  /**
   * The current rows of a feature that match every filter (store spec §8 syntax); filters see the
   * deduplicated rows, as on every store.
   *
   * @throws FeatureNotFoundException when the feature has no table
   * @throws io.metaxy.filter.FilterSyntaxException for a filter that does not parse
   */
  public Dataset<Row> read(FeatureKey key, List<String> filters) {
    return SparkFilters.apply(read(key), filters);
  }

  /**
   * A feature's rows as a read with these options selects them (store spec §3): version scope
   * ({@code featureVersion} needs {@code withFeatureHistory}), latest row per id unless
   * {@code withSampleHistory}, tombstones unless {@code includeSoftDeleted}, then the filters, then the
   * {@code columns} in their order. A feature with no table here is read from the fallbacks when
   * {@code allowFallback}.
   *
   * @throws FeatureNotFoundException when neither this store nor (if allowed) a fallback has the
   *     feature
   * @throws IllegalArgumentException for a feature version without feature history, a JVM-only filter,
   *     or a filter or column the rows lack
   */
  public Dataset<Row> read(FeatureKey key, ReadOptions options) {
    if (options.featureVersion() != null && !options.withFeatureHistory()) {
      throw new IllegalArgumentException("a read of " + key + " at feature version "
          + options.featureVersion() + " needs withFeatureHistory");
    }
    Optional<Dataset<Row>> stored = stored(key);
    if (stored.isEmpty()) {
      if (options.allowFallback()) {
        for (SparkMetadataStore f : fallbacks) {
          if (f.hasFeature(key, true)) {
            return f.read(key, options);
          }
        }
      }
      throw notFound(key);
    }
    String version =
        options.withFeatureHistory() ? options.featureVersion() : versioning.featureVersion(key);
    Dataset<Row> rows = SparkFilters.apply(
        versioning.select(
            key, stored.get(), version, options.withSampleHistory(), options.includeSoftDeleted()),
        options.filters(),
        "the rows of " + key);
    List<String> columns = options.columns();
    if (columns == null) {
      return rows;
    }
    List<String> have = List.of(rows.columns());
    for (String c : columns) {
      if (!have.contains(c)) {
        throw new IllegalArgumentException(
            "a read of " + key + " asks for column '" + c + "', which its rows lack: " + have);
      }
    }
    return rows.select(
        columns.stream().map(c -> rows.col(SparkVersioning.quoted(c))).toArray(Column[]::new));
  }

  /**
   * Deletes rows of a feature (store spec §6.1), in one commit.
   *
   * <ul>
   *   <li>Soft ({@link DeleteOptions#SOFT}): the rows a read with these filters and history flags
   *       returns (from a fallback when this store has no table) are appended again as tombstones:
   *       {@code metaxy_deleted_at} is the delete's time, the creation and update times are kept, the
   *       feature and project versions are this graph's. Default reads then hide those samples;
   *       writing a sample again undoes its delete.
   *   <li>Hard: the stored rows matching every filter are removed, every row of them (no dedup), of
   *       the current feature version unless {@link DeleteOptions#withFeatureHistory}; no filters with
   *       feature history empties the table.
   * </ul>
   *
   * @throws FeatureNotFoundException for a hard delete of a feature with no table here, or a soft delete
   *     of one that neither this store nor a fallback has
   * @throws IllegalArgumentException for a JVM-only filter, or a filter naming a column the rows lack
   */
  public void delete(FeatureKey key, List<RowFilter> filters, DeleteOptions options) {
    if (options.soft()) {
      ReadOptions read = ReadOptions.DEFAULT.filters(filters);
      if (options.withFeatureHistory()) {
        read = read.featureHistory();
      }
      if (options.withSampleHistory()) {
        read = read.sampleHistory();
      }
      Dataset<Row> rows = read(key, read);
      if (rows.isEmpty()) {
        return; // no empty commit, as on the embedded stores
      }
      Timestamp ts = Timestamp.from(Instant.now());
      Dataset<Row> tombstones =
          stamped(key, rows.withColumn(SystemColumns.DELETED_AT, lit(ts)), ts, true);
      LOG.debug("soft-deleting rows of {} at {}", key, tables.location(key));
      tables.append(key, tombstones);
      return;
    }
    if (!hasFeature(key)) {
      throw new FeatureNotFoundException(
          "cannot delete from " + key + ": no table in " + this, List.of(key));
    }
    List<FilterExpr> all = new ArrayList<>();
    if (!options.withFeatureHistory()) {
      all.add(RowFilter.eq(SystemColumns.FEATURE_VERSION, versioning.featureVersion(key))
          .expression());
    }
    // Checked against the table's columns, so a bad filter fails here rather than in the statement.
    SparkFilters.condition(tables.load(key), filters, "the delete from " + key);
    for (RowFilter f : filters) {
      all.add(Objects.requireNonNull(f.expression()));
    }
    LOG.debug("deleting rows of {} at {}", key, tables.location(key));
    tables.delete(key, all.isEmpty() ? null : SparkFilters.sql(Filters.and(all)));
  }

  /**
   * A dependency's filters over its upstream's current rows. They name columns as the dependency's
   * rename leaves them (store spec §4.2 step 3), so each name is mapped back to the stored column.
   */
  private static Dataset<Row> depFiltered(FeatureKey target, FeatureDep dep, Dataset<Row> rows) {
    List<String> filters = dep.sqlFilters();
    if (filters == null || filters.isEmpty()) {
      return rows;
    }
    FilterExpr expr = Filters.parseAll(filters);
    Map<String, String> stored = new LinkedHashMap<>();
    for (String c : rows.columns()) {
      stored.put(dep.renamed(c), c);
    }
    for (String c : Filters.columns(expr)) {
      if (!stored.containsKey(c)) {
        throw new MetaxyException("filter " + filters + " of the dependency of " + target + " on "
            + dep.feature() + " names column '" + c + "', which its rows lack (columns after"
            + " rename: " + stored.keySet() + ")");
      }
    }
    return rows.where(SparkFilters.condition(
        expr, name -> rows.col(SparkVersioning.quoted(stored.getOrDefault(name, name)))));
  }

  /** Every stored row of a feature, all versions and history, if it has a table. */
  public Optional<Dataset<Row>> stored(FeatureKey key) {
    if (!hasFeature(key)) {
      return Optional.empty();
    }
    return Optional.of(tables.load(key));
  }

  /**
   * What to compute for a feature with dependencies: its expected rows from its upstreams' current rows
   * against its own current rows.
   *
   * @throws FeatureNotFoundException when a required upstream has no table
   * @throws IllegalArgumentException for a root feature (it needs samples)
   */
  public SparkIncrement resolveUpdate(FeatureKey key) {
    return resolveUpdate(key, ResolveOptions.DEFAULT);
  }

  /**
   * {@link #resolveUpdate(FeatureKey)} with the embedded store's options (store spec §4): filters per
   * feature (target or upstream, on its current rows), global filters (target and every upstream),
   * target-only filters, staleness predicates, and skipping the comparison. Filters and predicates must
   * be filter-language expressions ({@link RowFilter#sql}, {@link RowFilter#eq}, ...), which Spark
   * evaluates; a lambda is refused. {@link ResolveOptions#partitionRows} is the embedded engine's
   * memory bound and has no meaning here (Spark partitions the work itself).
   *
   * @throws IllegalArgumentException for a root feature, samples in the options (pass them as a
   *     {@code Dataset} to {@link #resolveUpdate(FeatureKey, Dataset, ResolveOptions)}), a JVM-only
   *     filter, or a filter naming a column its rows lack
   * @throws FeatureNotFoundException when a required upstream has no table
   */
  public SparkIncrement resolveUpdate(FeatureKey key, ResolveOptions options) {
    if (options.samples() != null) {
      throw new IllegalArgumentException("the options for " + key + " hold Arrow samples; on Spark"
          + " samples are a Dataset: use resolveUpdate(key, samples, options)");
    }
    FeaturePlan plan = versioning.plan(key);
    if (plan.deps().isEmpty()) {
      throw new IllegalArgumentException("feature " + key
          + " is a root feature (no dependencies): resolveUpdate must be given samples");
    }
    Map<FeatureKey, Dataset<Row>> upstream = new LinkedHashMap<>();
    for (FeaturePlan.DepPlan d : plan.deps()) {
      FeatureDep dep = d.dep();
      Optional<Dataset<Row>> rows = current(dep.feature());
      if (rows.isPresent()) {
        List<RowFilter> filters =
            new ArrayList<>(options.filters().getOrDefault(dep.feature(), List.of()));
        filters.addAll(options.globalFilters());
        Dataset<Row> current =
            SparkFilters.apply(rows.get(), filters, "upstream " + dep.feature() + " of " + key);
        upstream.put(dep.feature(), depFiltered(key, dep, current));
      } else if (!dep.optional()) {
        throw notFound(dep.feature());
      }
    }
    return diff(key, versioning.expected(key, upstream), options);
  }

  /**
   * What to compute for a root feature, given its samples ({@code metaxy_provenance_by_field} per id;
   * the provenance is recomputed from it).
   */
  public SparkIncrement resolveUpdate(FeatureKey key, Dataset<Row> samples) {
    return resolveUpdate(key, samples, ResolveOptions.DEFAULT);
  }

  /**
   * {@link #resolveUpdate(FeatureKey, Dataset)} with options, as {@link #resolveUpdate(FeatureKey,
   * ResolveOptions)} takes them; the target's filters apply to the samples too.
   *
   * @throws IllegalArgumentException for samples also given in the options, a JVM-only filter, or a
   *     filter naming a column the rows lack
   */
  public SparkIncrement resolveUpdate(
      FeatureKey key, Dataset<Row> samples, ResolveOptions options) {
    if (options.samples() != null) {
      throw new IllegalArgumentException(
          "samples for " + key + " are given twice: as a Dataset and in the options");
    }
    Dataset<Row> expected = versioning.expectedFromSamples(
        key, SparkFilters.apply(samples, targetFilters(key, options), "the samples of " + key));
    return diff(key, expected, options);
  }

  /** The expected rows against the target's current rows, under the options. */
  private SparkIncrement diff(FeatureKey key, Dataset<Row> expected, ResolveOptions options) {
    Dataset<Row> current = options.skipComparison()
        ? null
        : stored(key)
            .map(r -> SparkFilters.apply(
                versioning.current(key, r),
                targetFilters(key, options),
                "the stored rows of " + key))
            .orElse(null);
    return versioning.diff(key, expected, current, options.stalenessPredicates());
  }

  /** What narrows the target's rows: its own filters, the global ones and the target-only ones. */
  private static List<RowFilter> targetFilters(FeatureKey key, ResolveOptions options) {
    List<RowFilter> out = new ArrayList<>(options.filters().getOrDefault(key, List.of()));
    out.addAll(options.globalFilters());
    out.addAll(options.targetFilters());
    return out;
  }

  /**
   * Appends rows of a feature in one commit (store spec §5): the feature and project versions of this
   * graph, {@code metaxy_provenance} and the data versions where absent, one timestamp for
   * {@code metaxy_created_at} (where absent) and {@code metaxy_updated_at}, {@code metaxy_deleted_at}
   * null where absent, the options' materialization id; columns in the reference's order. The first
   * write creates the table; a write with new columns adds them.
   *
   * @throws MetaxyException when the rows lack {@code metaxy_provenance_by_field} or a declared
   *     field in it, or lack an id column
   */
  public void write(FeatureKey key, Dataset<Row> rows) {
    FeatureSpec spec = options.graph().spec(key);
    List<String> given = List.of(rows.columns());
    for (String id : spec.idColumns()) {
      if (!given.contains(id)) {
        throw new MetaxyException(
            "rows of " + key + " lack the id column '" + id + "'; columns: " + given);
      }
    }
    LOG.debug("appending to {} at {}", key, tables.location(key));
    tables.append(key, stamped(key, rows, Timestamp.from(Instant.now()), false));
  }

  /**
   * The rows with their system columns as a write stamps them at {@code now}; a tombstone keeps the
   * rows' update time (its deletion time orders it).
   */
  private Dataset<Row> stamped(
      FeatureKey key, Dataset<Row> rows, Timestamp now, boolean tombstone) {
    List<String> given = List.of(rows.columns());
    Dataset<Row> out = versioning.completeForWrite(
        key, rows.drop(SystemColumns.FEATURE_VERSION, SystemColumns.PROJECT_VERSION));
    out = out.withColumn(SystemColumns.FEATURE_VERSION, lit(versioning.featureVersion(key)))
        .withColumn(
            SystemColumns.PROJECT_VERSION,
            lit(options
                .graph()
                .projectVersion(options.graph().definition(key).project(), options.truncation())));
    if (!given.contains(SystemColumns.CREATED_AT)) {
      out = out.withColumn(SystemColumns.CREATED_AT, lit(now));
    }
    if (!tombstone || !given.contains(SystemColumns.UPDATED_AT)) {
      out = out.withColumn(SystemColumns.UPDATED_AT, lit(now));
    }
    if (!given.contains(SystemColumns.DELETED_AT)) {
      out = out.withColumn(SystemColumns.DELETED_AT, lit(null).cast(DataTypes.TimestampType));
    }
    String mid = options.materializationId();
    out = out.withColumn(
        SystemColumns.MATERIALIZATION_ID,
        mid == null ? lit(null).cast(DataTypes.StringType) : lit(mid));
    List<Column> ordered = new ArrayList<>();
    for (String c : SystemColumns.referenceOrder(given, false)) {
      ordered.add(out.col(SparkVersioning.quoted(c)));
    }
    return out.select(ordered.toArray(Column[]::new));
  }

  private FeatureNotFoundException notFound(FeatureKey key) {
    return new FeatureNotFoundException(
        "Feature " + key + " not found in " + this
            + (fallbacks.isEmpty() ? "" : " or its fallbacks"),
        List.of(key));
  }

  @Override
  public String toString() {
    return "SparkMetadataStore(" + tables + ")";
  }

  /** Where the feature tables are and how Spark reads and appends them. */
  private interface Tables {
    String location(FeatureKey key);

    boolean exists(FeatureKey key);

    Dataset<Row> load(FeatureKey key);

    /** One commit; creates the table, or adds the rows' new columns to it. */
    void append(FeatureKey key, Dataset<Row> rows);

    /** Removes the rows matching a Spark SQL condition (every row when null), in one commit. */
    void delete(FeatureKey key, @Nullable String condition);
  }

  private record DeltaTables(SparkSession spark, String root, boolean flat) implements Tables {
    @Override
    public String location(FeatureKey key) {
      String table = key.tableName();
      return root + "/" + (flat ? table : String.join("/", table.split("__", -1))) + DELTA_SUFFIX;
    }

    @Override
    public boolean exists(FeatureKey key) {
      Path log = new Path(location(key), "_delta_log");
      try {
        FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
        return fs.exists(log);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot check the table of " + key + " at " + log, e);
      }
    }

    @Override
    public Dataset<Row> load(FeatureKey key) {
      return spark.read().format("delta").load(location(key));
    }

    @Override
    public void append(FeatureKey key, Dataset<Row> rows) {
      rows.write().format("delta").mode("append").option("mergeSchema", "true").save(location(key));
    }

    @Override
    public void delete(FeatureKey key, @Nullable String condition) {
      spark.sql("DELETE FROM delta." + SparkFilters.identifier(location(key))
          + (condition == null ? "" : " WHERE " + condition));
    }

    @Override
    public String toString() {
      return "delta, root=" + root + ", layout=" + (flat ? "flat" : "nested");
    }
  }

  private record IcebergTables(SparkSession spark, String catalog, String namespace)
      implements Tables {
    @Override
    public String location(FeatureKey key) {
      return catalog + "." + namespace + "." + key.tableName();
    }

    @Override
    public boolean exists(FeatureKey key) {
      return spark.catalog().tableExists(location(key));
    }

    @Override
    public Dataset<Row> load(FeatureKey key) {
      // Iceberg's Spark catalog caches loaded tables (30 s by default): without a refresh a resolve
      // would miss the commits other writers made since.
      spark.catalog().refreshTable(location(key));
      return spark.table(location(key));
    }

    @Override
    public void append(FeatureKey key, Dataset<Row> rows) {
      String name = location(key);
      if (!exists(key)) {
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + catalog + "." + namespace);
        try {
          // The embedded store's tables: unpartitioned, Iceberg's defaults otherwise.
          rows.writeTo(name).create();
          return;
        } catch (TableAlreadyExistsException e) {
          // Another writer created it first: append as to any existing table.
          LOG.debug("{} was created concurrently; appending", name);
        }
      }
      // New top-level columns are added first (the embedded store's tables do not accept any
      // schema).
      List<String> have =
          List.of(load(key).columns()); // refreshed: another writer may have added some
      for (StructField f : rows.schema().fields()) {
        if (!have.contains(f.name())) {
          spark.sql("ALTER TABLE " + name + " ADD COLUMN " + SparkVersioning.quoted(f.name()) + " "
              + f.dataType().sql());
        }
      }
      try {
        rows.writeTo(name).append();
      } catch (NoSuchTableException e) {
        throw new MetaxyException(
            "the table of " + key + " (" + name + ") was dropped during the write", e);
      }
    }

    @Override
    public void delete(FeatureKey key, @Nullable String condition) {
      spark.catalog().refreshTable(location(key));
      spark.sql("DELETE FROM " + SparkFilters.identifier(catalog) + "."
          + SparkFilters.identifier(namespace) + "." + SparkFilters.identifier(key.tableName())
          + (condition == null ? "" : " WHERE " + condition));
    }

    @Override
    public String toString() {
      return "iceberg, catalog=" + catalog + ", namespace=" + namespace;
    }
  }
}
