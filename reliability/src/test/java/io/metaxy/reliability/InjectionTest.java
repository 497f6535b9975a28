package io.metaxy.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.metaxy.FeatureKey;
import io.metaxy.filter.Filters;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.ReadOptions;
import io.metaxy.store.RowFilter;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.SystemTables;
import io.metaxy.store.duckdb.DuckDbMetadataStore;
import io.metaxy.store.postgres.PostgresMetadataStore;
import io.metaxy.store.postgres.PostgresStoreConfig;
import io.metaxy.store.support.ArrowBatches;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Area injection: strings that mean something to SQL, to PostgreSQL's COPY text format or to the filter
 * language go through both SQL stores as (a) values (string ids, user columns, by-field values, spec
 * descriptions, code versions, metadata and snapshot tags), (b) filter literals (built, parsed, and in a
 * dependency's filters) and (c) names (id and user columns, renames, selections, quoted identifiers in
 * filters, PostgreSQL table prefixes). Each must come back exactly, and a canary table made beforehand
 * keeps its rows. Reads that must fail, with payloads in them, fail with the store's own message (no
 * database error text) and release their Arrow memory.
 */
class InjectionTest {
  /** NUL-free: PostgreSQL text cannot hold NUL. */
  static final List<String> PAYLOADS = List.of(
      "'",
      "''",
      "\"",
      "\"\"",
      ";",
      "';",
      "'; DROP TABLE canary_raw; --",
      "\"; DROP TABLE canary_raw; --",
      "'); DROP TABLE canary_raw; --",
      "' OR '1'='1",
      "\" OR \"1\"=\"1",
      "$$",
      "$$; DROP TABLE canary_raw; $$",
      "$tag$ x $tag$",
      "--",
      "-- comment",
      "/*",
      "*/",
      "/* */",
      "/* DROP TABLE canary_raw */",
      "\\",
      "\\\\",
      "\\'",
      "\\\"",
      "\\N",
      "\\.",
      "a\tb",
      "line\nbreak",
      "cr\rlf",
      "%",
      "_",
      "?",
      "$1",
      ":name",
      "{\"a\": 1}",
      "[1, 2]",
      "null",
      "NULL",
      "é ü ß",
      "日本語",
      "🎉 emoji",
      "zero\u200bwidth",
      "rtl\u202eoverride",
      "E'\\x41'",
      "' || (SELECT count(*) FROM canary_raw) || '",
      " spaced ",
      "ctrl\u0001char",
      "a''b\"\"c");

  /** Texts that only a database error message would contain. */
  private static final List<String> SQL_ERROR_TEXT = List.of(
      "syntax error",
      "Parser Error",
      "Binder Error",
      "Catalog Error",
      "Conversion Error",
      "ERROR:",
      "SQLException",
      "PSQLException",
      "LINE 1",
      "Position:",
      "unterminated quoted",
      "does not exist");

  private static final Map<String, String> RESULTS = new LinkedHashMap<>();
  /** One entry per failed-read test: null when it passed, else what it found. */
  private static final List<String> FINDINGS = new ArrayList<>();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FeatureKey CANARY = FeatureKey.of("canary");
  private static final FeatureKey VALUES = FeatureKey.of("inj/values");

  @TempDir
  Path dir;

  @AfterAll
  static void closingLine() {
    long intact = RESULTS.values().stream().filter(r -> r.equals("ok")).count();
    long storeCount =
        RESULTS.keySet().stream().map(k -> k.split(" ")[0]).distinct().count();
    String stores = storeCount + " store" + (storeCount == 1 ? "" : "s");
    List<String> found = FINDINGS.stream().filter(Objects::nonNull).toList();
    System.out.println("reliability injection: " + PAYLOADS.size() + " payloads × " + stores + ", "
        + (RESULTS.isEmpty()
            ? "no round trip ran"
            : intact == RESULTS.size()
                ? "canary intact"
                : "FAILED "
                    + RESULTS.entrySet().stream()
                        .filter(e -> !e.getValue().equals("ok"))
                        .map(e -> e.getKey() + ": " + e.getValue())
                        .toList())
        + "; failed reads: "
        + (FINDINGS.isEmpty()
            ? "not run"
            : found.isEmpty() ? FINDINGS.size() + " checks clean" : String.join(", ", found)));
  }

