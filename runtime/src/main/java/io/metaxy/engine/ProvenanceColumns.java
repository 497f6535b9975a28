package io.metaxy.engine;

import static io.metaxy.SystemColumns.CREATED_AT;
import static io.metaxy.SystemColumns.DATA_VERSION;
import static io.metaxy.SystemColumns.DATA_VERSION_BY_FIELD;
import static io.metaxy.SystemColumns.FEATURE_VERSION;
import static io.metaxy.SystemColumns.MATERIALIZATION_ID;
import static io.metaxy.SystemColumns.PROJECT_VERSION;
import static io.metaxy.SystemColumns.PROVENANCE;
import static io.metaxy.SystemColumns.PROVENANCE_BY_FIELD;
import static io.metaxy.SystemColumns.UPDATED_AT;

import io.metaxy.MetaxyException;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldSpec;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.jspecify.annotations.Nullable;

/**
 * The write-side rules of versioning spec §4.4 / store spec §5 that fill {@code metaxy_provenance} and the
 * data-version columns from the by-field provenance (column names: {@link io.metaxy.SystemColumns}).
 */
public final class ProvenanceColumns {
  /** Upstream columns dropped before joining (versioning spec §4.2 step 1). */
  static final Set<String> DROPPED_FROM_UPSTREAM =
      Set.of(FEATURE_VERSION, PROJECT_VERSION, CREATED_AT, UPDATED_AT, MATERIALIZATION_ID);

  private ProvenanceColumns() {}

  /**
   * Completes rows about to be written (store spec §5): computes {@code metaxy_provenance} from
   * {@code metaxy_provenance_by_field} over the feature's declared fields when the column is absent;
   * when {@code metaxy_data_version_by_field} is absent copies both provenance columns into the data
   * version columns, otherwise fills its null rows from the provenance and computes (absent) or fills
   * (null rows) {@code metaxy_data_version}. Other columns are shared with {@code rows}, unchanged.
   *
   * @return a new batch (the caller closes it; {@code rows} stays usable)
   * @throws MetaxyException when {@code metaxy_provenance_by_field} is missing, not a struct, or lacks a
   *     declared field
   */
  public static VectorSchemaRoot completeForWrite(
      VectorSchemaRoot rows,
      FeatureSpec spec,
      HashAlgorithm algorithm,
      Truncation truncation,
      BufferAllocator allocator) {
    return complete(rows, spec, false, algorithm, truncation, allocator);
  }

  /**
   * Prepares user-supplied samples of a root feature for comparison (store spec §4.1): the provenance
   * is always recomputed from {@code metaxy_provenance_by_field} (a supplied value is replaced), and
   * the data versions are defaulted as in {@link #completeForWrite}.
   */
  public static VectorSchemaRoot completeSamples(
      VectorSchemaRoot samples,
      FeatureSpec spec,
      HashAlgorithm algorithm,
      Truncation truncation,
      BufferAllocator allocator) {
    return complete(samples, spec, true, algorithm, truncation, allocator);
  }

