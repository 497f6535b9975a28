package io.metaxy.benchmarks;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.SystemColumns;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.versioning.FieldRef;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * The peer baseline: the reference's approach as one hand-written DuckDB query. It reads each upstream
 * table at its current feature version (latest row per sample, tombstones dropped), joins them,
 * md5-hashes the field strings exactly as versioning spec §4.3–§4.4 prescribes, compares with the
 * target's current rows and returns the increment rows (kind, id, provenance by field, provenance) to
 * the JVM as Arrow.
 */
final class BaselineQuery {
  /** The kind column of the result: {@code new}, {@code stale} or {@code orphaned}. */
  static final String KIND = "kind";

  /** The baseline's hash: md5 is built into DuckDB, so the baseline always runs on an md5 template. */
  static final HashAlgorithm HASH = HashAlgorithm.MD5;

  private static final int BATCH_ROWS = 1 << 16;

  /** Rendered once per shape, so that rendering is never part of a timed round. */
  private static final Map<Shape, String> SQL = new ConcurrentHashMap<>();

  private BaselineQuery() {}

  static Counts run(Scenario sc, Path file, BufferAllocator allocator) {
    String sql = SQL.computeIfAbsent(sc.shape(), BaselineQuery::sql);
    long nw = 0;
    long st = 0;
    long or = 0;
    try (Connection c = connect(file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql);
        ArrowReader reader = (ArrowReader)
            rs.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, BATCH_ROWS)) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot b = reader.getVectorSchemaRoot();
        VarCharVector kind = (VarCharVector) b.getVector(KIND);
        for (int r = 0; r < b.getRowCount(); r++) {
          // The kinds differ in their first byte: n(ew), s(tale), o(rphaned).
          switch (kind.get(r)[0]) {
            case 'n' -> nw++;
            case 's' -> st++;
            default -> or++;
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "baseline query failed on " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the baseline's Arrow result from " + file, e);
    }
    return new Counts(nw, st, or);
  }

  /** A read-only connection to {@code file}. */
  static Connection connect(Path file) throws SQLException {
    Properties p = new Properties();
    p.setProperty("duckdb.read_only", "true");
    return DriverManager.getConnection("jdbc:duckdb:" + file, p);
  }

  /** The query for a graph. Hash: md5, truncated to {@link Truncation#DEFAULT}. */
  static String sql(Shape shape) {
    FeatureGraph g = shape.graph();
    var versions = g.versions(Truncation.DEFAULT);
    int len = Truncation.DEFAULT.length();
    FeatureKey leaf = shape.leaf();
    List<FeatureKey> roots = shape.roots();
    String id = q(Shape.ID);
    StringBuilder sb = new StringBuilder("WITH ");
    for (int i = 0; i < roots.size(); i++) {
      FeatureKey r = roots.get(i);
      sb.append("u")
          .append(i)
          .append(" AS (")
          .append(latest(
              r, versions.featureVersion(r), q(SystemColumns.DATA_VERSION_BY_FIELD) + " AS dv"))
          .append("),\n");
    }
    // Per-field provenance: "field|code_version|fq(parent)|parent data version|..." (parents sorted
    // by fq).
    List<String> fieldExprs = new ArrayList<>();
    List<String> leafFields = shape.leafFields();
    for (String f : leafFields) {
      FieldKey fk = FieldKey.of(f);
      String code = g.spec(leaf).field(fk).orElseThrow().codeVersion();
      List<FieldRef> parents = new ArrayList<>(g.parents(leaf, fk));
      parents.sort(null);
      StringBuilder s = new StringBuilder(lit(fk + "|" + code));
      for (FieldRef p : parents) {
        int u = roots.indexOf(p.feature());
        s.append(" || ")
            .append(lit("|" + p.fq() + "|"))
            .append(" || u")
            .append(u)
            .append(".dv[")
            .append(lit(p.field().structKey()))
            .append("]");
      }
      fieldExprs.add("left(md5(" + s + "), " + len + ") AS " + q("f_" + fk.structKey()));
    }
    sb.append("e AS (SELECT u0.")
        .append(id)
        .append(", ")
        .append(String.join(", ", fieldExprs))
        .append(" FROM u0");
    for (int i = 1; i < roots.size(); i++) {
      sb.append(" JOIN u")
          .append(i)
          .append(" ON u0.")
          .append(id)
          .append(" = u")
          .append(i)
          .append(".")
          .append(id);
    }
    sb.append("),\n");
    // Sample provenance: the field provenances joined by '|' in struct-key order.
    List<String> sorted =
        leafFields.stream().map(f -> FieldKey.of(f).structKey()).sorted().toList();
    List<String> provParts = sorted.stream().map(k -> q("f_" + k)).toList();
    sb.append("x AS (SELECT *, left(md5(")
        .append(String.join(" || '|' || ", provParts))
        .append("), ")
        .append(len)
        .append(") AS prov FROM e),\n");
    sb.append("c AS (")
        .append(
            latest(leaf, versions.featureVersion(leaf), q(SystemColumns.PROVENANCE) + " AS prov"))
        .append(")\n");
    List<String> packs = leafFields.stream()
        .map(f ->
            q(FieldKey.of(f).structKey()) + " := x." + q("f_" + FieldKey.of(f).structKey()))
        .toList();
    String struct = "struct_pack(" + String.join(", ", packs) + ")";
    String structType = "STRUCT("
        + String.join(
            ", ",
            leafFields.stream()
                .map(f -> q(FieldKey.of(f).structKey()) + " VARCHAR")
                .toList())
        + ")";
    sb.append("SELECT CASE WHEN c.")
        .append(id)
        .append(" IS NULL THEN 'new' ELSE 'stale' END AS ")
        .append(KIND)
        .append(", x.")
        .append(id)
        .append(", ")
        .append(struct)
        .append(" AS ")
        .append(q(SystemColumns.PROVENANCE_BY_FIELD))
        .append(", x.prov AS ")
        .append(q(SystemColumns.PROVENANCE))
        .append(" FROM x LEFT JOIN c ON x.")
        .append(id)
        .append(" = c.")
        .append(id)
        .append(" WHERE c.")
        .append(id)
        .append(" IS NULL OR c.prov IS DISTINCT FROM x.prov\n");
    sb.append("UNION ALL SELECT 'orphaned', c.")
        .append(id)
        .append(", CAST(NULL AS ")
        .append(structType)
        .append("), c.prov FROM c ANTI JOIN x ON c.")
        .append(id)
        .append(" = x.")
        .append(id);
    return sb.toString();
  }

  /** The current rows of a feature: its feature version, latest per sample, tombstones dropped. */
  private static String latest(FeatureKey key, String featureVersion, String columns) {
    String id = q(Shape.ID);
    return "SELECT " + id + ", " + columns + " FROM (SELECT *, row_number() OVER (PARTITION BY "
        + id
        + " ORDER BY coalesce(" + q(SystemColumns.DELETED_AT) + ", " + q(SystemColumns.UPDATED_AT)
        + ") DESC NULLS LAST, rowid DESC) AS rn FROM " + q(key.tableName()) + " WHERE "
        + q(SystemColumns.FEATURE_VERSION) + " = " + lit(featureVersion) + ") WHERE rn = 1 AND "
        + q(SystemColumns.DELETED_AT) + " IS NULL";
  }

  private static String q(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String lit(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
