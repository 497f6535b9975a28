package io.metaxy.engine;

import com.sun.management.OperatingSystemMXBean;
import io.metaxy.FeatureKey;
import io.metaxy.SystemColumns;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Not a test: times {@code expected} + {@code diff} on synthetic batches.
 *
 * <p>Usage: {@code EngineBench simple|wide ROWS [ITERATIONS] [ALGORITHM]}. The simple graph is a root
 * with fields {@code audio}, {@code frames} and a one-field leaf; the wide graph is two roots with four
 * fields each and a two-field leaf. Ids are strings. Current rows: 90% of the samples, of which 10% have
 * an outdated provenance, plus 5% samples that are no longer upstream (orphaned); so about 10% of the
 * samples are new and 9% stale. Rows come in id order (the sorted merge paths); with
 * {@code -Dbench.shuffled=true} the current rows and the wide graph's second root come scrambled (the
 * hash paths).
 */
public final class EngineBench {
  private EngineBench() {}

  /** Runs the benchmark; see the class comment for arguments. */
  public static void main(String[] args) {
    String shape = args.length > 0 ? args[0] : "simple";
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    HashAlgorithm algorithm = HashAlgorithm.fromConfigName(args.length > 3 ? args[3] : "xxhash32");
    boolean wide = shape.equals("wide");
    List<FeatureDefinition> defs = new ArrayList<>();
    List<String> roots = wide ? List.of("bench/a", "bench/b") : List.of("bench/root");
    List<String> rootFields = wide ? List.of("f1", "f2", "f3", "f4") : List.of("audio", "frames");
    for (String r : roots) {
      FeatureSpec.Builder b = FeatureSpec.builder(r, "sample_uid");
      rootFields.forEach(f -> b.field(f, "1"));
      defs.add(new FeatureDefinition(b.build(), "bench", Map.of(), false, Map.of(), null));
    }
    FeatureSpec.Builder leaf = FeatureSpec.builder("bench/leaf", "sample_uid");
    roots.forEach(leaf::dep);
    if (wide) {
      leaf.field("x", "1").field("y", "2");
    } else {
      leaf.field("embedding", "1");
    }
    defs.add(new FeatureDefinition(leaf.build(), "bench", Map.of(), false, Map.of(), null));
    FeatureGraph graph = FeatureGraph.of(defs);
    FeatureKey target = FeatureKey.of("bench/leaf");

    try (BufferAllocator allocator = new RootAllocator()) {
      long t0 = System.nanoTime();
      Map<FeatureKey, VectorSchemaRoot> upstream = new LinkedHashMap<>();
      boolean shuffled = Boolean.getBoolean("bench.shuffled");
      for (String r : roots) {
        // Shuffled: the last root's rows (and the current rows) come in a scrambled order, so joins
        // and the diff take the hash paths instead of the sorted merge.
        boolean permute = shuffled && r.equals(roots.get(roots.size() - 1)) && roots.size() > 1;
        upstream.put(
            FeatureKey.of(r), upstreamBatch(rows, rootFields, r.hashCode(), permute, allocator));
      }
      VersioningEngine engine =
          new VersioningEngine(graph, algorithm, Truncation.DEFAULT, allocator);
      VectorSchemaRoot current;
      try (VectorSchemaRoot first = engine.expected(target, upstream)) {
        current = currentBatch(first, shuffled, allocator);
      }
      System.out.printf(
          "%s %,d rows (%s%s): batches built in %d ms%n",
          shape,
          rows,
          algorithm.configName(),
          shuffled ? ", shuffled" : ", sorted",
          (System.nanoTime() - t0) / 1_000_000);
      long[] times = new long[iterations];
      long[] expectedTimes = new long[iterations];
      OperatingSystemMXBean os =
          (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      for (int i = 0; i < iterations; i++) {
        long cpu0 = os.getProcessCpuTime();
        long s = System.nanoTime();
        long cpuExpected;
        long held0 = allocator.getAllocatedMemory();
        try (VectorSchemaRoot expected = engine.expected(target, upstream)) {
          long m = System.nanoTime();
          cpuExpected = os.getProcessCpuTime() - cpu0;
          long held1 = allocator.getAllocatedMemory();
          try (IncrementBatches inc = engine.diff(target, expected, current)) {
            times[i] = System.nanoTime() - s;
            expectedTimes[i] = m - s;
            if (i == 0) {
              // Arrow memory the results hold beyond the inputs (shared buffers are not counted
              // twice).
              System.out.printf(
                  "  new %,d  stale %,d  orphaned %,d; Arrow memory held by expected %,d MB,"
                      + " by the increments %,d MB%n",
                  inc.newRows().getRowCount(),
                  inc.stale().getRowCount(),
                  inc.orphaned().getRowCount(),
                  (held1 - held0) >> 20,
                  (allocator.getAllocatedMemory() - held1) >> 20);
            }
          }
        }
        // CPU time shows the cost independently of other load on a shared machine.
        System.out.printf(
            "  run %d: expected %d ms, expected+diff %d ms (process CPU %d ms, of which expected %d)%n",
            i + 1,
            expectedTimes[i] / 1_000_000,
            times[i] / 1_000_000,
            (os.getProcessCpuTime() - cpu0) / 1_000_000,
            cpuExpected / 1_000_000);
      }
      long[] sorted = times.clone();
      Arrays.sort(sorted);
      System.out.printf(
          "%s %,d rows: expected+diff best %d ms, median %d ms; peak Arrow memory %,d MB%n",
          shape,
          rows,
          sorted[0] / 1_000_000,
          sorted[sorted.length / 2] / 1_000_000,
          allocator.getPeakMemoryAllocation() >> 20);
      current.close();
      upstream.values().forEach(VectorSchemaRoot::close);
    }
  }

  /** {@code sample_%09d} without the formatter (it dominated batch building at 10M rows). */
  private static byte[] id(int i) {
    byte[] b = "sample_000000000".getBytes(StandardCharsets.US_ASCII);
    for (int p = b.length - 1; i > 0; p--, i /= 10) {
      b[p] = (byte) ('0' + i % 10);
    }
    return b;
  }

  /**
   * Upstream rows as a store reads them for the engine: the id and {@code metaxy_data_version_by_field}
   * (the engine drops the other versioning columns, so a reader projects them away, as the reference's
   * lazy frames do). With {@code -Dbench.fullUpstream=true} the other three versioning columns are
   * included too.
   */
  private static VectorSchemaRoot upstreamBatch(
      int n, List<String> fields, int seed, boolean permute, BufferAllocator allocator) {
    VarCharVector ids = new VarCharVector("sample_uid", allocator);
    ids.allocateNew(n * 16L, n);
    StructVector pbf = struct(SystemColumns.PROVENANCE_BY_FIELD, fields, n, allocator);
    StructVector dvbf = struct(SystemColumns.DATA_VERSION_BY_FIELD, fields, n, allocator);
    VarCharVector prov = new VarCharVector(SystemColumns.PROVENANCE, allocator);
    VarCharVector dv = new VarCharVector(SystemColumns.DATA_VERSION, allocator);
    prov.allocateNew(n * 8L, n);
    dv.allocateNew(n * 8L, n);
    byte[] h = new byte[8];
    for (int row = 0; row < n; row++) {
      int i = permute ? permuted(row, n) : row;
      ids.setSafe(row, id(i));
      for (int f = 0; f < fields.size(); f++) {
        long x = (long) i * 0x9E3779B97F4A7C15L + seed * 31L + f;
        for (int k = 0; k < 8; k++) {
          h[k] = (byte) ('0' + (int) ((x >>> (k * 7)) & 7));
        }
        ((VarCharVector) pbf.getChild(fields.get(f))).setSafe(row, h);
        ((VarCharVector) dvbf.getChild(fields.get(f))).setSafe(row, h);
      }
      pbf.setIndexDefined(row);
      dvbf.setIndexDefined(row);
      prov.setSafe(row, h);
      dv.setSafe(row, h);
    }
    List<FieldVector> vs = List.of(ids, pbf, prov, dvbf, dv);
    vs.forEach(v -> v.setValueCount(n));
    if (!Boolean.getBoolean("bench.fullUpstream")) {
      pbf.close();
      prov.close();
      dv.close();
      vs = List.of(ids, dvbf);
    }
    VectorSchemaRoot root = new VectorSchemaRoot(vs);
    root.setRowCount(n);
    return root;
  }

  /** A struct of string children sized exactly for {@code n} 8-byte values (no growth by doubling). */
  private static StructVector struct(
      String name, List<String> fields, int n, BufferAllocator allocator) {
    List<Field> children = new ArrayList<>();
    for (String f : fields) {
      children.add(new Field(f, FieldType.nullable(ArrowType.Utf8.INSTANCE), null));
    }
    StructVector s =
        (StructVector) new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), children)
            .createVector(allocator);
    s.setInitialCapacity(n);
    s.allocateNew();
    for (FieldVector c : s.getChildrenFromFields()) {
      ((VarCharVector) c).allocateNew(8L * n, n);
    }
    return s;
  }

  /** Stored rows: 90% of the expected samples (10% of those outdated) plus 5% unknown samples. */
  /** A bijection of {@code [0, n)} (7919 is prime and divides none of the row counts used). */
  private static int permuted(int i, int n) {
    return (int) ((long) i * 7919 % n);
  }

  private static VectorSchemaRoot currentBatch(
      VectorSchemaRoot expected, boolean permute, BufferAllocator allocator) {
    int n = expected.getRowCount();
    VarCharVector eid = (VarCharVector) expected.getVector("sample_uid");
    VarCharVector eprov = (VarCharVector) expected.getVector(SystemColumns.PROVENANCE);
    int extra = n / 20;
    VarCharVector ids = new VarCharVector("sample_uid", allocator);
    VarCharVector prov = new VarCharVector(SystemColumns.PROVENANCE, allocator);
    ids.allocateNew(n * 16L, n);
    prov.allocateNew(n * 8L, n);
    int j = 0;
    for (int k = 0; k < n; k++) {
      int i = permute ? permuted(k, n) : k;
      if (i % 10 == 9) {
        continue; // new sample
      }
      ids.setSafe(j, eid.get(i));
      prov.setSafe(j, i % 10 == 3 ? "outdated".getBytes(StandardCharsets.US_ASCII) : eprov.get(i));
      j++;
    }
    for (int i = 0; i < extra; i++) {
      ids.setSafe(j, id(n + i));
      prov.setSafe(j, "orphaned".getBytes(StandardCharsets.US_ASCII));
      j++;
    }
    ids.setValueCount(j);
    prov.setValueCount(j);
    VectorSchemaRoot root = new VectorSchemaRoot(List.of(ids, prov));
    root.setRowCount(j);
    return root;
  }
}