  private static VectorSchemaRoot complete(
      VectorSchemaRoot in,
      FeatureSpec spec,
      boolean recompute,
      HashAlgorithm algorithm,
      Truncation truncation,
      BufferAllocator allocator) {
    int n = in.getRowCount();
    StructVector pbf = requiredStruct(in, PROVENANCE_BY_FIELD, spec);
    FieldVector prov = in.getVector(PROVENANCE);
    StructVector dvbf = optionalStruct(in, DATA_VERSION_BY_FIELD, spec);
    FieldVector dv = in.getVector(DATA_VERSION);
    List<FieldVector> owned = new ArrayList<>();
    try {
      FieldVector newProv = null;
      if (prov == null || recompute) {
        newProv = hashStruct(pbf, PROVENANCE, n, spec, algorithm, truncation, allocator);
        owned.add(newProv);
      }
      Col provCol = Col.of(PROVENANCE, newProv != null ? newProv : prov);
      FieldVector newDvbf;
      FieldVector newDv;
      if (dvbf == null) {
        newDvbf = Gather.column(Col.of(DATA_VERSION_BY_FIELD, pbf), n, allocator);
        owned.add(newDvbf);
        newDv = Gather.column(provCol.renamed(DATA_VERSION), n, allocator);
        owned.add(newDv);
      } else {
        newDvbf = Gather.column(
            Col.of(DATA_VERSION_BY_FIELD, dvbf).withFallback(Col.of(PROVENANCE_BY_FIELD, pbf)),
            n,
            allocator);
        owned.add(newDvbf);
        if (dv == null) {
          newDv = hashStruct(
              (StructVector) newDvbf, DATA_VERSION, n, spec, algorithm, truncation, allocator);
        } else {
          newDv = Gather.column(Col.of(DATA_VERSION, dv).withFallback(provCol), n, allocator);
        }
        owned.add(newDv);
      }
      List<FieldVector> out = new ArrayList<>();
      boolean provDone = false;
      boolean dvbfDone = false;
      boolean dvDone = false;
      for (FieldVector v : in.getFieldVectors()) {
        switch (v.getName()) {
          case PROVENANCE -> {
            out.add(newProv != null ? newProv : share(v, n, allocator, owned));
            provDone = true;
          }
          case DATA_VERSION_BY_FIELD -> {
            out.add(newDvbf);
            dvbfDone = true;
          }
          case DATA_VERSION -> {
            out.add(newDv);
            dvDone = true;
          }
          default -> out.add(share(v, n, allocator, owned));
        }
      }
      if (!provDone) {
        out.add(newProv);
      }
      if (!dvbfDone) {
        out.add(newDvbf);
      }
      if (!dvDone) {
        out.add(newDv);
      }
      return new VectorSchemaRoot(out);
    } catch (RuntimeException e) {
      owned.forEach(FieldVector::close);
      throw e;
    }
  }

  private static FieldVector share(
      FieldVector v, int n, BufferAllocator allocator, List<FieldVector> owned) {
    FieldVector s = Gather.column(Col.of(v.getName(), v), n, allocator);
    owned.add(s);
    return s;
  }

  private static StructVector requiredStruct(VectorSchemaRoot in, String name, FeatureSpec spec) {
    StructVector s = optionalStruct(in, name, spec);
    if (s == null) {
      throw new MetaxyException(
          "rows of " + spec.key() + " must have a '" + name + "' column (a struct with one"
              + " string per field); columns present: " + columnNames(in));
    }
    return s;
  }

  private static @Nullable StructVector optionalStruct(
      VectorSchemaRoot in, String name, FeatureSpec spec) {
    FieldVector v = in.getVector(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof StructVector s)) {
      throw new MetaxyException("column '" + name + "' of " + spec.key() + " must be a struct, got "
          + v.getField().getType());
    }
    return s;
  }

  static List<String> columnNames(VectorSchemaRoot root) {
    return root.getSchema().getFields().stream().map(f -> f.getName()).toList();
  }

  /**
   * {@code T(hash("|".join(struct[k] for k in sorted struct keys of the feature's fields)))} per row,
   * null where any value is null ({@code hash_struct_version_column}).
   */
  static VarCharVector hashStruct(
      StructVector struct,
      String outName,
      int n,
      FeatureSpec spec,
      HashAlgorithm algorithm,
      Truncation truncation,
      BufferAllocator allocator) {
    List<String> keys = spec.fields().stream()
        .map(FieldSpec::key)
        .map(k -> k.structKey())
        .sorted()
        .toList();
    Col[] cols = new Col[keys.size()];
    byte[][] consts = new byte[keys.size() + 1][];
    boolean[] empty = new boolean[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      FieldVector child = (FieldVector) struct.getChild(keys.get(i));
      if (child == null) {
        throw new MetaxyException("column '" + struct.getName() + "' of " + spec.key()
            + " has no field '" + keys.get(i) + "' (declared fields: " + keys + ")");
      }
      cols[i] = new Col(keys.get(i), child, struct, null, null);
      consts[i] = i == 0 ? new byte[0] : "|".getBytes(StandardCharsets.US_ASCII);
    }
    consts[keys.size()] = new byte[0];
    VarCharVector v = new VarCharVector(outName, allocator);
    try {
      HashKernel.run(
          n,
          List.of(new HashKernel.Template(new byte[0], consts, cols, empty)),
          null,
          algorithm,
          truncation,
          List.of(v));
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
    return v;
  }
}
