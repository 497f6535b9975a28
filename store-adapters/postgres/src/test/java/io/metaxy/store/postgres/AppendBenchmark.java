package io.metaxy.store.postgres;

import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.support.ArrowBatches;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Compares COPY with batched INSERTs for one append of a feature-table-shaped batch, and times a
 * deduplicating scan of the result. Not a test: run by hand against a server started with
 * {@code scripts/pg-test-server.sh start}.
 *
 * <p>Arguments: JDBC URL, rows (default 100000), repetitions (default 5).
 */
public final class AppendBenchmark {
  private AppendBenchmark() {}

  /** Runs the comparison and prints median milliseconds per method. */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot batch = batch(rows, allocator);
        Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute("DROP SCHEMA IF EXISTS bench CASCADE");
      c.createStatement().execute("CREATE SCHEMA bench");
      c.createStatement().execute("SET search_path = bench");
      PostgresBackend b = new PostgresBackend(c, "bench", "", true);
      for (PostgresBackend.AppendMethod m : PostgresBackend.AppendMethod.values()) {
        b.appendMethod(m);
        String table = m.name().toLowerCase(Locale.ROOT);
        b.append(table, batch); // warm-up, creates the table
        long[] ms = new long[reps];
        for (int i = 0; i < reps; i++) {
          long t0 = System.nanoTime();
          b.append(table, batch);
          ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(ms);
        System.out.printf(
            "append %-14s %d rows: median %d ms (min %d, max %d)%n",
            m, rows, ms[reps / 2], ms[0], ms[reps - 1]);
      }
      // The COPY table now holds (reps + 1) copies of every id: dedup keeps one row per id.
      ScanRequest scan = new ScanRequest(
          "copy",
          "fv",
          List.of("video_id"),
          Map.of("metaxy_provenance_by_field", List.of("audio", "frames")));
      long[] ms = new long[reps];
      for (int i = 0; i < reps; i++) {
        long t0 = System.nanoTime();
        try (VectorSchemaRoot r = b.scan(scan, allocator)) {
          ms[i] = (System.nanoTime() - t0) / 1_000_000;
          if (r.getRowCount() != rows) {
            throw new IllegalStateException(
                "dedup returned " + r.getRowCount() + " rows, expected " + rows);
          }
        }
      }
      Arrays.sort(ms);
      System.out.printf(
          "scan with dedup of %d rows to %d: median %d ms (min %d, max %d)%n",
          (long) rows * (reps + 1), rows, ms[reps / 2], ms[0], ms[reps - 1]);
      c.createStatement().execute("DROP SCHEMA bench CASCADE");
    }
  }

  private static VectorSchemaRoot batch(int rows, BufferAllocator allocator) {
    List<String> ids = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    List<String> fv = new ArrayList<>();
    List<Map<String, String>> pbf = new ArrayList<>();
    List<Long> ts = new ArrayList<>();
    List<Long> none = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      ids.add("video_" + i);
      hashes.add(String.format("%08x", i * 2654435761L & 0xffffffffL));
      fv.add("fv");
      pbf.add(Map.of("audio", String.format("%08x", i), "frames", String.format("%08x", i + 1)));
      ts.add(1_700_000_000_000_000L + i);
      none.add(null);
    }
    List<FieldVector> cols = new ArrayList<>();
    cols.add(ArrowBatches.strings("video_id", ids, allocator));
    BigIntVector size = new BigIntVector("size", allocator);
    size.allocateNew(rows);
    for (int i = 0; i < rows; i++) {
      size.set(i, i * 37L);
    }
    cols.add(size);
    cols.add(ArrowBatches.byFieldStruct(
        "metaxy_provenance_by_field", List.of("audio", "frames"), pbf, allocator));
    cols.add(ArrowBatches.strings("metaxy_provenance", hashes, allocator));
    cols.add(ArrowBatches.strings("metaxy_feature_version", fv, allocator));
    cols.add(ArrowBatches.strings("metaxy_project_version", fv, allocator));
    cols.add(ArrowBatches.byFieldStruct(
        "metaxy_data_version_by_field", List.of("audio", "frames"), pbf, allocator));
    cols.add(ArrowBatches.strings("metaxy_data_version", hashes, allocator));
    cols.add(ArrowBatches.timestamps("metaxy_created_at", ts, allocator));
    cols.add(ArrowBatches.timestamps("metaxy_updated_at", ts, allocator));
    cols.add(ArrowBatches.timestamps("metaxy_deleted_at", none, allocator));
    cols.add(ArrowBatches.strings(
        "metaxy_materialization_id", ids.stream().map(x -> (String) null).toList(), allocator));
    return ArrowBatches.of(cols, rows);
  }
}
