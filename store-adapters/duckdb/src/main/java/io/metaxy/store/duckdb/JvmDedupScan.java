package io.metaxy.store.duckdb;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.FilterExpr.Column;
import io.metaxy.filter.FilterExpr.IsNull;
import io.metaxy.filter.Filters;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.support.ArrowBatches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Select;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deduplicating scan of the DuckDB store when deduplication may run in the JVM (no filter beyond
 * the tombstone filter): DuckDB's window sort over every row is replaced by a pass over the id and
 * ordering columns, and the wide columns are copied once, straight from the streamed batches into
 * their final (id) order. Only the id, ordering and filter columns are ever concatenated.
 */
final class JvmDedupScan {
  private static final Logger LOG = LoggerFactory.getLogger(JvmDedupScan.class);

  private JvmDedupScan() {}

  private static final String ROWID = "__metaxy_rowid";
  private static final String ORDER = "__metaxy_order";

  /**
   * The deduplicated scan: DuckDB filters by version and streams {@code select} plus the rowid and the
   * ordering timestamp; the winners are picked here ({@link LatestPerId}) and the tombstone filter, if
   * any, runs after them (spec §3). Rows come from {@code from}, ordered among equals by {@code rowid}.
   * The table is read in one query per condition of {@code ranges}
   * (id ranges, {@link ScanSplit}); {@code fetch} runs the queries side by side and returns their
   * streamed batches, in order.
   */
  static VectorSchemaRoot run(
      ScanRequest request,
      Map<String, String> cols,
      List<SelectField<?>> select,
      Field<Object> order,
      Condition where,
      List<Condition> ranges,
      Table<?> from,
      Field<Object> rowid,
      DSLContext dsl,
      Function<List<Select<?>>, List<VectorSchemaRoot>> fetch,
      BufferAllocator allocator) {
    List<String> ids =
        Objects.requireNonNull(request.dedupIdColumns(), "only deduplicating scans run here");
    List<SelectField<?>> all = new ArrayList<>(select);
    List<String> selected = new ArrayList<>();
    for (SelectField<?> f : select) {
      selected.add(f.getName());
    }
    for (String id : ids) {
      if (!selected.contains(id)) {
        all.add(field(name(id)));
        selected.add(id);
      }
    }
    all.add(rowid.as(name(ROWID)));
    all.add(field("epoch_us({0})", Long.class, order).as(name(ORDER)));
    long t0 = System.nanoTime();
    List<Select<?>> queries = new ArrayList<>();
    for (Condition range : ranges) {
      queries.add(dsl.select(all).from(from).where(where.and(range)));
    }
    List<VectorSchemaRoot> batches = fetch.apply(queries);
    long t1 = System.nanoTime();
    // Deduplication and the filter need only a few narrow columns contiguous; the wide ones are
    // copied once, straight from the batches, into their final order.
    Set<String> keyColumns = new LinkedHashSet<>(ids);
    keyColumns.add(ORDER);
    keyColumns.add(ROWID);
    if (request.filter() != null) {
      for (String c : Filters.columns(request.filter())) {
        if (selected.contains(c)) {
          keyColumns.add(c);
        }
      }
    }
    boolean any = cols.keySet().stream().anyMatch(request::returns);
    Set<String> returned = new LinkedHashSet<>();
    for (String c : selected) {
      if (!any || request.returns(c)) {
        returned.add(c);
      }
    }
    VectorSchemaRoot keys = null;
    try {
      List<String> names = ArrowBatches.names(batches.get(0));
      List<String> keyList = List.copyOf(keyColumns);
      int total = rowCount(batches);
      List<VectorSchemaRoot> source = batches;
      keys = ArrowBatches.of(
          Concat.inParallel(keyList.size(), i -> {
            List<FieldVector> parts = Concat.parts(source, names.indexOf(keyList.get(i)));
            FieldVector v = Concat.column(parts, total, allocator);
            if (!returned.contains(keyList.get(i))) {
              parts.forEach(
                  FieldVector::close); // rowid, ordering: not needed in batch form any more
            }
            return v;
          }),
          total);
      int n = keys.getRowCount();
      List<FieldVector> idVectors = new ArrayList<>();
      for (String id : ids) {
        idVectors.add(keys.getVector(id));
      }
      BigIntVector orderVector = (BigIntVector) keys.getVector(ORDER);
      BigIntVector rowidVector = (BigIntVector) keys.getVector(ROWID);
      // Fast path (one BIGINT id, rows in a few increasing runs): winners in id order by merging
      // the runs.
      int[] rows = LatestPerId.winnersInIdOrder(idVectors, orderVector, rowidVector, n);
      if (rows == null) {
        BitSet losers = LatestPerId.losers(idVectors, orderVector, rowidVector, n);
        if (losers == null) {
          rows = LatestPerId.ALL;
        } else {
          BitSet keep = new BitSet(n);
          keep.set(0, n);
          keep.andNot(losers);
          rows = keep.stream().toArray();
          int[] ordered = LatestPerId.orderedById(idVectors, rows);
          if (ordered != null) {
            rows = ordered;
          }
        }
      }
      long t2 = System.nanoTime();
      rows = filterRows(request.filter(), keys, rows, n);
      int kept = rows == LatestPerId.ALL ? n : rows.length;
      long t3 = System.nanoTime();
      // Free what is no longer needed before the output is built: the peak is what a 10M-row read
      // costs.
      for (int c = 0; c < names.size(); c++) {
        if (!returned.contains(names.get(c))) {
          Concat.parts(batches, c).forEach(FieldVector::close);
        }
      }
      VectorSchemaRoot out;
      if (rows == LatestPerId.ALL) {
        out = concatenated(batches, names, returned, keys, allocator);
      } else {
        keys.close();
        keys = null;
        out = take(batches, names, returned, rows, allocator);
      }
      LOG.debug(
          "scan {}: {} id range(s) read in {} ms, dedup {} ms, filter {} ms, assemble {} ms, {} of {} rows kept",
          request.table(),
          queries.size(),
          (t1 - t0) / 1_000_000,
          (t2 - t1) / 1_000_000,
          (t3 - t2) / 1_000_000,
          (System.nanoTime() - t3) / 1_000_000,
          kept,
          n);
      return out;
    } finally {
      if (keys != null) {
        keys.close();
      }
      if (batches != null) {
        batches.forEach(VectorSchemaRoot::close);
      }
    }
  }

