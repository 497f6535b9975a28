package io.metaxy.store;

import io.metaxy.FeatureKey;
import io.metaxy.filter.FilterExpr;
import io.metaxy.filter.Filters;
import io.metaxy.json.CanonicalJson;
import io.metaxy.json.Json;
import io.metaxy.store.support.ArrowBatches;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link IncrementalResolver} keeps what a resolve remembers: in this store's memory and, unless
 * the store is open READ, in the system table {@code metaxy_system__resolve_state}, so that another
 * process starts from it. Any recorded state is a valid starting point, so losing one costs time only.
 */
final class ResolveStates {
  /** The system table of recorded resolve states ({@code metaxy_system__resolve_state}). */
  static final FeatureKey STATE =
      new FeatureKey(List.of(SystemTables.SYSTEM_PART, "resolve_state"));

  private final MetadataStore store;
  private final StoreConnection connection;
  private final BufferAllocator allocator;

  /** Per feature and configuration, the last state this store recorded or read. */
  private final Map<String, State> memory = new ConcurrentHashMap<>();

  ResolveStates(MetadataStore store, StoreConnection connection) {
    this.store = store;
    this.connection = connection;
    this.allocator = store.allocator();
  }

  /**
   * What a resolve remembers.
   *
   * @param config the hash of everything the answer depends on besides the rows
   * @param cursors per physical table, its append cursor before the resolve read it ({@code ""}
   *     when it did not exist)
   * @param rows per physical table, its row count as the backend estimated it with the cursor (-1:
   *     unknown), which bounds the tail without reading it
   * @param outstanding the partition keys the resolve answered as new, stale or orphaned
   * @param latest per physical table of an upstream whose appended rows can stand in for its stored
   *     ones ({@code IncrementalResolver.servable}), the latest deduplication order (microseconds) of
   *     any row before its cursor or later; absent when unknown
   */
  record State(
      String config,
      Map<String, String> cursors,
      Map<String, Long> rows,
      Set<List<Object>> outstanding,
      Map<String, Long> latest) {}

  private static String memoryKey(FeatureKey key, String config) {
    return key + "\u0000" + config;
  }

  /** The state of this configuration: this store's, else the latest one recorded in the store. */
  @Nullable
  State recall(FeatureKey key, String config) {
    State s = memory.get(memoryKey(key, config));
    if (s != null) {
      return s;
    }
    s = load(key, config);
    if (s != null) {
      memory.put(memoryKey(key, config), s);
    }
    return s;
  }

  void remember(FeatureKey key, State s) {
    State before = memory.put(memoryKey(key, s.config()), s);
    if (s.equals(before)) {
      return; // nothing appended, nothing resolved differently: the recorded state stands
    }
    if (connection.accessMode() == AccessMode.READ) {
      return; // no place to persist it: this store keeps it until closed
    }
    persist(key, s);
  }

  private void persist(FeatureKey key, State s) {
    List<List<Object>> keys = new ArrayList<>(s.outstanding());
    Map<String, Object> cursors = new TreeMap<>(s.cursors());
    List<FieldVector> vs = new ArrayList<>();
    vs.add(ArrowBatches.strings("feature_key", List.of(key.toString()), allocator));
    vs.add(ArrowBatches.strings("config", List.of(s.config()), allocator));
    vs.add(ArrowBatches.strings("cursors", List.of(CanonicalJson.write(cursors)), allocator));
    vs.add(ArrowBatches.strings("outstanding", List.of(CanonicalJson.write(keys)), allocator));
    vs.add(ArrowBatches.strings(
        "row_counts", List.of(CanonicalJson.write(new TreeMap<>(s.rows()))), allocator));
    vs.add(ArrowBatches.strings(
        "latest_orders", List.of(CanonicalJson.write(new TreeMap<>(s.latest()))), allocator));
    Instant now = Instant.now();
    vs.add(ArrowBatches.timestamps(
        "recorded_at",
        List.of(now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000),
        allocator));
    try (VectorSchemaRoot row = ArrowBatches.of(vs, 1)) {
      store.write(STATE, row);
    }
  }

