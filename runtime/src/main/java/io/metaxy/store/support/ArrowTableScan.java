package io.metaxy.store.support;

import io.metaxy.SystemColumns;
import io.metaxy.store.spi.ScanRequest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;

/**
 * A {@link ScanRequest} run in the JVM over a table held as Arrow batches: the version filter, the
 * deduplication ({@link ArrowBatches#latestPerId}), the projection and the by-field reshaping. The
 * request's pushed-down filter is not applied (such a backend does not push filters down). It is the
 * scan of the in-memory store, and of the appended rows an incremental resolve holds.
 */
public final class ArrowTableScan {
  private ArrowTableScan() {}

  /**
   * The rows of {@code batches} that {@code request} asks for.
   *
   * @return a batch owned by the caller
   */
  public static VectorSchemaRoot scan(
      List<VectorSchemaRoot> batches, ScanRequest request, BufferAllocator allocator) {
    VectorSchemaRoot all = ArrowBatches.concat(batches, allocator);
    try {
      if (request.featureVersion() != null) {
        FieldVector fv =
            ArrowBatches.column(all, SystemColumns.FEATURE_VERSION, "table " + request.table());
        BitSet keep = new BitSet();
        for (int r = 0; r < all.getRowCount(); r++) {
          if (request.featureVersion().equals(ArrowBatches.value(fv, r))) {
            keep.set(r);
          }
        }
        all = replaceWith(all, ArrowBatches.filter(all, keep, allocator));
      }
      if (request.dedupIdColumns() != null) {
        all = replaceWith(
            all,
            ArrowBatches.take(
                all, ArrowBatches.latestPerId(all, request.dedupIdColumns()), allocator));
      }
      if (request.projects()) {
        List<String> drop = new ArrayList<>();
        for (FieldVector v : all.getFieldVectors()) {
          if (!request.returns(v.getName())) {
            drop.add(v.getName());
          }
        }
        if (drop.size() < all.getFieldVectors().size()) {
          all = ArrowBatches.without(all, drop, allocator);
        }
      }
      if (!request.byFieldKeys().isEmpty()) {
        all = replaceWith(all, reshapeByField(all, request.byFieldKeys(), allocator));
      }
      return all;
    } catch (RuntimeException e) {
      all.close();
      throw e;
    }
  }

  private static VectorSchemaRoot replaceWith(VectorSchemaRoot old, VectorSchemaRoot fresh) {
    old.close();
    return fresh;
  }

  private static List<String> childNames(StructVector v) {
    List<String> out = new ArrayList<>();
    v.getField().getChildren().forEach(c -> out.add(c.getName()));
    return out;
  }

  private static VectorSchemaRoot reshapeByField(
      VectorSchemaRoot root, Map<String, List<String>> keys, BufferAllocator allocator) {
    List<FieldVector> out = new ArrayList<>();
    for (FieldVector v : root.getFieldVectors()) {
      List<String> k = keys.get(v.getName());
      if (k == null || (v instanceof StructVector st && childNames(st).equals(k))) {
        // Not reshaped, or already the struct asked for (a table in the STRUCT layout).
        out.add(ArrowBatches.copyColumn(v, v.getName(), allocator));
        continue;
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int r = 0; r < root.getRowCount(); r++) {
        rows.add(ArrowBatches.byField(v, r));
      }
      out.add(ArrowBatches.byFieldStruct(v.getName(), k, rows, allocator));
    }
    return ArrowBatches.of(out, root.getRowCount());
  }
}
