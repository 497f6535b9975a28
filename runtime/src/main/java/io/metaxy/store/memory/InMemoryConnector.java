package io.metaxy.store.memory;

import io.metaxy.store.MetadataStoreException;
import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreBackend;
import io.metaxy.store.spi.StoreConnector;
import io.metaxy.store.support.ArrowBatches;
import io.metaxy.store.support.ArrowTableScan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType.Null;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The connector of an {@link InMemoryMetadataStore}: it holds the tables, as Arrow batches, so they
 * survive closing and reopening the store and are lost with it.
 */
public final class InMemoryConnector implements StoreConnector {
  private final Map<String, List<VectorSchemaRoot>> tables = new TreeMap<>();

  /**
   * Per table, a number that changes when its rows are replaced or it is dropped and created again, so
   * an {@linkplain StoreBackend#appendCursor append cursor} of an earlier incarnation is refused.
   */
  private final Map<String, Long> incarnations = new TreeMap<>();

  private long nextIncarnation = 1;

  /** An empty database. */
  public InMemoryConnector() {}

  @Override
  public String display() {
    return "InMemoryMetadataStore(tables=" + tables.size() + ")";
  }

  @Override
  public StoreBackend connect(ConnectRequest request) {
    return new Backend(request.allocator());
  }

  /** Frees every stored batch; the database is empty afterwards. */
  public void clear() {
    tables.values().forEach(l -> l.forEach(VectorSchemaRoot::close));
    tables.clear();
    incarnations.clear();
  }

  private final class Backend implements StoreBackend {
    private final BufferAllocator allocator;

    Backend(BufferAllocator allocator) {
      this.allocator = allocator;
    }

    @Override
    public boolean hasTable(String table) {
      return tables.containsKey(table);
    }

    @Override
    public List<String> listTables() {
      return List.copyOf(tables.keySet());
    }

    @Override
    public VectorSchemaRoot scan(ScanRequest request, BufferAllocator allocator) {
      List<VectorSchemaRoot> batches = tables.get(request.table());
      if (batches == null) {
        // As the SQL backends do; a NullPointerException from concat said nothing of the table.
        throw new MetadataStoreException("table " + request.table() + " does not exist in memory");
      }
      return ArrowTableScan.scan(batches, request, allocator);
    }

    @Override
    public void appendAll(List<Append> appends) {
      // Take every reference first, then publish: a failure before the adds leaves every table
      // untouched.
      List<VectorSchemaRoot> kept = new ArrayList<>();
      try {
        for (Append a : appends) {
          kept.add(keep(a.batch()));
        }
      } catch (RuntimeException | Error e) {
        kept.forEach(VectorSchemaRoot::close);
        throw e;
      }
      for (int i = 0; i < appends.size(); i++) {
        String t = appends.get(i).table();
        incarnations.computeIfAbsent(t, x -> nextIncarnation++);
        tables.computeIfAbsent(t, x -> new ArrayList<>()).add(kept.get(i));
      }
    }

    /** {@code incarnation:rows}: the rows of one incarnation of a table only ever grow. */
    @Override
    public @Nullable String appendCursor(String table) {
      List<VectorSchemaRoot> batches = tables.get(table);
      if (batches == null) {
        return null;
      }
      return incarnations.get(table) + ":" + rows(batches);
    }

    /** Same incarnation, same row count: the rows of an incarnation only ever grow. */
    @Override
    public boolean unchangedBetween(String table, String earlier, String later) {
      return earlier.equals(later);
    }

    @Override
    public @Nullable VectorSchemaRoot scanAppended(
        String table, String cursor, @Nullable List<String> columns, BufferAllocator allocator) {
      List<VectorSchemaRoot> batches = tables.get(table);
      int colon = cursor.indexOf(':');
      if (batches == null
          || colon < 0
          || !cursor.substring(0, colon).equals(String.valueOf(incarnations.get(table)))) {
        return null;
      }
      long from = Long.parseLong(cursor.substring(colon + 1));
      if (from > rows(batches)) {
        return null;
      }
      try (VectorSchemaRoot all = ArrowBatches.concat(batches, allocator);
          VectorSchemaRoot cols = columns == null
              ? ArrowBatches.select(all, ArrowBatches.names(all), allocator)
              : ArrowBatches.select(all, columns, allocator)) {
        int n = all.getRowCount() - (int) from;
        int[] take = new int[n];
        for (int i = 0; i < n; i++) {
          take[i] = (int) from + i;
        }
        return ArrowBatches.take(cols, take, allocator);
      }
    }

    private static long rows(List<VectorSchemaRoot> batches) {
      long n = 0;
      for (VectorSchemaRoot b : batches) {
        n += b.getRowCount();
      }
      return n;
    }

    @Override
    public @Nullable Schema tableSchema(String table) {
      List<VectorSchemaRoot> batches = tables.get(table);
      if (batches == null) {
        return null;
      }
      // Later appends may add columns; the first batch with a typed column fixed its type.
      Map<String, Field> fields = new LinkedHashMap<>();
      for (VectorSchemaRoot b : batches) {
        for (Field f : b.getSchema().getFields()) {
          Field known = fields.get(f.getName());
          if (known == null || known.getType() instanceof Null) {
            fields.put(f.getName(), f);
          }
        }
      }
      return new Schema(List.copyOf(fields.values()));
    }

    @Override
    public void replace(String table, VectorSchemaRoot rows) {
      List<VectorSchemaRoot> old = tables.put(table, new ArrayList<>(List.of(keep(rows))));
      incarnations.put(table, nextIncarnation++);
      if (old != null) {
        old.forEach(VectorSchemaRoot::close);
      }
    }

    /**
     * The stored form of a batch: its buffers shared (reference counted) when they come from the store's
     * allocator, else a copy, so a caller closing its own allocator never strands store data.
     */
    private VectorSchemaRoot keep(VectorSchemaRoot batch) {
      boolean ours = batch.getFieldVectors().stream().allMatch(v -> v.getAllocator() == allocator);
      if (!ours) {
        return ArrowBatches.select(batch, ArrowBatches.names(batch), allocator);
      }
      List<FieldVector> shared = new ArrayList<>();
      for (FieldVector v : batch.getFieldVectors()) {
        shared.add(ArrowBatches.share(v, allocator));
      }
      return ArrowBatches.of(shared, batch.getRowCount());
    }

    @Override
    public void dropTable(String table) {
      List<VectorSchemaRoot> old = tables.remove(table);
      incarnations.remove(table);
      if (old != null) {
        old.forEach(VectorSchemaRoot::close);
      }
    }

    @Override
    public void close() {}
  }
}