  /**
   * The {@code returned} columns of every row in scan order: the ones already concatenated as keys
   * (the ids) are shared from {@code keys}, the others concatenated from the batches, on all cores.
   */
  private static VectorSchemaRoot concatenated(
      List<VectorSchemaRoot> batches,
      List<String> names,
      Set<String> returned,
      VectorSchemaRoot keys,
      BufferAllocator allocator) {
    List<Integer> columns = new ArrayList<>();
    for (int c = 0; c < names.size(); c++) {
      if (returned.contains(names.get(c))) {
        columns.add(c);
      }
    }
    int total = keys.getRowCount();
    return ArrowBatches.of(
        Concat.inParallel(columns.size(), i -> {
          FieldVector key = keys.getVector(names.get(columns.get(i)));
          List<FieldVector> parts = Concat.parts(batches, columns.get(i));
          FieldVector v = key != null
              ? ArrowBatches.share(key, allocator)
              : Concat.column(parts, total, allocator);
          parts.forEach(FieldVector::close);
          return v;
        }),
        total);
  }

  private static int rowCount(List<VectorSchemaRoot> batches) {
    int n = 0;
    for (VectorSchemaRoot b : batches) {
      n += b.getRowCount();
    }
    return n;
  }

  /** The {@code returned} columns at {@code rows} (row numbers over the concatenated batches), built on all cores. */
  private static VectorSchemaRoot take(
      List<VectorSchemaRoot> batches,
      List<String> names,
      Set<String> returned,
      int[] rows,
      BufferAllocator allocator) {
    int[] counts = new int[batches.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = batches.get(i).getRowCount();
    }
    ChunkedTake take = new ChunkedTake(counts, rows);
    List<Integer> columns = new ArrayList<>();
    for (int c = 0; c < names.size(); c++) {
      if (returned.contains(names.get(c))) {
        columns.add(c);
      }
    }
    return ArrowBatches.of(
        Concat.inParallel(columns.size(), i -> {
          List<FieldVector> parts = Concat.parts(batches, columns.get(i));
          FieldVector v = take.column(parts, allocator);
          parts.forEach(
              FieldVector::close); // each column's batch buffers go as soon as it is gathered
          return v;
        }),
        rows.length);
  }

  /**
   * The rows of {@code rows} (or all {@code n}: {@link LatestPerId#ALL}) that pass the filter evaluated
   * after deduplication, in their order; the tombstone filter is read straight from the validity bits.
   */
  private static int[] filterRows(
      @Nullable FilterExpr filter, VectorSchemaRoot root, int[] rows, int n) {
    if (filter == null) {
      return rows;
    }
    BitSet pass;
    if (filter instanceof IsNull isNull
        && isNull.operand() instanceof Column c
        && root.getVector(c.name()) != null) {
      FieldVector v = root.getVector(c.name());
      if (v.getNullCount() == n) {
        return rows; // nothing deleted: the usual case
      }
      pass = new BitSet(n);
      for (int r = 0; r < n; r++) {
        if (v.isNull(r)) {
          pass.set(r);
        }
      }
    } else {
      pass = Filters.evaluate(filter, root);
    }
    int[] source = rows == LatestPerId.ALL ? IntStream.range(0, n).toArray() : rows;
    int[] out = new int[source.length];
    int m = 0;
    for (int r : source) {
      if (pass.get(r)) {
        out[m++] = r;
      }
    }
    return m == source.length ? rows : Arrays.copyOf(out, m);
  }
}
