package io.metaxy.reliability;

import io.metaxy.FeatureKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.store.support.ArrowBatches;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The rows the crash and concurrency tests write: batch {@code b} of {@code k} rows holds the samples
 * {@code b*k .. b*k+k-1}, each with a payload and a provenance derived from its id, so a reader can tell
 * which batch a row belongs to and whether it came back intact.
 */
final class Rows {
  static final FeatureKey ROOT = FeatureKey.of("rel/root");
  static final FeatureKey DOWN = FeatureKey.of("rel/down");
  static final String ID = "sample_uid";
  static final String PAYLOAD = "payload";

  private Rows() {}

  /** {@code rel/root} (the feature written) and {@code rel/down} (resolved from it). */
  static FeatureGraph graph() {
    return FeatureGraph.of(List.of(
        FeatureDefinition.of(
            FeatureSpec.builder("rel/root", ID).field("value", "1").build(),
            "reliability",
            Map.of()),
        FeatureDefinition.of(
            FeatureSpec.builder("rel/down", ID)
                .dep("rel/root")
                .field("result", "1")
                .build(),
            "reliability",
            Map.of())));
  }

  static String payload(long id) {
    return "p" + id;
  }

  /** The rows {@code first .. first+n-1} of {@code rel/root}, ready to write. */
  static VectorSchemaRoot batch(BufferAllocator a, long first, int n) {
    BigIntVector ids = new BigIntVector(ID, a);
    VarCharVector payloads = new VarCharVector(PAYLOAD, a);
    ids.allocateNew(n);
    payloads.allocateNew((long) n * 12, n);
    List<Map<String, String>> pbf = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long id = first + i;
      ids.set(i, id);
      payloads.setSafe(i, payload(id).getBytes(StandardCharsets.UTF_8));
      pbf.add(Map.of("value", "h" + id));
    }
    ids.setValueCount(n);
    payloads.setValueCount(n);
    List<FieldVector> vs = new ArrayList<>(List.of(ids, payloads));
    vs.add(ArrowBatches.byFieldStruct("metaxy_provenance_by_field", List.of("value"), pbf, a));
    return ArrowBatches.of(vs, n);
  }

  /** What a read of {@code rel/root} holds, batch by batch. */
  record Census(TreeMap<Long, Integer> perBatch, long rows, long duplicates, List<String> damaged) {
    /** Batches present with a count other than {@code k}: torn writes (or a batch written twice). */
    List<Long> partial(int k) {
      return perBatch.entrySet().stream()
          .filter(e -> e.getValue() != k)
          .map(Map.Entry::getKey)
          .toList();
    }

    int count(long batch) {
      return perBatch.getOrDefault(batch, 0);
    }
  }

  /**
   * Counts the rows of a read of {@code rel/root} (every row, {@code withSampleHistory}) per batch of
   * {@code k}, and lists rows whose payload does not match their id; {@code null} reads as no rows.
   */
  static Census census(VectorSchemaRoot r, int k) {
    if (r == null) {
      return new Census(new TreeMap<>(), 0, 0, List.of());
    }
    FieldVector ids = r.getVector(ID);
    FieldVector payloads = r.getVector(PAYLOAD);
    TreeMap<Long, Integer> per = new TreeMap<>();
    BitSet seen = new BitSet();
    long duplicates = 0;
    List<String> damaged = new ArrayList<>();
    for (int i = 0; i < r.getRowCount(); i++) {
      long id = (Long) ArrowBatches.value(ids, i);
      per.merge(Math.floorDiv(id, (long) k), 1, Integer::sum);
      if (id >= 0 && id < Integer.MAX_VALUE) {
        if (seen.get((int) id)) {
          duplicates++;
        }
        seen.set((int) id);
      }
      Object p = payloads == null ? null : ArrowBatches.value(payloads, i);
      if (payloads != null && !payload(id).equals(p) && damaged.size() < 10) {
        damaged.add(id + " -> " + p);
      }
    }
    return new Census(per, r.getRowCount(), duplicates, damaged);
  }
}