  @Test
  void duckDb() throws Exception {
    String db = dir.resolve("injection.duckdb").toString();
    run(
        "duckdb",
        () -> connect("jdbc:duckdb:" + db),
        options -> new DuckDbMetadataStore(options, db));
  }

  @Test
  @ExtendWith(PgCluster.class)
  void postgres() throws Exception {
    String url = PgCluster.freshSchema("injection");
    run("postgres", () -> connect(url), options -> new PostgresMetadataStore(options, url));
  }

  /** PostgreSQL's table prefix is free text too: each payload as the prefix of a feature's table. */
  @Test
  @ExtendWith(PgCluster.class)
  @SuppressWarnings("try") // the scope keeps the store open for the write and the read
  void postgresTablePrefixes() throws Exception {
    String url = PgCluster.freshSchema("prefix");
    List<String> problems = new ArrayList<>();
    try (Connection c = connect(url);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE canary_raw (id INTEGER)");
      st.execute("INSERT INTO canary_raw VALUES (1), (2), (3)");
    }
    FeatureGraph graph = graph();
    try (BufferAllocator allocator = new RootAllocator()) {
      for (String p : PAYLOADS) {
        MetadataStore store = new PostgresMetadataStore(
            StoreOptions.of(graph).allocator(allocator),
            PostgresStoreConfig.of(url).withTablePrefix(p));
        try (var scope = store.open(AccessMode.WRITE)) {
          try (VectorSchemaRoot b = batch(
              allocator,
              List.of("sample_uid", "note", "metaxy_provenance_by_field"),
              List.of(List.of(p), List.of(p), List.of(p)),
              "va-lue")) {
            store.write(VALUES, b);
          }
          try (VectorSchemaRoot r =
              store.read(VALUES, ReadOptions.DEFAULT.filters(RowFilter.eq("note", p)))) {
            check(
                problems,
                "table prefix " + show(p) + ": ids read back",
                List.of(p),
                TestValues.column(r, "sample_uid"));
          }
        } catch (RuntimeException e) {
          problems.add("table prefix " + show(p) + " threw " + e);
        } finally {
          store.close();
        }
      }
    }
    try (Connection c = connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM canary_raw")) {
      rs.next();
      check(problems, "canary_raw rows", 3L, rs.getLong(1));
    } catch (SQLException e) {
      problems.add("canary_raw is gone: " + e.getMessage());
    }
    synchronized (RESULTS) {
      RESULTS.put(
          "postgres table prefixes", problems.isEmpty() ? "ok" : problems.size() + " problems");
    }
    if (!problems.isEmpty()) {
      fail("postgres table prefixes: " + problems.size() + " problems\n"
          + String.join("\n", problems));
    }
  }

