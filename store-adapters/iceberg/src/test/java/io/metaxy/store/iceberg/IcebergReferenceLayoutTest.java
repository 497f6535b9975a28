package io.metaxy.store.iceberg;

import static io.metaxy.store.LayoutFixture.CLIP;
import static io.metaxy.store.LayoutFixture.RAW;
import static io.metaxy.store.LayoutFixture.graph;
import static io.metaxy.store.LayoutFixture.ids;
import static io.metaxy.store.LayoutFixture.pipeline;
import static io.metaxy.store.TestRows.cell;
import static io.metaxy.store.TestRows.rowOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.store.AccessMode;
import io.metaxy.store.Increment;
import io.metaxy.store.MetadataStore;
import io.metaxy.store.StoreOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables laid out as the Python reference's Iceberg store lays them out
 * ({@code metaxy/ext/polars/handlers/iceberg.py}): PyIceberg's SQL catalog in SQLite at {@code
 * <warehouse>/catalog.db}, namespace {@code metaxy}, table {@code video__raw} at {@code
 * <warehouse>/metaxy.db/video__raw}, unpartitioned, the schema PyIceberg derives from the Polars frame
 * (strings, structs of strings for by-field columns, {@code timestamptz} for {@code Datetime("us",
 * "UTC")}), every column optional.
 */
