package io.metaxy.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.SystemColumns;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/** Records survive the trip through an Arrow batch, column type by column type. */
class RecordCodecTest {
  record Row(
      String s,
      int i,
      Long l,
      double d,
      Float f,
      boolean b,
      Instant t,
      LocalDate day,
      byte[] bytes,
      List<String> tags) {}

  private static final List<ColumnDef> COLUMNS = List.of(
      new ColumnDef("s", ColumnType.STRING, false, null),
      new ColumnDef("i", ColumnType.INT, false, null),
      new ColumnDef("l", ColumnType.LONG, true, null),
      new ColumnDef("d", ColumnType.DOUBLE, false, null),
      new ColumnDef("f", ColumnType.FLOAT, true, null),
      new ColumnDef("b", ColumnType.BOOLEAN, false, null),
      new ColumnDef("t", ColumnType.INSTANT, true, null),
      new ColumnDef("day", ColumnType.LOCAL_DATE, false, null),
      new ColumnDef("bytes", ColumnType.BYTES, false, null),
      new ColumnDef("tags", ColumnType.STRING_LIST, true, null));

  @SuppressWarnings("unchecked")
  private static final RecordCodec<Row> CODEC = new RecordCodec<>(
      "Row",
      COLUMNS,
      List.<Function<Row, Object>>of(
          Row::s, Row::i, Row::l, Row::d, Row::f, Row::b, Row::t, Row::day, Row::bytes, Row::tags),
      v -> new Row(
          (String) v[0],
          (int) v[1],
          (Long) v[2],
          (double) v[3],
          (Float) v[4],
          (boolean) v[5],
          (Instant) v[6],
          (LocalDate) v[7],
          (byte[]) v[8],
          (List<String>) v[9]));

  @Test
  void roundTripWithNulls() {
    Row full = new Row(
        "héllo",
        -3,
        1L << 40,
        2.5,
        1.25f,
        true,
        Instant.parse("2024-05-06T07:08:09.123456Z"),
        LocalDate.of(1969, 12, 31),
        new byte[] {1, 2, 3},
        List.of("a", "b"));
    Row sparse =
        new Row("", 0, null, 0, null, false, null, LocalDate.of(2024, 1, 1), new byte[0], null);
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = CODEC.toArrow(List.of(full, sparse), allocator)) {
      assertEquals(2, root.getRowCount());
      Row a = CODEC.fromArrow(root, 0);
      Row b = CODEC.fromArrow(root, 1);
      assertEquals(full.s(), a.s());
      assertEquals(full.l(), a.l());
      assertEquals(full.t(), a.t());
      assertEquals(full.day(), a.day());
      assertArrayEquals(full.bytes(), a.bytes());
      assertEquals(full.tags(), a.tags());
      assertEquals(full.f(), a.f());
      assertNull(b.l());
      assertNull(b.t());
      assertNull(b.tags());
      assertEquals(0, b.bytes().length);
    }
  }

  @Test
  void nullInARequiredColumnNamesTheColumn() {
    Row bad =
        new Row(null, 0, null, 0, null, false, null, LocalDate.of(2024, 1, 1), new byte[0], null);
    try (BufferAllocator allocator = new RootAllocator()) {
      MetaxyException e =
          assertThrows(MetaxyException.class, () -> CODEC.toArrow(List.of(bad), allocator));
      assertEquals("Row #0: column s is null but not @Nullable", e.getMessage());
    }
  }

  @Test
  void missingColumnIsNamed() {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot empty = VectorSchemaRoot.create(new Schema(List.of()), allocator)) {
      MetaxyException e = assertThrows(MetaxyException.class, () -> CODEC.fromArrow(empty, 0));
      assertEquals("Row: the batch has no column s", e.getMessage());
    }
  }

  @Test
  void tableSchemaHasByFieldStructsAndTimestamps() {
    Schema schema =
        ArrowColumns.tableSchema(COLUMNS.subList(0, 1), List.of("audio", "audio_french"));
    var pbf = schema.findField(SystemColumns.PROVENANCE_BY_FIELD);
    assertEquals(
        List.of("audio", "audio_french"),
        pbf.getChildren().stream().map(f -> f.getName()).toList());
    assertTrue(pbf.getType() instanceof ArrowType.Struct);
    assertEquals(
        ArrowColumns.TIMESTAMP, schema.findField(SystemColumns.DELETED_AT).getType());
    assertEquals(1 + SystemColumns.COLUMNS.size(), schema.getFields().size());
  }

  @Test
  void tableNameAndDdl() {
    assertEquals("example__crop", Tables.tableName(FeatureKey.of("example/crop")));
    assertEquals("metaxy_system__events", Tables.tableName(FeatureKey.of("metaxy-system/events")));
    String ddl = Tables.createTable(
        FeatureKey.of("a/b"), COLUMNS.subList(0, 3), List.of("audio", "audio_french"));
    String byField = "STRUCT(\"audio\" VARCHAR, \"audio_french\" VARCHAR)";
    // The layout the DuckDB store creates for a root feature (the reference's default).
    assertEquals(
        "CREATE TABLE IF NOT EXISTS \"a__b\" (\"s\" VARCHAR NOT NULL, \"i\" INTEGER NOT NULL, \"l\" BIGINT, "
            + "\"metaxy_provenance_by_field\" " + byField
            + ", \"metaxy_feature_version\" VARCHAR, \"metaxy_project_version\" VARCHAR, "
            + "\"metaxy_provenance\" VARCHAR, \"metaxy_created_at\" TIMESTAMPTZ, \"metaxy_updated_at\" TIMESTAMPTZ, "
            + "\"metaxy_deleted_at\" TIMESTAMPTZ, \"metaxy_materialization_id\" VARCHAR, "
            + "\"metaxy_data_version_by_field\" " + byField + ", \"metaxy_data_version\" VARCHAR)",
        ddl);
    assertEquals(
        SystemColumns.referenceOrder(List.of("s", "metaxy_provenance_by_field"), false)
            .subList(1, 11),
        SystemColumns.COLUMNS.stream().map(SystemColumns.Column::name).toList(),
        "one order for generated code and stores");
  }
}
