package io.metaxy.spark;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.md5;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.SystemColumns;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.Lineage;
import io.metaxy.store.RowFilter;
import io.metaxy.versioning.FieldRef;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;

/**
 * The sample-level versioning (versioning spec §4–§5, store spec §4) as Spark plans: the same steps as
 * the embedded {@link io.metaxy.engine.VersioningEngine}, built on the driver from the same
 * {@link FeaturePlan} (join columns, per-field parents, lineage), evaluated by executors with the
 * runtime's hash classes ({@link MetaxyFunctions}), so the values are equal bit for bit.
 *
 * <p>Every method returns lazy datasets; errors about missing columns are raised here, on the driver,
 * while the plan is built. Upstream datasets must already hold only the rows to consider (current
 * feature version, latest row per id, not deleted, dependency filters applied).
 */
public final class SparkVersioning {
  /** Prefix of the plan's own working columns, never in results. */
  private static final String WORK = "__metaxy_";

  private static final String RIGHT_SUFFIX = "_right";

  /** Upstream columns dropped before joining (versioning spec §4.2 step 1). */
  private static final Set<String> DROPPED_FROM_UPSTREAM = Set.of(
      SystemColumns.FEATURE_VERSION,
      SystemColumns.PROJECT_VERSION,
      SystemColumns.CREATED_AT,
      SystemColumns.UPDATED_AT,
      SystemColumns.MATERIALIZATION_ID,
      SystemColumns.PROVENANCE_BY_FIELD,
      SystemColumns.PROVENANCE,
      SystemColumns.DATA_VERSION);

  private final FeatureGraph graph;
  private final HashAlgorithm algorithm;
  private final Truncation truncation;
  private final @Nullable String functionCatalog;
  private final Map<FeatureKey, FeaturePlan> plans = new ConcurrentHashMap<>();

