package io.metaxy.engine;

import io.metaxy.MetaxyException;
import io.metaxy.SystemColumns;
import io.metaxy.graph.FeaturePlan;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldSpec;
import io.metaxy.versioning.FieldRef;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Hashes a joined {@link Frame} into the target's versioning columns (versioning spec §4.3, §4.4). It
 * turns the plan (fields, their parents, which dependencies are optional) into {@link HashKernel}
 * templates once per call, so the per-row kernel sees only bytes and columns, and builds the result
 * batch around the kernel's output vectors.
 */
final class ProvenanceHashing {
  private final HashAlgorithm algorithm;
  private final Truncation truncation;
  private final BufferAllocator allocator;

  ProvenanceHashing(HashAlgorithm algorithm, Truncation truncation, BufferAllocator allocator) {
    this.algorithm = algorithm;
    this.truncation = truncation;
    this.allocator = allocator;
  }

  /**
   * The rows of {@code frame}: its carried columns, then {@code metaxy_provenance_by_field},
   * {@code metaxy_provenance}, {@code metaxy_data_version_by_field} and {@code metaxy_data_version}.
   *
   * @throws MetaxyException when a parent field is missing from its upstream's data versions
   */
  VectorSchemaRoot hash(FeaturePlan plan, Frame frame) {
    List<FieldSpec> fields = plan.spec().fields();
    List<HashKernel.Template> templates = templates(plan, frame);
    int[] combine = IntStream.range(0, fields.size())
        .boxed()
        .sorted(Comparator.comparing(i -> fields.get(i).key().structKey()))
        .mapToInt(Integer::intValue)
        .toArray();
    int n = frame.rows;
    List<FieldVector> out = new ArrayList<>();
    try {
      out.addAll(Gather.columns(new ArrayList<>(frame.columns.values()), n, allocator));
      StructVector byField = byFieldStruct(SystemColumns.PROVENANCE_BY_FIELD, fields, n);
      out.add(byField);
      VarCharVector prov = new VarCharVector(SystemColumns.PROVENANCE, allocator);
      out.add(prov);
      List<VarCharVector> outputs = new ArrayList<>();
      for (FieldVector child : byField.getChildrenFromFields()) {
        outputs.add((VarCharVector) child);
      }
      outputs.add(prov);
      HashKernel.run(n, templates, combine, algorithm, truncation, outputs);
      // Every row of the struct is defined (null field values live in the children).
      MemoryUtil.setMemory(byField.getValidityBuffer().memoryAddress(), (n + 7) / 8, (byte) 0xFF);
      byField.setValueCount(n);
      // Data versions equal the provenance here: share the buffers instead of copying them.
      out.add(Gather.column(Col.of(SystemColumns.DATA_VERSION_BY_FIELD, byField), n, allocator));
      out.add(Gather.column(Col.of(SystemColumns.DATA_VERSION, prov), n, allocator));
      return new VectorSchemaRoot(out);
    } catch (RuntimeException e) {
      out.stream().filter(Objects::nonNull).forEach(FieldVector::close);
      throw e;
    }
  }

  /**
   * Per field (spec order), {@code "|".join([F.key, F.code_version, fq(P1), dv(P1), ...])} over its
   * parents as the plan sorted them: the constant parts pre-encoded, {@code dv(P)} the upstream's data
   * version column (null when an optional upstream has no rows).
   */
  private static List<HashKernel.Template> templates(FeaturePlan plan, Frame frame) {
    FeatureSpec spec = plan.spec();
    List<HashKernel.Template> templates = new ArrayList<>();
    for (FieldSpec f : spec.fields()) {
      List<FieldRef> parents = Objects.requireNonNull(
          plan.parents().get(f.key()), "a plan lists the parents of each of its fields");
      byte[][] consts = new byte[parents.size() + 1][];
      Col[] cols = new Col[parents.size()];
      boolean[] empty = new boolean[parents.size()];
      String head = f.key() + "|" + f.codeVersion();
      for (int i = 0; i < parents.size(); i++) {
        FieldRef p = parents.get(i);
        String seg = "|" + p.fq() + "|";
        consts[i] = utf8(seg);
        empty[i] = spec.dep(p.feature()).map(FeatureDep::optional).orElse(false);
        Map<String, Col> dv = frame.dataVersions.get(p.feature());
        if (dv != null) {
          cols[i] = dv.get(p.field().structKey());
          if (cols[i] == null) {
            throw new MetaxyException(
                "field " + f.key() + " of " + spec.key() + " hashes " + p.fq() + ", but the '"
                    + SystemColumns.DATA_VERSION_BY_FIELD + "' struct of upstream " + p.feature()
                    + " has no field '"
                    + p.field().structKey() + "' (fields: " + dv.keySet() + ")");
          }
        }
      }
      consts[parents.size()] = new byte[0];
      templates.add(new HashKernel.Template(utf8(head), consts, cols, empty));
    }
    return templates;
  }

  /** An empty struct of one UTF-8 child per field, in spec order; the kernel fills the children. */
  private StructVector byFieldStruct(String name, List<FieldSpec> fields, int n) {
    List<Field> children = new ArrayList<>();
    for (FieldSpec f : fields) {
      children.add(
          new Field(f.key().structKey(), FieldType.nullable(ArrowType.Utf8.INSTANCE), null));
    }
    Field field = new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children);
    StructVector s = (StructVector) field.createVector(allocator);
    try {
      s.setInitialCapacity(Math.max(1, n));
      s.allocateNew();
      for (FieldVector child : s.getChildrenFromFields()) {
        child.clear();
      }
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
