package io.metaxy.store;

import static io.metaxy.store.TestRows.batch;
import static io.metaxy.store.TestRows.cell;
import static io.metaxy.store.TestRows.pbf;
import static io.metaxy.store.TestRows.row;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldDep;
import io.metaxy.spec.FieldDeps;
import io.metaxy.spec.FieldSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Assertions;

/**
 * The two-feature pipeline the stores' layout tests write and then query the way the Python reference
 * does: {@code video/raw} (fields as given, default audio and frames) and {@code video/clip}, whose
 * {@code audio} (code version 2) depends on raw's audio and whose {@code summary} (1) on every raw field.
 */
@SuppressWarnings("try") // store scopes are held open, not referenced
public final class LayoutFixture {
  public static final FeatureKey RAW = FeatureKey.of("video/raw");
  public static final FeatureKey CLIP = FeatureKey.of("video/clip");

  private LayoutFixture() {}

  /** The graph, raw's fields given as key, code version pairs. */
  public static FeatureGraph graph(String... rawFields) {
    FeatureSpec.Builder raw = FeatureSpec.builder("video/raw", "video_id");
    for (int i = 0; i < rawFields.length; i += 2) {
      raw.field(rawFields[i], rawFields[i + 1]);
    }
    FeatureSpec clip = FeatureSpec.builder("video/clip", "video_id")
        .dep("video/raw")
        .field(new FieldSpec(
            FieldKey.of("audio"),
            "2",
            new FieldDeps.Explicit(List.of(new FieldDep(RAW, List.of(FieldKey.of("audio")))))))
        .field(new FieldSpec(FieldKey.of("summary"), "1", FieldDeps.ALL_UPSTREAM))
        .build();
    return FeatureGraph.of(List.of(
        FeatureDefinition.of(raw.build(), "p", Map.of()),
        FeatureDefinition.of(clip, "p", Map.of())));
  }

  /** raw with audio and frames. */
  public static FeatureGraph graph() {
    return graph("audio", "1", "frames", "1");
  }

  /** Writes raw rows v1..vN (audio aI, frames fI), then clip's rows for all of them from its resolve. */
  public static void pipeline(MetadataStore s, int n, BufferAllocator allocator) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      rows.add(row(
          "video_id",
          "v" + i,
          "metaxy_provenance_by_field",
          pbf("audio", "a" + i, "frames", "f" + i)));
    }
    try (VectorSchemaRoot b = batch(allocator, rows)) {
      s.write(RAW, b);
    }
    try (Increment inc = s.resolveUpdate(CLIP)) {
      s.write(CLIP, inc.newSamples());
    }
  }

  /** Changes v2's frames (clip's summary goes stale) and adds v4 (new). */
  public static void change(MetadataStore s, BufferAllocator allocator) {
    try (VectorSchemaRoot b = batch(
        allocator,
        row("video_id", "v2", "metaxy_provenance_by_field", pbf("audio", "a2", "frames", "f2b")),
        row("video_id", "v4", "metaxy_provenance_by_field", pbf("audio", "a4", "frames", "f4")))) {
      s.write(RAW, b);
    }
  }

  /** The sorted video ids of a batch. */
  public static List<String> ids(VectorSchemaRoot r) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < r.getRowCount(); i++) {
      out.add((String) cell(r, "video_id", i));
    }
    return out.stream().sorted().toList();
  }

  /**
   * Resolves clip after {@link #change} and checks that it finds v4 new and v2 stale, with exactly the
   * sample provenance {@code theirs} (video id → provenance, computed the reference's way) gives them.
   */
  public static void assertResolveMatches(MetadataStore s, Map<String, String> theirs) {
    try (var scope = s.open(AccessMode.READ);
        Increment inc = s.resolveUpdate(CLIP)) {
      Assertions.assertEquals(List.of("v4"), ids(inc.newSamples()));
      Assertions.assertEquals(List.of("v2"), ids(inc.stale()));
      Map<String, String> ours = new TreeMap<>();
      for (VectorSchemaRoot r : List.of(inc.newSamples(), inc.stale())) {
        for (int i = 0; i < r.getRowCount(); i++) {
          ours.put((String) cell(r, "video_id", i), (String) cell(r, "metaxy_provenance", i));
        }
      }
      Assertions.assertEquals(new TreeMap<>(theirs), ours);
    }
  }

  /** Every row of a query as strings, on a fresh JDBC connection (set to UTC first). */
  public static List<List<String>> rows(String jdbcUrl, String query) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      try (ResultSet rs = st.executeQuery(query)) {
        while (rs.next()) {
          List<String> r = new ArrayList<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            r.add(rs.getString(i));
          }
          out.add(r);
        }
      }
    }
    return out;
  }
}