  private static Connection connect(String url) {
    try {
      return DriverManager.getConnection(url);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("try") // the scope keeps the store open for every step
  private void run(
      String name, Supplier<Connection> raw, Function<StoreOptions, MetadataStore> stores)
      throws Exception {
    List<String> problems = new ArrayList<>();
    try (Connection c = raw.get();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE canary_raw (id INTEGER)");
      st.execute("INSERT INTO canary_raw VALUES (1), (2), (3)");
    }
    FeatureGraph graph = graph();
    BufferAllocator allocator = new RootAllocator();
    try {
      MetadataStore store = stores.apply(StoreOptions.of(graph).allocator(allocator));
      try (var scope = store.open(AccessMode.WRITE)) {
        try (VectorSchemaRoot b = batch(
            allocator,
            List.of("id", "metaxy_provenance_by_field"),
            List.of(List.of("1", "2", "3", "4", "5"), List.of("h1", "h2", "h3", "h4", "h5")),
            "value")) {
          store.write(CANARY, b);
        }
        // Each step must give back every buffer it took, failed reads included.
        values(store, allocator, problems);
        leaks(problems, "values and filter literals", allocator);
        names(store, allocator, problems);
        leaks(problems, "names", allocator);
        snapshot(store, problems);
        leaks(problems, "graph snapshot", allocator);
        try (VectorSchemaRoot canary = store.read(CANARY)) {
          check(problems, "canary feature rows", 5, canary.getRowCount());
        }
      } finally {
        store.close();
      }
    } finally {
      try {
        allocator.close();
      } catch (IllegalStateException e) {
        problems.add(
            "Arrow memory left allocated: " + e.getMessage().lines().findFirst().orElse(""));
      }
      try (Connection c = raw.get();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM canary_raw")) {
        rs.next();
        check(problems, "canary_raw rows", 3L, rs.getLong(1));
      } catch (SQLException e) {
        problems.add("canary_raw is gone: " + e.getMessage());
      }
      synchronized (RESULTS) {
        RESULTS.put(name, problems.isEmpty() ? "ok" : problems.size() + " problems");
      }
    }
    if (!problems.isEmpty()) {
      fail(name + ": " + problems.size() + " problems\n" + String.join("\n", problems));
    }
  }

  private static void leaks(List<String> problems, String step, BufferAllocator allocator) {
    long left = allocator.getAllocatedMemory();
    if (left > 0) {
      problems.add("Arrow memory still allocated after the " + step + " step: " + left + " bytes");
    }
  }

  // ---------------------------------------------------------------- (a) values and (b) filter
  // literals

  /** Payloads as string ids, user values and by-field values; then as filter literals of every kind. */
  private void values(MetadataStore store, BufferAllocator allocator, List<String> problems) {
    int n = PAYLOADS.size();
    try (VectorSchemaRoot b = batch(
        allocator,
        List.of("sample_uid", "note", "metaxy_provenance_by_field"),
        List.of(PAYLOADS, PAYLOADS, PAYLOADS),
        "va-lue")) {
      store.write(VALUES, b);
    }
    try (VectorSchemaRoot all = store.read(VALUES)) {
      check(problems, "rows of " + VALUES, n, all.getRowCount());
      Map<Object, Object> notes = new LinkedHashMap<>();
      Map<Object, Object> pbf = new LinkedHashMap<>();
      for (int r = 0; r < all.getRowCount(); r++) {
        Object id = ArrowBatches.value(all.getVector("sample_uid"), r);
        notes.put(id, ArrowBatches.value(all.getVector("note"), r));
        Map<String, Object> m =
            ArrowBatches.byField(all.getVector("metaxy_provenance_by_field"), r);
        pbf.put(id, m == null ? null : m.get("va-lue"));
      }
      for (String p : PAYLOADS) {
        check(problems, "note of id " + show(p), p, notes.get(p));
        check(problems, "by-field value of id " + show(p), p, pbf.get(p));
      }
    }
    for (String p : PAYLOADS) {
      String literal = "'" + p.replace("'", "''") + "'";
      // Parsing must give the very expression the factories build; the store then sees one and the
      // same.
      check(
          problems,
          "Filters.parse of " + show(literal),
          RowFilter.eq("sample_uid", p).expression(),
          Filters.parse("sample_uid = " + literal));
      only(
          problems,
          store,
          VALUES,
          "RowFilter.sql(note = " + show(literal) + ")",
          p,
          RowFilter.sql("note = " + literal));
      only(
          problems,
          store,
          VALUES,
          "RowFilter.in(note, [" + show(p) + ", ...]) AND NOT note != ...",
          p,
          RowFilter.and(List.of(
              RowFilter.in("note", List.of(p, "no such note")),
              RowFilter.not(RowFilter.ne("note", p)))));
      try (VectorSchemaRoot others =
          store.read(VALUES, ReadOptions.DEFAULT.filters(RowFilter.ne("sample_uid", p)))) {
        check(problems, "rows of sample_uid != " + show(p), n - 1, others.getRowCount());
      } catch (RuntimeException e) {
        problems.add("sample_uid != " + show(p) + " threw " + e);
      }
    }
    for (int i = 0; i < n; i++) {
      FeatureKey down = FeatureKey.of("inj/f" + i);
      try (Increment inc = store.resolveUpdate(down)) {
        List<Object> ids = TestValues.column(inc.newSamples(), "sample_uid");
        check(
            problems,
            "resolveUpdate of a dependency filtered on note = " + show(PAYLOADS.get(i)),
            List.of(PAYLOADS.get(i)),
            ids);
        store.write(down, inc.newSamples());
      } catch (RuntimeException e) {
        problems.add("dependency filter note = " + show(PAYLOADS.get(i)) + " threw " + e);
      }
    }
  }

  private static void only(
      List<String> problems,
      MetadataStore store,
      FeatureKey key,
      String what,
      String id,
      RowFilter f) {
    try (VectorSchemaRoot r = store.read(key, ReadOptions.DEFAULT.filters(f))) {
      check(problems, what, List.of(id), TestValues.column(r, "sample_uid"));
    } catch (RuntimeException e) {
      problems.add(what + " threw " + e);
    }
  }

  // ---------------------------------------------------------------- (c) names

  /** Payloads as id and user column names, renamed and selected, and as quoted identifiers in filters. */
  private void names(MetadataStore store, BufferAllocator allocator, List<String> problems) {
    for (int i = 0; i < PAYLOADS.size(); i++) {
      String p = PAYLOADS.get(i);
      String user = "v " + p;
      FeatureKey up = FeatureKey.of("inj-names/n" + i);
      FeatureKey down = FeatureKey.of("inj-names/d" + i);
      String what = "column names " + show(p) + " / " + show(user);
      try {
        try (VectorSchemaRoot b = batch(
            allocator,
            List.of(p, user, "metaxy_provenance_by_field"),
            List.of(List.of("a" + i, "b" + i), List.of(p, p + "!"), List.of("h1", "h2")),
            "f-" + i)) {
          store.write(up, b);
        }
        try (VectorSchemaRoot r = store.read(up, ReadOptions.DEFAULT.columns(p, user))) {
          check(problems, what + ": names read back", List.of(p, user), ArrowBatches.names(r));
          check(
              problems,
              what + ": ids read back",
              List.of("a" + i, "b" + i),
              sorted(TestValues.column(r, p)));
          check(
              problems,
              what + ": values read back",
              List.of(p, p + "!"),
              sorted(TestValues.column(r, user)));
        }
        try (VectorSchemaRoot r =
            store.read(up, ReadOptions.DEFAULT.filters(RowFilter.eq(user, p)))) {
          check(
              problems,
              what + ": RowFilter.eq on the user column",
              List.of("a" + i),
              TestValues.column(r, p));
        }
        String quoted = "\"" + p.replace("\"", "\"\"") + "\"";
        try (VectorSchemaRoot r = store.read(
            up, ReadOptions.DEFAULT.filters(RowFilter.sql(quoted + " = 'b" + i + "'")))) {
          check(
              problems,
              what + ": quoted identifier " + show(quoted) + " in a filter string",
              List.of("b" + i),
              TestValues.column(r, p));
        }
        try (Increment inc = store.resolveUpdate(down)) {
          VectorSchemaRoot fresh = inc.newSamples();
          check(
              problems,
              what + ": resolveUpdate through rename, select and a filter",
              List.of("a" + i),
              TestValues.column(fresh, p));
          check(
              problems, what + ": renamed column", List.of(p), TestValues.column(fresh, "r " + p));
          store.write(down, fresh);
        }
        try (Increment again = store.resolveUpdate(down)) {
          check(problems, what + ": nothing left to resolve", true, again.isEmpty());
        }
      } catch (RuntimeException e) {
        problems.add(what + " threw " + e);
      }
    }
  }

  // ---------------------------------------------------------------- values in the system tables

  /** Descriptions, code versions, metadata and tags with payloads are recorded and loaded back unchanged. */
  private void snapshot(MetadataStore store, List<String> problems) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < PAYLOADS.size(); i++) {
      tags.put("t" + i + PAYLOADS.get(i), PAYLOADS.get(i));
    }
    try {
      SystemTables sys = new SystemTables(store);
      SystemTables.PushResult pushed = sys.pushGraphSnapshot("injection", tags);
      Map<FeatureKey, FeatureDefinition> loaded = new LinkedHashMap<>();
      for (FeatureDefinition d : sys.loadSnapshot(pushed.projectVersion())) {
        loaded.put(d.spec().key(), d);
      }
      for (FeatureDefinition d : store.graph().definitions()) {
        FeatureDefinition back = loaded.get(d.spec().key());
        check(
            problems,
            "recorded spec of " + d.spec().key(),
            d.spec(),
            back == null ? null : back.spec());
      }
      try (VectorSchemaRoot recorded = store.read(
          SystemTables.FEATURE_VERSIONS, ReadOptions.DEFAULT.featureHistory().columns("tags"))) {
        Map<?, ?> back = JSON.readValue(
            String.valueOf(ArrowBatches.value(recorded.getVector("tags"), 0)), Map.class);
        for (Map.Entry<String, String> t : tags.entrySet()) {
          check(problems, "recorded tag " + show(t.getKey()), t.getValue(), back.get(t.getKey()));
        }
      }
    } catch (Exception e) {
      problems.add("graph snapshot push and load threw " + e);
    }
  }

