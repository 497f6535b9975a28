package io.metaxy.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import io.metaxy.SystemColumns;
import io.metaxy.SystemColumns.Column;
import io.metaxy.graph.FeatureCompanion;
import io.metaxy.graph.FeatureCompanions;
import io.metaxy.internal.SystemColumnFields;
import io.metaxy.store.duckdb.DuckDbTables;
import java.lang.reflect.RecordComponent;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated companion's codec and jOOQ columns work on real records, Arrow and DuckDB (in a table
 * created with the DuckDB adapter's DDL for the companion).
 */
class GeneratedCodecTest {
  private static URLClassLoader loader;

  @BeforeAll
  static void compile() {
    Compilation c = TestSources.javac().compile(TestSources.source("media.Clip", """
                    package media;

                    import io.metaxy.annotations.*;
                    import java.time.Instant;
                    import java.time.LocalDate;
                    import java.util.List;

                    @Feature(key = "media/clip", idColumns = {"clip_id"})
                    public record Clip(
                        String clipId,
                        long frames,
                        @Nullable Double score,
                        boolean ok,
                        Instant seenAt,
                        LocalDate day,
                        byte[] thumbnail,
                        @Column("labels") List<String> tags) {
                      @interface Nullable {}
                    }
                    """));
    assertThat(c).succeededWithoutWarnings();
    loader = TestSources.loader(TestSources.writeOutput(c));
  }

  @AfterAll
  static void close() throws Exception {
    loader.close();
  }

  @SuppressWarnings("unchecked")
  private static FeatureCompanion<Record> companion() throws Exception {
    return (FeatureCompanion<Record>)
        FeatureCompanions.of(loader.loadClass("media.Clip").asSubclass(Record.class));
  }

  private static Record clip(Object... values) throws Exception {
    Class<?> type = loader.loadClass("media.Clip");
    RecordComponent[] rc = type.getRecordComponents();
    Class<?>[] types = new Class<?>[rc.length];
    for (int i = 0; i < rc.length; i++) {
      types[i] = rc[i].getType();
    }
    return (Record) type.getDeclaredConstructor(types).newInstance(values);
  }

  private static List<Object> values(Record r) throws Exception {
    List<Object> out = new ArrayList<>();
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      Object v = c.getAccessor().invoke(r);
      out.add(v instanceof byte[] b ? Arrays.toString(b) : v);
    }
    return out;
  }

  private static final Object[] ROW = {
    "c1",
    42L,
    null,
    true,
    Instant.parse("2024-01-02T03:04:05.000006Z"),
    LocalDate.of(2024, 1, 2),
    new byte[] {7, 8},
    List.of("x", "y")
  };

  @Test
  void arrowRoundTrip() throws Exception {
    FeatureCompanion<Record> companion = companion();
    Record r = clip(ROW);
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = companion.toArrow(List.of(r), allocator)) {
      assertThat(root.getSchema()).isEqualTo(companion.userSchema());
      assertThat(root.getSchema().getFields().get(7).getName()).isEqualTo("labels");
      assertThat(values(companion.fromArrow(root, 0))).isEqualTo(values(r));
    }
  }

  @Test
  void ddlRunsOnDuckDbAndRowsReadBack() throws Exception {
    FeatureCompanion<Record> companion = companion();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement()) {
      st.execute(DuckDbTables.createTableSql(companion));
      st.execute(
          "INSERT INTO media__clip (clip_id, frames, score, ok, seen_at, day, thumbnail, labels) VALUES"
              + " ('c1', 42, NULL, true, TIMESTAMPTZ '2024-01-02 03:04:05.000006+00', DATE '2024-01-02',"
              + " '\\x07\\x08'::BLOB, ['x', 'y'])");
      try (ResultSet rs = st.executeQuery("SELECT * FROM media__clip")) {
        assertThat(rs.next()).isTrue();
        assertThat(values(companion.fromResultSet(rs))).isEqualTo(values(clip(ROW)));
      }
      // The table has the user columns then the system columns, as the Arrow table schema says.
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = st.executeQuery(
          "SELECT column_name FROM information_schema.columns WHERE table_name = 'media__clip' ORDER BY ordinal_position")) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
      assertThat(columns)
          .isEqualTo(
              companion.tableSchema().getFields().stream().map(f -> f.getName()).toList());
    }
  }

  @Test
  void jooqColumnsRenderTheirNames() throws Exception {
    Class<?> columns = loader.loadClass("media.MetaxyClip$Columns");
    Field<?> labels = (Field<?>) columns.getField("LABELS").get(null);
    Field<?> score = (Field<?>) columns.getField("SCORE").get(null);
    assertThat(labels.getName()).isEqualTo("labels");
    assertThat(score.getType()).isEqualTo(Double.class);
    // The system columns' fields are declared once in the runtime and inherited by every Columns
    // class.
    for (Column c : SystemColumns.COLUMNS) {
      java.lang.reflect.Field f = columns.getField(c.name().toUpperCase(Locale.ROOT));
      assertThat(f.getDeclaringClass()).isEqualTo(SystemColumnFields.class);
      assertThat(((org.jooq.Field<?>) f.get(null)).getName()).isEqualTo(c.name());
    }
    Table<?> table =
        (Table<?>) loader.loadClass("media.MetaxyClip").getField("TABLE").get(null);
    assertThat(DSL.using(SQLDialect.DUCKDB).render(DSL.select(labels).from(table)))
        .isEqualTo("select \"labels\" from \"media__clip\"");
  }
}