  /** Above this many recorded states of one configuration, the older ones are deleted. */
  static final int MAX_RECORDED_STATES = 16;

  /**
   * Deletes the states of a configuration recorded before {@code latestMicros}. Every state is a valid
   * starting point, so a concurrent resolve that recorded one meanwhile loses nothing it needs.
   */
  private void prune(FeatureKey key, String config, long latestMicros) {
    Instant t = Instant.ofEpochSecond(
        Math.floorDiv(latestMicros, 1_000_000), Math.floorMod(latestMicros, 1_000_000) * 1_000L);
    store.delete(
        STATE,
        List.of(
            RowFilter.eq("feature_key", key.toString()),
            RowFilter.eq("config", config),
            RowFilter.of(Filters.compare("recorded_at", FilterExpr.Op.LT, t))),
        DeleteOptions.HARD);
  }

  /** The latest recorded state of this configuration in the store, or null. */
  private @Nullable State load(FeatureKey key, String config) {
    if (!store.hasFeature(STATE, false)) {
      return null;
    }
    try (VectorSchemaRoot rows = store.read(
        STATE,
        ReadOptions.DEFAULT
            .featureHistory()
            .noFallback()
            .filters(List.of(
                RowFilter.eq("feature_key", key.toString()), RowFilter.eq("config", config))))) {
      if (rows.getRowCount() == 0) {
        return null;
      }
      // Any recorded state is valid; the latest has the shortest tail (a clock that went back only
      // makes the tail longer).
      int last = 0;
      FieldVector at = rows.getVector("recorded_at");
      for (int r = 1; r < rows.getRowCount(); r++) {
        Long a = ArrowBatches.micros(at, r);
        Long b = ArrowBatches.micros(at, last);
        if (a != null && (b == null || a >= b)) {
          last = r;
        }
      }
      Long latest = ArrowBatches.micros(at, last);
      if (rows.getRowCount() > MAX_RECORDED_STATES
          && latest != null
          && connection.accessMode() != AccessMode.READ) {
        prune(key, config, latest);
      }
      Object c = Json.parse(
          String.valueOf(ArrowBatches.value(rows.getVector("cursors"), last)), "resolve state");
      Object o = Json.parse(
          String.valueOf(ArrowBatches.value(rows.getVector("outstanding"), last)), "resolve state");
      if (!(c instanceof Map<?, ?> cm) || !(o instanceof List<?> ol)) {
        return null;
      }
      Map<String, String> cursors = new LinkedHashMap<>();
      cm.forEach((k, v) -> cursors.put(String.valueOf(k), String.valueOf(v)));
      Set<List<Object>> outstanding = new LinkedHashSet<>();
      for (Object k : ol) {
        if (!(k instanceof List<?> kl)) {
          return null;
        }
        List<Object> key2 = new ArrayList<>();
        for (Object v : kl) {
          Object n = v instanceof Integer i ? Long.valueOf(i) : v;
          if (n instanceof BigInteger || n instanceof Double) {
            return null;
          }
          key2.add(n);
        }
        outstanding.add(key2);
      }
      Map<String, Long> counts = longs(rows, "row_counts", last);
      return new State(config, cursors, counts, outstanding, longs(rows, "latest_orders", last));
    }
  }

  /**
   * A JSON object of integers in a column of a recorded state (empty when the column, from an older
   * version, is missing); numbers that are not integers are skipped.
   */
  private static Map<String, Long> longs(VectorSchemaRoot rows, String column, int row) {
    Map<String, Long> out = new LinkedHashMap<>();
    FieldVector v = rows.getVector(column);
    Object json = v == null ? null : ArrowBatches.value(v, row);
    if (json != null && Json.parse(String.valueOf(json), "resolve state") instanceof Map<?, ?> m) {
      m.forEach((k, n) -> {
        if (n instanceof Long || n instanceof Integer) {
          out.put(String.valueOf(k), ((Number) n).longValue());
        }
      });
    }
    return out;
  }
}