  // ---------------------------------------------------------------- errors

  /** Mistakes with payloads in them fail with the store's own messages, never a database's. */
  @Test
  void duckDbFailedReadsCarryNoDatabaseText() throws Exception {
    String db = dir.resolve("errors.duckdb").toString();
    failedReads("duckdb", options -> new DuckDbMetadataStore(options, db), false);
  }

  @Test
  @ExtendWith(PgCluster.class)
  void postgresFailedReadsCarryNoDatabaseText() throws Exception {
    String url = PgCluster.freshSchema("errors");
    failedReads("postgres", options -> new PostgresMetadataStore(options, url), false);
  }

  @Test
  void duckDbFailedReadsReleaseTheirMemory() throws Exception {
    String db = dir.resolve("memory.duckdb").toString();
    failedReads("duckdb", options -> new DuckDbMetadataStore(options, db), true);
  }

  @Test
  @ExtendWith(PgCluster.class)
  void postgresFailedReadsReleaseTheirMemory() throws Exception {
    String url = PgCluster.freshSchema("memory");
    failedReads("postgres", options -> new PostgresMetadataStore(options, url), true);
  }

  /**
   * Reads that must fail, with payloads in them: a filter on a missing column, a projection of a missing
   * column, an unescaped literal. Checks either that no error carries a database's text or that each
   * failed read released the Arrow memory it took.
   */
  @SuppressWarnings("try") // the scope keeps the store open for the reads
  private void failedReads(
      String name, Function<StoreOptions, MetadataStore> stores, boolean memory) throws Exception {
    List<String> problems = new ArrayList<>();
    int calls = 0;
    BufferAllocator allocator = new RootAllocator();
    try {
      MetadataStore store = stores.apply(StoreOptions.of(graph()).allocator(allocator));
      try (var scope = store.open(AccessMode.WRITE)) {
        try (VectorSchemaRoot b = batch(
            allocator,
            List.of("sample_uid", "note", "metaxy_provenance_by_field"),
            List.of(PAYLOADS, PAYLOADS, PAYLOADS),
            "va-lue")) {
          store.write(VALUES, b);
        }
        for (String p : PAYLOADS) {
          Map<String, Supplier<ReadOptions>> reads = new LinkedHashMap<>();
          reads.put(
              "a filter on a missing column " + show(p),
              () -> ReadOptions.DEFAULT.filters(RowFilter.eq(p, "x")));
          reads.put(
              "a projection of a missing column " + show(p),
              () -> ReadOptions.DEFAULT.columns("sample_uid", p));
          // Mostly a syntax error; where it parses it is the caller's own filter, which may fail or
          // not.
          reads.put(
              "an unescaped literal " + show(p),
              () -> ReadOptions.DEFAULT.filters(
                  RowFilter.sql("note = '" + p + "' AND note = '" + p + "'")));
          for (Map.Entry<String, Supplier<ReadOptions>> r : reads.entrySet()) {
            calls++;
            failedRead(
                problems,
                store,
                r.getKey(),
                r.getValue(),
                memory,
                !r.getKey().startsWith("an unescaped"));
          }
        }
      } finally {
        store.close();
      }
    } finally {
      try {
        allocator.close();
      } catch (IllegalStateException e) {
        // Reported call by call by the memory variant of this test.
      }
      String kind =
          memory ? "failed reads that keep Arrow memory" : "errors carrying database text";
      synchronized (FINDINGS) {
        FINDINGS.add(
            problems.isEmpty()
                ? null
                : name + " " + kind + " (" + problems.size() + " of " + calls + ")");
      }
    }
    if (!problems.isEmpty()) {
      fail(name + ": " + problems.size() + " "
          + (memory ? "failed reads did not release their memory" : "errors carry database text")
          + "\n" + String.join("\n", problems));
    }
  }

