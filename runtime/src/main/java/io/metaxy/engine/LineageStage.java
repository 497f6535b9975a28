package io.metaxy.engine;

import io.metaxy.MetaxyException;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.spec.FieldSpec;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import io.metaxy.versioning.hash.SampleHasher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where upstream and target row granularity differ (versioning spec §4.2 lineage). Identity needs
 * nothing. Aggregation (N:1) is resolved while upstream rows are prepared: each group's data versions
 * are hashed into one value every row of the group points at. Expansion (1:N) is resolved in the diff:
 * expected rows are at parent granularity, so current (child) rows are collapsed to one per parent.
 */
final class LineageStage {
  /** Rows numbered by group ({@code idOfRow[r]} in {@code [0, count)}, by first appearance). */
  record RowGroups(int[] idOfRow, int count) {}

  /**
   * Current rows of an expansion feature seen one row per parent.
   *
   * @param groups the parent (join key) of every current row
   * @param perParent one row per parent, row-mapped onto the current rows
   */
  record CollapsedCurrent(RowGroups groups, DiffStage.DiffSide perParent) {}

  private final HashAlgorithm algorithm;
  private final Truncation truncation;
  private final BufferAllocator allocator;

  LineageStage(HashAlgorithm algorithm, Truncation truncation, BufferAllocator allocator) {
    this.algorithm = algorithm;
    this.truncation = truncation;
    this.allocator = allocator;
  }

  /** Groups rows {@code [0, n)} by {@code keys}; null keys group together. */
  static RowGroups group(List<Col> keys, int n) {
    int[] gid = KeyTable.groupIds(keys, n);
    int groups = 0;
    for (int g : gid) {
      groups = Math.max(groups, g + 1);
    }
    return new RowGroups(gid, groups);
  }

  // ---------------------------------------------------------------------------------------------
  // aggregation

  /**
   * Aggregation lineage: the data versions of {@code d}'s upstream with every row replaced by its
   * group's value. Rows are grouped by the {@code on} columns (or the target's ids) and kept.
   *
   * @param cols the prepared (renamed, selected) columns
   * @param what the upstream named in errors
   * @param scratch owns the per-group value vectors
   */
  Map<String, Col> aggregate(
      FeaturePlan.DepPlan d,
      int n,
      Map<String, Col> cols,
      Map<String, Col> dv,
      String what,
      ScratchVectors scratch) {
    List<Col> group = new ArrayList<>();
    for (String c : d.inputIdColumns()) {
      Col col = cols.get(c);
      if (col == null) {
        throw new MetaxyException(what + ": aggregation column '" + c
            + "' is not in the upstream rows (columns: " + cols.keySet() + ")");
      }
      group.add(col);
    }
    List<Col> order = new ArrayList<>();
    for (String c : d.renamedUpstreamIdColumns()) {
      if (cols.containsKey(c)) {
        order.add(cols.get(c));
      }
    }
    return hashGroups(
        d.upstream().fields(), n, group, order.isEmpty() ? group : order, dv, scratch);
  }

  /**
   * Per group, per upstream field, the group's data versions ordered by {@code order} are joined with
   * "|" (nulls skipped) and hashed. Each group's value is computed once into a scratch vector; the
   * returned columns reach it through a row mapping (row to group).
   */
  private Map<String, Col> hashGroups(
      List<FieldSpec> fields,
      int n,
      List<Col> group,
      List<Col> order,
      Map<String, Col> dv,
      ScratchVectors scratch) {
    RowGroups rg = group(group, n);
    int[] gid = rg.idOfRow();
    int groups = rg.count();
    int[] perm = IntStream.range(0, n).toArray();
    IntSort.sort(perm, (a, b) -> {
      int c = Integer.compare(gid[a], gid[b]);
      for (int i = 0; c == 0 && i < order.size(); i++) {
        c = order.get(i).compare(a, b);
      }
      return c;
    });
    Map<String, Col> out = new LinkedHashMap<>();
    var hasher = algorithm.newHasher();
    int limit = truncation.length() == 0 ? Integer.MAX_VALUE : truncation.length();
    byte[] digest = new byte[SampleHasher.MAX_LENGTH];
    ByteBuf buf = new ByteBuf(256);
    for (FieldSpec f : fields) {
      String key = f.key().structKey();
      Col values = dv.get(key);
      Utf8Out res = new Utf8Out(groups, 20);
      int i = 0;
      while (i < n) {
        int g = gid[perm[i]];
        buf.len = 0;
        boolean any = false;
        for (; i < n && gid[perm[i]] == g; i++) {
          int mark = buf.len;
          if (any) {
            buf.ensure(1);
            buf.a[buf.len++] = '|';
          }
          if (values != null && values.appendText(perm[i], buf)) {
            any = true;
          } else {
            buf.len = mark;
          }
        }
        if (any) {
          int len = Math.min(limit, hasher.hash(buf.a, 0, buf.len, digest, 0));
          res.add(digest, 0, len);
        } else {
          res.addNull();
        }
      }
      VarCharVector v = scratch.own(new VarCharVector(key, allocator));
      Utf8Out.assemble(v, new Utf8Out[] {res}, groups);
      out.put(key, new Col(key, v, null, gid, null));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // expansion

  /**
   * {@code current} collapsed to one row per join key: the key columns take the key's first row, the
   * provenance its first non-null value (so a parent is stale only when all its children lack one).
   */
  static CollapsedCurrent collapse(DiffStage.DiffSide current) {
    RowGroups rg = group(current.keys(), current.rows());
    int[] gid = rg.idOfRow();
    int groups = rg.count();
    Col cProv = current.provenance();
    int[] reps = new int[groups];
    int[] provRow = new int[groups];
    Arrays.fill(reps, -1);
    Arrays.fill(provRow, -1);
    for (int r = 0; r < current.rows(); r++) {
      int g = gid[r];
      if (reps[g] < 0) {
        reps[g] = r;
      }
      if (provRow[g] < 0 && !cProv.isNull(r)) {
        provRow[g] = r;
      }
    }
    List<Col> keys = new ArrayList<>();
    for (Col c : current.keys()) {
      keys.add(c.remap(reps));
    }
    return new CollapsedCurrent(rg, new DiffStage.DiffSide(keys, cProv.remap(provRow), groups));
  }

  /**
   * The parents {@code listed} of collapsed {@code current} rows, as a new batch of all its columns:
   * each column takes the first non-null value of the parent's rows (the reference's {@code any_value}
   * over collapsed expansion children).
   */
  VectorSchemaRoot collapsedRows(VectorSchemaRoot current, RowGroups groups, int[] listed) {
    int[] gid = groups.idOfRow();
    List<Col> cols = new ArrayList<>();
    int rows = current.getRowCount();
    for (FieldVector v : current.getFieldVectors()) {
      Col c = Col.of(v.getName(), v);
      int[] first = new int[groups.count()];
      Arrays.fill(first, -1);
      for (int r = 0; r < rows; r++) {
        if (first[gid[r]] < 0 && !c.isNull(r)) {
          first[gid[r]] = r;
        }
      }
      int[] map = new int[listed.length];
      for (int i = 0; i < listed.length; i++) {
        map[i] = first[listed[i]];
      }
      cols.add(c.remap(map));
    }
    VectorSchemaRoot r = new VectorSchemaRoot(Gather.columns(cols, listed.length, allocator));
    r.setRowCount(listed.length);
    return r;
  }
}
