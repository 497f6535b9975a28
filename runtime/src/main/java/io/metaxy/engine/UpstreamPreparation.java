package io.metaxy.engine;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.SystemColumns;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.Lineage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.jspecify.annotations.Nullable;

/**
 * Turns caller batches into {@link Frame}s (versioning spec §4.2, §5): drops the system columns that
 * never reach the result, applies each dependency's rename and select, and keeps the upstream data
 * versions per upstream feature as one column per struct child. It is the only stage that reads the
 * caller's column names, so every "missing or misnamed column" error comes from here (or the join).
 */
final class UpstreamPreparation {
  /** One dependency's rows, prepared; {@code optional} decides how the join stage joins them. */
  record PreparedUpstream(FeatureKey feature, boolean optional, Frame frame) {}

  private final LineageStage lineage;

  UpstreamPreparation(LineageStage lineage) {
    this.lineage = lineage;
  }

  /**
   * The prepared rows of every dependency that has rows, in declaration order.
   *
   * @throws MetaxyException when a required dependency has no batch
   */
  List<PreparedUpstream> prepare(
      FeatureKey target,
      FeaturePlan plan,
      Map<FeatureKey, VectorSchemaRoot> upstream,
      ScratchVectors scratch) {
    List<PreparedUpstream> prepared = new ArrayList<>();
    for (FeaturePlan.DepPlan d : plan.deps()) {
      FeatureKey up = d.dep().feature();
      VectorSchemaRoot rows = upstream.get(up);
      if (rows == null) {
        if (d.dep().optional()) {
          continue;
        }
        throw new MetaxyException("expected rows of " + target + " need the rows of its upstream "
            + up + " (got upstream batches for " + upstream.keySet() + ")");
      }
      prepared.add(new PreparedUpstream(up, d.dep().optional(), prepare(target, d, rows, scratch)));
    }
    return prepared;
  }

  private Frame prepare(
      FeatureKey target, FeaturePlan.DepPlan d, VectorSchemaRoot rows, ScratchVectors scratch) {
    FeatureDep dep = d.dep();
    FeatureKey up = dep.feature();
    String what = "upstream " + up + " of " + target;
    LinkedHashMap<String, Col> cols = new LinkedHashMap<>();
    Map<String, Col> dv = null;
    for (FieldVector v : rows.getFieldVectors()) {
      String name = v.getName();
      if (ProvenanceColumns.DROPPED_FROM_UPSTREAM.contains(name)
          || name.equals(SystemColumns.PROVENANCE_BY_FIELD)
          || name.equals(SystemColumns.PROVENANCE)
          || name.equals(SystemColumns.DATA_VERSION)) {
        // The provenance columns of upstream rows never reach the result; only data versions feed
        // hashes.
        continue;
      }
      if (name.equals(SystemColumns.DATA_VERSION_BY_FIELD)) {
        dv = byField(v, what);
        continue;
      }
      String renamed = dep.renamed(name);
      if (cols.containsKey(renamed)) {
        throw new MetaxyException(
            what + ": two columns are named '" + renamed + "' after renaming");
      }
      cols.put(renamed, Col.of(renamed, v));
    }
    if (dv == null) {
      throw new MetaxyException(what + " has no '" + SystemColumns.DATA_VERSION_BY_FIELD
          + "' column; columns: " + ProvenanceColumns.columnNames(rows));
    }
    if (dep.select() != null) {
      cols = select(d, cols, what);
    }
    int n = rows.getRowCount();
    if (dep.lineage() instanceof Lineage.Aggregation) {
      dv = lineage.aggregate(d, n, cols, dv, what, scratch);
    }
    LinkedHashMap<FeatureKey, Map<String, Col>> dvs = new LinkedHashMap<>();
    dvs.put(up, dv);
    return new Frame(n, cols, dvs);
  }

  /** The selected columns, then the lineage {@code on} columns, then (without {@code on}) the renamed ids. */
  private static LinkedHashMap<String, Col> select(
      FeaturePlan.DepPlan d, LinkedHashMap<String, Col> cols, String what) {
    FeatureDep dep = d.dep();
    LinkedHashSet<String> keep = new LinkedHashSet<>(dep.select());
    List<String> on = dep.lineage().onColumns();
    on.forEach(c -> keep.add(dep.renamed(c)));
    if (on.isEmpty()) {
      keep.addAll(d.renamedUpstreamIdColumns());
    }
    LinkedHashMap<String, Col> selected = new LinkedHashMap<>();
    for (String c : keep) {
      Col col = cols.get(c);
      if (col == null) {
        throw new MetaxyException(what + ": selected column '" + c
            + "' is not in the upstream rows (columns after" + " rename: " + cols.keySet() + ")");
      }
      selected.put(c, col);
    }
    return selected;
  }

  /**
   * A frame over rows the caller joined itself ({@code compute_provenance}, store spec §1.8): the data
   * versions of upstream U come from {@code metaxy_data_version_by_field__<U>}; the renamed upstream
   * {@code *_by_field} and provenance columns and the target's own versioning columns are dropped, the
   * rest is carried.
   *
   * @throws MetaxyException naming the missing upstream columns
   */
  Frame fromJoinedRows(FeatureKey target, FeaturePlan plan, VectorSchemaRoot rows) {
    Set<String> dropped = new LinkedHashSet<>(List.of(
        SystemColumns.PROVENANCE_BY_FIELD,
        SystemColumns.PROVENANCE,
        SystemColumns.DATA_VERSION_BY_FIELD,
        SystemColumns.DATA_VERSION));
    LinkedHashMap<FeatureKey, Map<String, Col>> dvs = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (FeaturePlan.DepPlan d : plan.deps()) {
      String suffix = d.dep().feature().columnSuffix();
      String name = SystemColumns.DATA_VERSION_BY_FIELD + suffix;
      dropped.add(name);
      dropped.add(SystemColumns.PROVENANCE_BY_FIELD + suffix);
      dropped.add(SystemColumns.PROVENANCE + suffix);
      FieldVector v = rows.getVector(name);
      if (v == null) {
        missing.add(name);
        continue;
      }
      dvs.put(d.dep().feature(), byField(v, null));
    }
    if (!missing.isEmpty()) {
      throw new MetaxyException("rows for " + target + " are missing required upstream columns "
          + missing + "; columns present: " + ProvenanceColumns.columnNames(rows));
    }
    LinkedHashMap<String, Col> cols = new LinkedHashMap<>();
    for (FieldVector v : rows.getFieldVectors()) {
      if (!dropped.contains(v.getName())) {
        cols.put(v.getName(), Col.of(v.getName(), v));
      }
    }
    return new Frame(rows.getRowCount(), cols, dvs);
  }

  /**
   * The children of a {@code *_by_field} struct, by struct key. Reading the children in place (null
   * where the struct row is null) instead of rebuilding suffixed struct columns lets the hashing stage
   * read their buffers directly.
   *
   * @param what the batch named in the error, or null for none
   */
  private static Map<String, Col> byField(FieldVector v, @Nullable String what) {
    if (!(v instanceof StructVector s)) {
      throw new MetaxyException("column '" + v.getName() + "'" + (what == null ? "" : " of " + what)
          + " must be a struct, got " + v.getField().getType());
    }
    Map<String, Col> dv = new LinkedHashMap<>();
    for (FieldVector child : s.getChildrenFromFields()) {
      dv.put(child.getName(), new Col(child.getName(), child, s, null, null));
    }
    return dv;
  }
}