  private static void failedRead(
      List<String> problems,
      MetadataStore store,
      String what,
      Supplier<ReadOptions> options,
      boolean memory,
      boolean mustFail) {
    long before = store.allocator().getAllocatedMemory();
    try {
      store.read(VALUES, options.get()).close();
      if (mustFail) {
        problems.add(what + " did not fail");
      }
    } catch (RuntimeException e) {
      if (!memory && databaseText(e)) {
        problems.add(what + ": the error carries database text: " + e);
      }
    }
    long kept = store.allocator().getAllocatedMemory() - before;
    if (memory && kept > 0) {
      problems.add(what + ": " + kept + " bytes of Arrow memory not released");
    }
  }

  private static boolean databaseText(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (t instanceof SQLException || SQL_ERROR_TEXT.stream().anyMatch(m::contains)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- graph and batches

  /**
   * The features, from class-free JSON: a canary, {@code inj/values}, and per payload a feature with a
   * dependency filtered on it, and a pair named by it (with its description, code version and metadata).
   */
  private static FeatureGraph graph() throws Exception {
    List<Object> features = new ArrayList<>();
    features.add(
        feature(Map.of("key", "canary", "id_columns", List.of("id"), "fields", List.of("value"))));
    features.add(feature(Map.of(
        "key", "inj/values", "id_columns", List.of("sample_uid"), "fields", List.of("va-lue"))));
    for (int i = 0; i < PAYLOADS.size(); i++) {
      String p = PAYLOADS.get(i);
      String literal = "'" + p.replace("'", "''") + "'";
      features.add(feature(Map.of(
          "key",
          "inj/f" + i,
          "id_columns",
          List.of("sample_uid"),
          "deps",
          List.of(Map.of("feature", "inj/values", "filters", List.of("note = " + literal))))));
      features.add(feature(Map.of(
          "key",
          "inj-names/n" + i,
          "id_columns",
          List.of(p),
          "fields",
          List.of(Map.of("key", "f-" + i, "code_version", p)),
          "description",
          p,
          "metadata",
          Map.of("note", p, p, List.of(p)))));
      // A dependency's filters see the upstream columns after the rename.
      String quoted = "\"" + ("r " + p).replace("\"", "\"\"") + "\"";
      features.add(feature(Map.of(
          "key",
          "inj-names/d" + i,
          "id_columns",
          List.of(p),
          "deps",
          List.of(Map.of(
              "feature",
              "inj-names/n" + i,
              "rename",
              Map.of("v " + p, "r " + p),
              "select",
              List.of("r " + p),
              "filters",
              List.of(quoted + " = " + literal))))));
    }
    return FeatureGraph.fromJson(JSON.writeValueAsString(Map.of("features", features)));
  }

  private static Map<String, Object> feature(Map<String, Object> spec) {
    return Map.of("spec", spec, "project", "injection");
  }

  /** String columns; the last one is a by-field struct with one key, {@code byFieldKey}. */
  private static VectorSchemaRoot batch(
      BufferAllocator a, List<String> names, List<List<String>> columns, String byFieldKey) {
    List<FieldVector> vs = new ArrayList<>();
    for (int c = 0; c < names.size() - 1; c++) {
      vs.add(ArrowBatches.strings(names.get(c), columns.get(c), a));
    }
    List<Map<String, String>> pbf = new ArrayList<>();
    for (String v : columns.get(names.size() - 1)) {
      pbf.add(Map.of(byFieldKey, v));
    }
    vs.add(ArrowBatches.byFieldStruct(names.get(names.size() - 1), List.of(byFieldKey), pbf, a));
    return ArrowBatches.of(vs, columns.get(0).size());
  }

  private static List<Object> sorted(List<Object> values) {
    List<Object> out = new ArrayList<>(values);
    out.sort((x, y) -> String.valueOf(x).compareTo(String.valueOf(y)));
    return out;
  }

  private static void check(List<String> problems, String what, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      problems.add(what + ": expected " + show(expected) + " but got " + show(actual));
    }
  }

  /** A payload with its control characters visible. */
  private static String show(Object o) {
    String s = String.valueOf(o);
    return s.replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\u0001", "\\u0001");
  }

  /** Column reads. */
  static final class TestValues {
    private TestValues() {}

    static List<Object> column(VectorSchemaRoot r, String name) {
      FieldVector v = r.getVector(name);
      if (v == null) {
        throw new AssertionError("no column " + show(name) + " in " + ArrowBatches.names(r));
      }
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < r.getRowCount(); i++) {
        out.add(ArrowBatches.value(v, i));
      }
      return out;
    }
  }
}