  /**
   * Versioning of {@code graph}'s features in {@code spark}, registering {@link MetaxyFunctions} in the
   * session when the algorithm needs it.
   */
  public SparkVersioning(
      SparkSession spark, FeatureGraph graph, HashAlgorithm algorithm, Truncation truncation) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.truncation = Objects.requireNonNull(truncation, "truncation");
    this.functionCatalog =
        MetaxyFunctions.provides(algorithm) ? MetaxyFunctions.register(spark) : null;
  }

  /** The plan of {@code target}, as the embedded engine has it. */
  public FeaturePlan plan(FeatureKey target) {
    return plans.computeIfAbsent(target, k -> FeaturePlan.of(graph, k));
  }

  /** {@code T(H(s))}: the configured hash of a string column, truncated; null for null. */
  public Column hash(Column s) {
    Column h = switch (algorithm) {
      case MD5 -> md5(s.cast(DataTypes.BinaryType));
      case SHA256 -> sha2(s.cast(DataTypes.BinaryType), 256);
      default -> call_function(functionCatalog + "." + algorithm.configName(), s);
    };
    return truncation.length() == 0 ? h : substring(h, 1, truncation.length());
  }

  /** The feature version of {@code key} in this graph, under this truncation. */
  public String featureVersion(FeatureKey key) {
    return graph.versions(truncation).featureVersion(key);
  }

  /**
   * The current rows of a feature's table, as a store reads them by default (store spec §3): rows of
   * the graph's current feature version, the latest row per id by
   * {@code coalesce(metaxy_deleted_at, metaxy_updated_at)} (rows whose key is null lose), tombstones
   * dropped.
   *
   * @param rows every stored row of the feature (all versions, all history)
   * @throws MetaxyException when the rows lack an id column, {@code metaxy_feature_version} or
   *     {@code metaxy_updated_at}
   */
  public Dataset<Row> current(FeatureKey key, Dataset<Row> rows) {
    return select(key, rows, featureVersion(key), false, false);
  }

  /**
   * A feature's stored rows as a read with these options selects them (store spec §3): the version
   * filter first, then the latest row per id (unless {@code sampleHistory}), then tombstones dropped
   * (unless {@code includeSoftDeleted}).
   *
   * @param rows every stored row of the feature (all versions, all history)
   * @param version the feature version to keep, or null for every version (dedup then runs across
   *     versions)
   * @param sampleHistory keep every row of each sample rather than its latest
   * @param includeSoftDeleted keep tombstones (without {@code sampleHistory}: a sample whose latest
   *     row is a tombstone is returned as that tombstone)
   * @throws MetaxyException when the rows lack an id column, {@code metaxy_feature_version} or
   *     {@code metaxy_updated_at}
   */
  public Dataset<Row> select(
      FeatureKey key,
      Dataset<Row> rows,
      @Nullable String version,
      boolean sampleHistory,
      boolean includeSoftDeleted) {
    FeatureSpec spec = graph.spec(key);
    List<String> need = new ArrayList<>(spec.idColumns());
    need.add(SystemColumns.FEATURE_VERSION);
    need.add(SystemColumns.UPDATED_AT);
    List<String> have = List.of(rows.columns());
    for (String c : need) {
      if (!have.contains(c)) {
        throw new MetaxyException(
            "stored rows of " + key + " have no '" + c + "' column; columns: " + have);
      }
    }
    boolean tombstones = have.contains(SystemColumns.DELETED_AT);
    Dataset<Row> out = version == null
        ? rows
        : rows.where(rows.col(SystemColumns.FEATURE_VERSION).equalTo(version));
    if (!sampleHistory) {
      Column deleted =
          tombstones ? rows.col(SystemColumns.DELETED_AT) : lit(null).cast(DataTypes.TimestampType);
      String rank = WORK + "rank";
      WindowSpec latest = Window.partitionBy(
              spec.idColumns().stream().map(c -> rows.col(quoted(c))).toArray(Column[]::new))
          .orderBy(coalesce(deleted, rows.col(SystemColumns.UPDATED_AT)).desc_nulls_last());
      Dataset<Row> ranked = out.withColumn(rank, row_number().over(latest));
      out = ranked.where(ranked.col(rank).equalTo(1)).drop(rank);
    }
    if (tombstones && !includeSoftDeleted) {
      out = out.where(out.col(SystemColumns.DELETED_AT).isNull());
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // expected rows

  /**
   * The expected rows of {@code target} from its upstreams' current rows: the join columns and carried
   * upstream columns, then {@code metaxy_provenance_by_field}, {@code metaxy_provenance},
   * {@code metaxy_data_version_by_field} and {@code metaxy_data_version}.
   *
   * @param upstream the rows of each dependency, keyed by upstream feature; an optional dependency may
   *     be absent (its values then count as missing)
   * @throws MetaxyException for a root feature, a missing required upstream, or an upstream that lacks
   *     a column the plan needs (named in the message)
   */
  public Dataset<Row> expected(FeatureKey target, Map<FeatureKey, Dataset<Row>> upstream) {
    FeaturePlan plan = plan(target);
    if (plan.deps().isEmpty()) {
      throw new MetaxyException("feature " + target
          + " is a root feature: its samples come from the caller (use expectedFromSamples)");
    }
    List<Prepared> prepared = new ArrayList<>();
    for (int i = 0; i < plan.deps().size(); i++) {
      FeaturePlan.DepPlan d = plan.deps().get(i);
      Dataset<Row> rows = upstream.get(d.dep().feature());
      if (rows == null) {
        if (d.dep().optional()) {
          continue;
        }
        throw new MetaxyException("expected rows of " + target + " need the rows of its upstream "
            + d.dep().feature() + " (got upstream datasets for " + upstream.keySet() + ")");
      }
      prepared.add(prepare(target, d, i, rows));
    }
    return hashed(plan, join(target, plan, prepared));
  }

  /** One dependency's rows: renamed, selected, its data versions in one working struct column. */
  private record Prepared(
      FeatureKey feature, boolean optional, String dvColumn, Dataset<Row> rows) {
    List<String> userColumns() {
      return Arrays.stream(rows.columns()).filter(c -> !c.equals(dvColumn)).toList();
    }
  }

  private Prepared prepare(FeatureKey target, FeaturePlan.DepPlan d, int index, Dataset<Row> rows) {
    FeatureDep dep = d.dep();
    FeatureKey up = dep.feature();
    String what = "upstream " + up + " of " + target;
    String dvName = WORK + "dv" + index;
    LinkedHashMap<String, Column> cols = new LinkedHashMap<>();
    Column dv = null;
    for (StructField f : rows.schema().fields()) {
      String name = f.name();
      if (DROPPED_FROM_UPSTREAM.contains(name)) {
        continue;
      }
      if (name.equals(SystemColumns.DATA_VERSION_BY_FIELD)) {
        if (!(f.dataType() instanceof StructType)) {
          throw new MetaxyException("column '" + name + "' of " + what + " must be a struct, got "
              + f.dataType().simpleString());
        }
        dv = rows.col(quoted(name));
        continue;
      }
      String renamed = dep.renamed(name);
      if (cols.containsKey(renamed)) {
        throw new MetaxyException(
            what + ": two columns are named '" + renamed + "' after renaming");
      }
      cols.put(renamed, rows.col(quoted(name)).as(renamed));
    }
    if (dv == null) {
      throw new MetaxyException(what + " has no '" + SystemColumns.DATA_VERSION_BY_FIELD
          + "' column; columns: " + List.of(rows.columns()));
    }
    if (dep.select() != null) {
      cols = select(d, cols, what);
    }
    List<Column> out = new ArrayList<>(cols.values());
    out.add(dv.as(dvName));
    Dataset<Row> prepared = rows.select(out.toArray(Column[]::new));
    if (dep.lineage() instanceof Lineage.Aggregation) {
      prepared = aggregate(d, prepared, dvName, cols.keySet(), what);
    }
    return new Prepared(up, dep.optional(), dvName, prepared);
  }

  /** The selected columns, then the lineage {@code on} columns, then (without {@code on}) the renamed ids. */
  private static LinkedHashMap<String, Column> select(
      FeaturePlan.DepPlan d, LinkedHashMap<String, Column> cols, String what) {
    FeatureDep dep = d.dep();
    LinkedHashSet<String> keep = new LinkedHashSet<>(Objects.requireNonNull(dep.select()));
    List<String> on = dep.lineage().onColumns();
    on.forEach(c -> keep.add(dep.renamed(c)));
    if (on.isEmpty()) {
      keep.addAll(d.renamedUpstreamIdColumns());
    }
    LinkedHashMap<String, Column> selected = new LinkedHashMap<>();
    for (String c : keep) {
      Column col = cols.get(c);
      if (col == null) {
        throw new MetaxyException(what + ": selected column '" + c
            + "' is not in the upstream rows (columns after rename: " + cols.keySet() + ")");
      }
      selected.put(c, col);
    }
    return selected;
  }

  /**
   * Aggregation lineage: every row's data versions replaced by its group's, per upstream field the
   * group's non-null values ordered by the upstream ids (nulls first, numbers numerically, strings by
   * UTF-8 bytes) joined with "|" and hashed; null when the group has none.
   */
  private Dataset<Row> aggregate(
      FeaturePlan.DepPlan d,
      Dataset<Row> rows,
      String dvName,
      Collection<String> columns,
      String what) {
    List<Column> group = new ArrayList<>();
    for (String c : d.inputIdColumns()) {
      if (!columns.contains(c)) {
        throw new MetaxyException(what + ": aggregation column '" + c
            + "' is not in the upstream rows (columns: " + columns + ")");
      }
      group.add(rows.col(quoted(c)));
    }
    List<Column> order = new ArrayList<>();
    for (String c : d.renamedUpstreamIdColumns()) {
      if (columns.contains(c)) {
        order.add(rows.col(quoted(c)).asc_nulls_first());
      }
    }
    if (order.isEmpty()) {
      group.forEach(g -> order.add(g.asc_nulls_first()));
    }
    WindowSpec window = Window.partitionBy(group.toArray(Column[]::new))
        .orderBy(order.toArray(Column[]::new))
        .rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Set<String> present = childNames(rows, dvName);
    List<Column> children = new ArrayList<>();
    for (FieldSpec f : d.upstream().fields()) {
      String key = f.key().structKey();
      Column values =
          present.contains(key) ? collect_list(asText(rows, dvName, key)).over(window) : null;
      Column v = values == null
          ? lit(null).cast(DataTypes.StringType)
          : when(size(values).gt(0), hash(array_join(values, "|")));
      children.add(v.as(key));
    }
    List<Column> out = new ArrayList<>();
    for (String c : columns) {
      out.add(rows.col(quoted(c)));
    }
    out.add(struct(children.toArray(Column[]::new)).as(dvName));
    return rows.select(out.toArray(Column[]::new));
  }

  /**
   * The join of the prepared rows on the plan's join columns: required dependencies inner-joined in
   * declaration order, optional ones left-joined, all-optional ones full-outer-joined (Spark coalesces
   * the keys of a full join on named columns).
   */
  private Dataset<Row> join(FeatureKey target, FeaturePlan plan, List<Prepared> prepared) {
    List<FeaturePlan.Joined<Prepared>> ordered = plan.joinOrder(prepared, Prepared::optional);
    List<String> on = plan.joinColumns();
    LinkedHashMap<FeatureKey, Collection<String>> columns = new LinkedHashMap<>();
    for (FeaturePlan.Joined<Prepared> j : ordered) {
      List<String> have = j.rows().userColumns();
      for (String c : on) {
        if (!have.contains(c)) {
          throw new MetaxyException("expected rows of " + target + ": join column '" + c
              + "' is missing from upstream " + j.rows().feature() + " (columns: " + have
              + "); no shared id columns");
        }
      }
      columns.put(j.rows().feature(), have);
    }
    plan.checkColumnCollisions(columns);
    Dataset<Row> acc = ordered.get(0).rows().rows();
    for (int i = 1; i < ordered.size(); i++) {
      String how = switch (ordered.get(i).how()) {
        case INNER -> "inner";
        case LEFT -> "left_outer";
        case FULL -> "full_outer";
        case FIRST -> throw new IllegalStateException("only the first rows are FIRST");
      };
      Dataset<Row> right = ordered.get(i).rows().rows();
      // A column both sides carry outside the join keys keeps the left name; the right one is
      // suffixed, as in the embedded engine.
      Set<String> left = new LinkedHashSet<>(List.of(acc.columns()));
      List<Column> renamed = new ArrayList<>();
      for (String c : right.columns()) {
        Column col = right.col(quoted(c));
        renamed.add(!on.contains(c) && left.contains(c) ? col.as(c + RIGHT_SUFFIX) : col);
      }
      acc = acc.join(right.select(renamed.toArray(Column[]::new)), on.toArray(String[]::new), how);
    }
    return acc;
  }

  /**
   * The joined rows with the four versioning columns (versioning spec §4.3, §4.4): per field
   * {@code T(H(key|code_version|fq(P1)|dv(P1)|...))} over its parents in the plan's order, a missing
   * value of an optional dependency counting as "", then the sample provenance over the fields in struct
   * key order.
   */
  private Dataset<Row> hashed(FeaturePlan plan, Dataset<Row> joined) {
    FeatureSpec spec = plan.spec();
    Map<FeatureKey, String> dvColumns = new LinkedHashMap<>();
    for (int i = 0; i < plan.deps().size(); i++) {
      String name = WORK + "dv" + i;
      if (List.of(joined.columns()).contains(name)) {
        dvColumns.put(plan.deps().get(i).dep().feature(), name);
      }
    }
    Map<String, Column> byField = new LinkedHashMap<>();
    for (FieldSpec f : spec.fields()) {
      List<FieldRef> parents = Objects.requireNonNull(
          plan.parents().get(f.key()), "a plan lists the parents of each of its fields");
      List<Column> parts = new ArrayList<>();
      parts.add(lit(f.key() + "|" + f.codeVersion()));
      for (FieldRef p : parents) {
        parts.add(lit("|" + p.fq() + "|"));
        boolean optional = spec.dep(p.feature()).map(FeatureDep::optional).orElse(false);
        String dv = dvColumns.get(p.feature());
        Column value;
        if (dv == null) {
          value = lit(null).cast(DataTypes.StringType);
        } else {
          String key = p.field().structKey();
          if (!childNames(joined, dv).contains(key)) {
            throw new MetaxyException("field " + f.key() + " of " + spec.key() + " hashes "
                + p.fq() + ", but the '" + SystemColumns.DATA_VERSION_BY_FIELD
                + "' struct of upstream " + p.feature() + " has no field '" + key + "' (fields: "
                + childNames(joined, dv) + ")");
          }
          value = asText(joined, dv, key);
        }
        parts.add(optional ? coalesce(value, lit("")) : value);
      }
      byField.put(f.key().structKey(), hash(concat(parts.toArray(Column[]::new))));
    }
    List<Column> out = new ArrayList<>();
    for (String c : joined.columns()) {
      if (!c.startsWith(WORK)) {
        out.add(joined.col(quoted(c)));
      }
    }
    Dataset<Row> withFields =
        joined.select(append(out, byFieldStruct(byField, SystemColumns.PROVENANCE_BY_FIELD)));
    Dataset<Row> withProv = withFields.withColumn(
        SystemColumns.PROVENANCE, sampleHash(withFields, SystemColumns.PROVENANCE_BY_FIELD, spec));
    // Data versions equal the provenance here.
    return withProv
        .withColumn(
            SystemColumns.DATA_VERSION_BY_FIELD, withProv.col(SystemColumns.PROVENANCE_BY_FIELD))
        .withColumn(SystemColumns.DATA_VERSION, withProv.col(SystemColumns.PROVENANCE));
  }

  // ---------------------------------------------------------------------------------------------
  // root samples and writes

  /**
   * The expected rows of a feature from samples the caller supplies (always for a root feature):
   * {@code metaxy_provenance} is recomputed from {@code metaxy_provenance_by_field} and the data
   * versions are defaulted as for writes.
   *
   * @throws MetaxyException when {@code metaxy_provenance_by_field} is missing, not a struct, or lacks a
   *     declared field
   */
  public Dataset<Row> expectedFromSamples(FeatureKey target, Dataset<Row> samples) {
    return complete(samples, graph.spec(target), true);
  }

  /**
   * Rows about to be written (store spec §5): {@code metaxy_provenance} computed from
   * {@code metaxy_provenance_by_field} when absent; without {@code metaxy_data_version_by_field} both
   * provenance columns are copied into the data version columns, otherwise its null rows are filled from
   * the provenance and {@code metaxy_data_version} is computed (absent) or filled (null rows).
   */
  public Dataset<Row> completeForWrite(FeatureKey target, Dataset<Row> rows) {
    return complete(rows, graph.spec(target), false);
  }

  private Dataset<Row> complete(Dataset<Row> in, FeatureSpec spec, boolean recompute) {
    Set<String> names = new LinkedHashSet<>(List.of(in.columns()));
    requireStruct(in, SystemColumns.PROVENANCE_BY_FIELD, spec, true);
    boolean hasDvbf = requireStruct(in, SystemColumns.DATA_VERSION_BY_FIELD, spec, false);
    Dataset<Row> out = in;
    if (recompute || !names.contains(SystemColumns.PROVENANCE)) {
      out = out.withColumn(
          SystemColumns.PROVENANCE, sampleHash(out, SystemColumns.PROVENANCE_BY_FIELD, spec));
    }
    Column pbf = out.col(SystemColumns.PROVENANCE_BY_FIELD);
    Column prov = out.col(SystemColumns.PROVENANCE);
    if (!hasDvbf) {
      return out.withColumn(SystemColumns.DATA_VERSION_BY_FIELD, pbf)
          .withColumn(SystemColumns.DATA_VERSION, prov);
    }
    Column dvbf = out.col(SystemColumns.DATA_VERSION_BY_FIELD);
    DataType dvbfType = out.schema().apply(SystemColumns.DATA_VERSION_BY_FIELD).dataType();
    out = out.withColumn(
        SystemColumns.DATA_VERSION_BY_FIELD,
        when(dvbf.isNull(), pbf.cast(dvbfType)).otherwise(dvbf));
    if (!names.contains(SystemColumns.DATA_VERSION)) {
      return out.withColumn(
          SystemColumns.DATA_VERSION, sampleHash(out, SystemColumns.DATA_VERSION_BY_FIELD, spec));
    }
    return out.withColumn(
        SystemColumns.DATA_VERSION, coalesce(out.col(SystemColumns.DATA_VERSION), prov));
  }

  private static boolean requireStruct(
      Dataset<Row> rows, String name, FeatureSpec spec, boolean required) {
    if (!List.of(rows.columns()).contains(name)) {
      if (required) {
        throw new MetaxyException("rows of " + spec.key() + " must have a '" + name
            + "' column (a struct with one string per field); columns present: "
            + List.of(rows.columns()));
      }
      return false;
    }
    DataType t = rows.schema().apply(name).dataType();
    if (!(t instanceof StructType)) {
      throw new MetaxyException(
          "column '" + name + "' of " + spec.key() + " must be a struct, got " + t.simpleString());
    }
    return true;
  }

  /**
   * {@code T(H("|".join(struct[k] for k in sorted struct keys of the feature's fields)))}, null where
   * any value is null.
   */
  private Column sampleHash(Dataset<Row> rows, String struct, FeatureSpec spec) {
    List<String> keys = spec.fields().stream()
        .map(f -> f.key().structKey())
        .sorted(Comparator.naturalOrder())
        .toList();
    Set<String> present = childNames(rows, struct);
    List<Column> parts = new ArrayList<>();
    for (String k : keys) {
      if (!present.contains(k)) {
        throw new MetaxyException("column '" + struct + "' of " + spec.key() + " has no field '" + k
            + "' (declared fields: " + keys + ")");
      }
      if (!parts.isEmpty()) {
        parts.add(lit("|"));
      }
      parts.add(asText(rows, struct, k));
    }
    return hash(concat(parts.toArray(Column[]::new)));
  }

  // ---------------------------------------------------------------------------------------------
  // diff

  /**
   * Compares expected with current rows of {@code target} on the plan's join columns (store spec
   * §4.5). For expansion lineage the current (child) rows are first collapsed to one row per join key,
   * each column taking a non-null value among the key's rows.
   *
   * @param current the stored rows (join columns and {@code metaxy_provenance} at least), or null when
   *     the feature has no stored rows. They must be current rows, one per id, as {@link #current}
   *     gives: when the join columns include the id columns, each expected row meets at most one of
   *     them in the single join that serves {@code toProcess}
   */
  public SparkIncrement diff(
      FeatureKey target, Dataset<Row> expected, @Nullable Dataset<Row> current) {
    return diff(target, expected, current, List.of());
  }

  /**
   * {@link #diff(FeatureKey, Dataset, Dataset)} with staleness predicates (store spec §4.5): an expected
   * row is also stale when its current row matches any of them (a null result does not match). For
   * expansion lineage they see the collapsed current rows.
   *
   * @throws IllegalArgumentException for a JVM-only predicate or one naming a column the current rows
   *     lack
   */
  public SparkIncrement diff(
      FeatureKey target,
      Dataset<Row> expected,
      @Nullable Dataset<Row> current,
      List<RowFilter> stalenessPredicates) {
    FeaturePlan plan = plan(target);
    List<String> on = plan.joinColumns();
    need(expected, on, "expected rows of " + target);
    if (current == null) {
      return new SparkIncrement(expected, expected.limit(0), expected.limit(0));
    }
    need(current, on, "current rows of " + target);
    boolean expanded =
        plan.deps().stream().anyMatch(d -> d.dep().lineage() instanceof Lineage.Expansion);
    if (expanded) {
      current = collapse(current, on);
    }
    // The two sides may come from one plan (a self-join to Spark): each side's keys are matched
    // under
    // working names, so no condition is ambiguous.
    String cprov = WORK + "current_provenance";
    List<Column> currentKeys = new ArrayList<>();
    List<Column> expectedKeys = new ArrayList<>();
    for (int i = 0; i < on.size(); i++) {
      currentKeys.add(current.col(quoted(on.get(i))).as(WORK + "c" + i));
      expectedKeys.add(expected.col(quoted(on.get(i))).as(WORK + "e" + i));
    }
    List<Column> kept = new ArrayList<>(currentKeys);
    kept.add(current.col(SystemColumns.PROVENANCE).as(cprov));
    String flagged = WORK + "by_predicate";
    if (!stalenessPredicates.isEmpty()) {
      Column any = null;
      for (RowFilter p : stalenessPredicates) {
        Column c = SparkFilters.condition(
            current, List.of(p), "the staleness predicates of " + target + "'s stored rows");
        any = any == null ? c : any.or(c);
      }
      kept.add(coalesce(any, lit(false)).as(flagged));
    }
    Dataset<Row> cur = current.select(kept.toArray(Column[]::new));
    Dataset<Row> exp = expected.select(expectedKeys.toArray(Column[]::new));
    Column matched = lit(true);
    Column orphanMatch = lit(true);
    for (int i = 0; i < on.size(); i++) {
      matched = matched.and(expected.col(quoted(on.get(i))).equalTo(cur.col(WORK + "c" + i)));
      orphanMatch =
          orphanMatch.and(current.col(quoted(on.get(i))).equalTo(exp.col(WORK + "e" + i)));
    }
    Column eprov = expected.col(SystemColumns.PROVENANCE);
    Column differs =
        cur.col(cprov).isNull().or(eprov.isNull()).or(cur.col(cprov).notEqual(eprov));
    if (!stalenessPredicates.isEmpty()) {
      differs = differs.or(cur.col(flagged));
    }
    Dataset<Row> orphaned = current.join(exp, orphanMatch, "left_anti");
    boolean uniqueCurrent = expanded || on.containsAll(plan.spec().idColumns());
    if (!uniqueCurrent) {
      // Several current rows per join key: an expected row is stale if any of them differs.
      Dataset<Row> newRows = expected.join(cur, matched, "left_anti");
      Dataset<Row> stale = expected.join(cur, matched.and(differs), "left_semi");
      return new SparkIncrement(newRows, stale, orphaned);
    }
    // At most one current row per key: one outer join serves new, stale and toProcess, so a job
    // that consumes toProcess reads and hashes the upstream rows once.
    Dataset<Row> joined = expected.join(cur, matched, "left_outer");
    Column absent = cur.col(WORK + "c0").isNull();
    Column[] columns =
        Arrays.stream(expected.columns()).map(c -> expected.col(quoted(c))).toArray(Column[]::new);
    return new SparkIncrement(
        joined.where(absent).select(columns),
        joined.where(not(absent).and(differs)).select(columns),
        orphaned,
        joined.where(absent.or(differs)).select(columns));
  }

  /** One row per join key; every other column takes a non-null value of the key's rows. */
  private static Dataset<Row> collapse(Dataset<Row> current, List<String> on) {
    List<Column> aggs = new ArrayList<>();
    for (String c : current.columns()) {
      if (!on.contains(c)) {
        aggs.add(first(current.col(quoted(c)), true).as(c));
      }
    }
    Column[] keys = on.stream().map(c -> current.col(quoted(c))).toArray(Column[]::new);
    if (aggs.isEmpty()) {
      return current.select(keys).distinct();
    }
    return current
        .groupBy(keys)
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }

  private static void need(Dataset<Row> rows, List<String> columns, String what) {
    List<String> have = List.of(rows.columns());
    List<String> missing = new ArrayList<>(columns);
    missing.add(SystemColumns.PROVENANCE);
    missing.removeAll(have);
    if (!missing.isEmpty()) {
      throw new MetaxyException(
          what + " have no '" + missing.get(0) + "' column; columns: " + have);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // columns

  private static Set<String> childNames(Dataset<Row> rows, String struct) {
    StructType t = (StructType) rows.schema().apply(struct).dataType();
    return new LinkedHashSet<>(List.of(t.fieldNames()));
  }

  /** A struct child as text (the engine hashes non-string values by their string form). */
  private static Column asText(Dataset<Row> rows, String struct, String child) {
    Column c = rows.col(quoted(struct)).getField(child);
    StructType t = (StructType) rows.schema().apply(struct).dataType();
    DataType type = t.apply(child).dataType();
    return type.equals(DataTypes.StringType) ? c : c.cast(DataTypes.StringType);
  }

  private static Column byFieldStruct(Map<String, Column> fields, String name) {
    return struct(
            fields.entrySet().stream().map(e -> e.getValue().as(e.getKey())).toArray(Column[]::new))
        .as(name);
  }

  private static Column[] append(List<Column> cols, Column extra) {
    List<Column> all = new ArrayList<>(cols);
    all.add(extra);
    return all.toArray(Column[]::new);
  }

  /** A column name for {@code Dataset.col}, which otherwise reads dots as struct access. */
  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