@SuppressWarnings("try") // store scopes are held open, not referenced
class IcebergReferenceLayoutTest {
  private final BufferAllocator allocator = new RootAllocator();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    allocator.close();
  }

  private Catalog catalog(Path warehouse) {
    return CatalogUtil.buildIcebergCatalog(
        "metaxy",
        Map.of(
            "type", "jdbc",
            "uri", "jdbc:sqlite:" + warehouse + "/catalog.db",
            "warehouse", "file://" + warehouse),
        new Configuration());
  }

  private static String describe(Type t) {
    if (t.isStructType()) {
      List<String> children = new ArrayList<>();
      for (NestedField f : t.asStructType().fields()) {
        children.add(f.name() + " " + describe(f.type()));
      }
      return "struct<" + String.join(", ", children) + ">";
    }
    return t.toString();
  }

  private static List<String> columns(Table t) {
    List<String> out = new ArrayList<>();
    for (NestedField f : t.schema().columns()) {
      out.add(f.name() + " " + describe(f.type()) + (f.isOptional() ? "" : " required"));
    }
    return out;
  }

  private static final String AUDIO_FRAMES = "struct<audio string, frames string>";

  /** The columns of video/raw in the order the reference's write path leaves them. */
  private static final List<String> RAW_COLUMNS = List.of(
      "video_id string",
      "metaxy_provenance_by_field " + AUDIO_FRAMES,
      "metaxy_feature_version string",
      "metaxy_project_version string",
      "metaxy_provenance string",
      "metaxy_created_at timestamptz",
      "metaxy_updated_at timestamptz",
      "metaxy_deleted_at timestamptz",
      "metaxy_materialization_id string",
      "metaxy_data_version_by_field " + AUDIO_FRAMES,
      "metaxy_data_version string");

  @Test
  void tablesWeCreateHaveTheReferenceLayout() throws Exception {
    Path wh = dir.resolve("wh");
    MetadataStore s =
        new IcebergMetadataStore(StoreOptions.of(graph()).allocator(allocator), wh.toString());
    try (var scope = s.open(AccessMode.WRITE)) {
      pipeline(s, 2, allocator);
    }
    Catalog c = catalog(wh);
    Table raw = c.loadTable(TableIdentifier.of("metaxy", "video__raw"));
    assertEquals(RAW_COLUMNS, columns(raw));
    assertTrue(raw.spec().isUnpartitioned());
    assertEquals("file://" + wh + "/metaxy.db/video__raw", raw.location());
    assertEquals("append", raw.currentSnapshot().operation());
    // Iceberg's defaults for a new table, as PyIceberg's: format v2, Parquet data files in zstd.
    assertEquals(2, ((HasTableOperations) raw).operations().current().formatVersion());
    assertEquals("zstd", raw.properties().get("write.parquet.compression-codec"));
    assertTrue(raw.sortOrder().isUnsorted());
    String clipStruct = "struct<audio string, summary string>";
    assertEquals(
        List.of(
            "video_id string",
            "metaxy_provenance_by_field " + clipStruct,
            "metaxy_provenance string",
            "metaxy_data_version_by_field " + clipStruct,
            "metaxy_data_version string",
            "metaxy_feature_version string",
            "metaxy_project_version string",
            "metaxy_created_at timestamptz",
            "metaxy_updated_at timestamptz",
            "metaxy_deleted_at timestamptz",
            "metaxy_materialization_id string"),
        columns(c.loadTable(TableIdentifier.of("metaxy", "video__clip"))));
    // The catalog rows PyIceberg's SqlCatalog reads (its table and column names).
    List<String> rows = new ArrayList<>();
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + wh + "/catalog.db");
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT catalog_name, table_namespace, table_name FROM iceberg_tables ORDER BY table_name")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
      }
    }
    assertEquals(List.of("metaxy metaxy video__clip", "metaxy metaxy video__raw"), rows);
  }

  @Test
  void aTableWrittenByTheReferenceRecipeReadsBackFieldByField() throws Exception {
    Path wh = dir.resolve("ref");
    MetadataStore s =
        new IcebergMetadataStore(StoreOptions.of(graph()).allocator(allocator), wh.toString());
    String featureVersion;
    String projectVersion;
    try (var scope = s.open(AccessMode.WRITE)) {
      featureVersion = s.featureVersion(RAW);
      projectVersion = s.projectVersion(RAW);
    }
    // The table as PyIceberg creates it from the reference's Arrow schema, then two appends.
    Types.StructType byField = Types.StructType.of(
        NestedField.optional(12, "audio", Types.StringType.get()),
        NestedField.optional(13, "frames", Types.StringType.get()));
    Types.StructType byField2 = Types.StructType.of(
        NestedField.optional(14, "audio", Types.StringType.get()),
        NestedField.optional(15, "frames", Types.StringType.get()));
    Schema schema = new Schema(
        NestedField.optional(1, "video_id", Types.StringType.get()),
        NestedField.optional(2, "metaxy_provenance_by_field", byField),
        NestedField.optional(3, "metaxy_feature_version", Types.StringType.get()),
        NestedField.optional(4, "metaxy_project_version", Types.StringType.get()),
        NestedField.optional(5, "metaxy_provenance", Types.StringType.get()),
        NestedField.optional(6, "metaxy_created_at", Types.TimestampType.withZone()),
        NestedField.optional(7, "metaxy_updated_at", Types.TimestampType.withZone()),
        NestedField.optional(8, "metaxy_deleted_at", Types.TimestampType.withZone()),
        NestedField.optional(9, "metaxy_materialization_id", Types.StringType.get()),
        NestedField.optional(10, "metaxy_data_version_by_field", byField2),
        NestedField.optional(11, "metaxy_data_version", Types.StringType.get()));
    Catalog c = catalog(wh);
    ((SupportsNamespaces) c).createNamespace(Namespace.of("metaxy"));
    Table t = c.buildTable(TableIdentifier.of("metaxy", "video__raw"), schema)
        .withPartitionSpec(PartitionSpec.unpartitioned())
        .withLocation("file://" + wh + "/metaxy.db/video__raw")
        .create();
    OffsetDateTime t1 = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.UTC);
    OffsetDateTime t2 = t1.plusMinutes(1);
    append(
        t,
        List.of(
            row(t, "v1", "a1", "f1", featureVersion, projectVersion, t1, "m1"),
            row(t, "v2", "a2", "f2", featureVersion, projectVersion, t1, "m1")));
    // A later append corrects v2: the latest row per id wins on read.
    append(t, List.of(row(t, "v2", "a2", "f2b", featureVersion, projectVersion, t2, null)));

    try (var scope = s.open(AccessMode.WRITE)) {
      try (VectorSchemaRoot r = s.read(RAW)) {
        assertEquals(List.of("v1", "v2"), ids(r));
        int v1 = rowOf(r, "video_id", "v1");
        int v2 = rowOf(r, "video_id", "v2");
        assertEquals(
            Map.of("audio", "a1", "frames", "f1"), cell(r, "metaxy_provenance_by_field", v1));
        assertEquals(
            Map.of("audio", "a2", "frames", "f2b"), cell(r, "metaxy_provenance_by_field", v2));
        assertEquals(
            Map.of("audio", "a2", "frames", "f2b"), cell(r, "metaxy_data_version_by_field", v2));
        assertEquals("prov-v1", cell(r, "metaxy_provenance", v1));
        assertEquals("prov-v1", cell(r, "metaxy_data_version", v1));
        assertEquals(featureVersion, cell(r, "metaxy_feature_version", v1));
        assertEquals(projectVersion, cell(r, "metaxy_project_version", v1));
        assertEquals(
            Instant.parse("2026-01-02T03:04:05.123456Z"), cell(r, "metaxy_created_at", v1));
        assertEquals(t2.toInstant(), cell(r, "metaxy_updated_at", v2));
        assertNull(cell(r, "metaxy_deleted_at", v1));
        assertEquals("m1", cell(r, "metaxy_materialization_id", v1));
        assertNull(cell(r, "metaxy_materialization_id", v2));
      }
      // The reference's table takes our resolve and our downstream writes.
      try (Increment inc = s.resolveUpdate(CLIP)) {
        assertEquals(List.of("v1", "v2"), ids(inc.newSamples()));
        s.write(CLIP, inc.newSamples());
      }
      try (Increment inc = s.resolveUpdate(CLIP)) {
        assertEquals(0, inc.newSamples().getRowCount());
      }
    }
  }

  private static GenericRecord row(
      Table t,
      String id,
      String audio,
      String frames,
      String featureVersion,
      String projectVersion,
      OffsetDateTime at,
      String materialization) {
    GenericRecord r = GenericRecord.create(t.schema());
    GenericRecord pbf = GenericRecord.create(
        t.schema().findField("metaxy_provenance_by_field").type().asStructType());
    pbf.setField("audio", audio);
    pbf.setField("frames", frames);
    GenericRecord dvbf = GenericRecord.create(
        t.schema().findField("metaxy_data_version_by_field").type().asStructType());
    dvbf.setField("audio", audio);
    dvbf.setField("frames", frames);
    r.setField("video_id", id);
    r.setField("metaxy_provenance_by_field", pbf);
    r.setField("metaxy_feature_version", featureVersion);
    r.setField("metaxy_project_version", projectVersion);
    r.setField("metaxy_provenance", "prov-" + id);
    r.setField("metaxy_created_at", at);
    r.setField("metaxy_updated_at", at);
    r.setField("metaxy_deleted_at", null);
    r.setField("metaxy_materialization_id", materialization);
    r.setField("metaxy_data_version_by_field", dvbf);
    r.setField("metaxy_data_version", "prov-" + id);
    return r;
  }

  private static void append(Table t, List<GenericRecord> rows) throws Exception {
    DataWriter<org.apache.iceberg.data.Record> w = Parquet.writeData(t.io()
            .newOutputFile(t.locationProvider()
                .newDataLocation(
                    FileFormat.PARQUET.addExtension(UUID.randomUUID().toString()))))
        .schema(t.schema())
        .createWriterFunc(ms -> GenericParquetWriter.create(t.schema(), ms))
        .withSpec(PartitionSpec.unpartitioned())
        .build();
    try (w) {
      rows.forEach(w::write);
    }
    DataFile f = w.toDataFile();
    t.newAppend().appendFile(f).commit();
  }
}
