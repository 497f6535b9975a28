package io.metaxy.store.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.metaxy.store.spi.ScanRequest;
import io.metaxy.store.spi.StoreConnector.ConnectRequest;
import io.metaxy.store.support.ArrowBatches;
import java.net.URI;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data files DuckDB writes for the Iceberg store: Iceberg's field ids on every column and struct
 * child, readable by Iceberg's own reader; tables mixing them with files Iceberg's row writer made.
 */
class IcebergParquetTest {
  private static final String PBF = "metaxy_provenance_by_field";

  private final BufferAllocator allocator = new RootAllocator();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    allocator.close();
  }

  private IcebergBackend backend() {
    return (IcebergBackend)
        new IcebergConnector(dir.resolve("wh").toString(), "metaxy", "metaxy", null, true)
            .connect(new ConnectRequest(false, "test", false, allocator));
  }

  private VectorSchemaRoot batch(List<String> ids, String tag, long updatedAt, boolean extra) {
    List<FieldVector> vs = new ArrayList<>();
    vs.add(ArrowBatches.strings("sample_uid", ids, allocator));
    List<Map<String, String>> pbf = new ArrayList<>();
    List<@Nullable Long> times = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    for (String id : ids) {
      pbf.add(Map.of("audio", "a-" + id + "-" + tag, "frames", "f-" + id + "-" + tag));
      times.add(updatedAt);
      tags.add(tag);
    }
    vs.add(ArrowBatches.byFieldStruct(PBF, List.of("audio", "frames"), pbf, allocator));
    vs.add(ArrowBatches.strings(
        "metaxy_feature_version", tags.stream().map(t -> "v1").toList(), allocator));
    vs.add(ArrowBatches.timestamps("metaxy_updated_at", times, allocator));
    List<@Nullable Long> none = new ArrayList<>();
    ids.forEach(id -> none.add(null));
    vs.add(ArrowBatches.timestamps("metaxy_deleted_at", none, allocator));
    if (extra) {
      vs.add(ArrowBatches.strings("tag", tags, allocator));
    }
    return ArrowBatches.of(vs, ids.size());
  }

  private static Map<String, Map<String, @Nullable Object>> byId(VectorSchemaRoot r) {
    Map<String, Map<String, @Nullable Object>> out = new TreeMap<>();
    for (int i = 0; i < r.getRowCount(); i++) {
      Map<String, @Nullable Object> row = new LinkedHashMap<>();
      for (FieldVector v : r.getFieldVectors()) {
        row.put(v.getName(), ArrowBatches.value(v, i));
      }
      assertNull(out.put(String.valueOf(row.get("sample_uid")), row), "one row per id");
    }
    return out;
  }

  @Test
  void dataFilesCarryTheTableFieldIdsAndIcebergReadsThem() throws Exception {
    try (IcebergBackend b = backend()) {
      try (VectorSchemaRoot batch = batch(List.of("s1", "s2"), "x", 5, true)) {
        b.append("t", batch);
      }
      Table t = b.load("t");
      Schema schema = t.schema();
      String location = b.dataFiles("t").iterator().next();
      Path file = Path.of(URI.create(location.startsWith("/") ? "file:" + location : location));
      MessageType footer;
      try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
        footer = r.getFooter().getFileMetaData().getSchema();
      }
      int checked = 0;
      for (NestedField column : schema.columns()) {
        Type stored = footer.getType(column.name());
        assertEquals(column.fieldId(), stored.getId().intValue(), column.name());
        checked++;
        if (column.type().isStructType()) {
          GroupType group = stored.asGroupType();
          for (NestedField child : column.type().asStructType().fields()) {
            assertEquals(
                child.fieldId(), group.getType(child.name()).getId().intValue(), child.name());
            checked++;
          }
        }
      }
      assertEquals(8, checked);
      // Iceberg's own reader (by field id, as PyIceberg and Spark read) sees the values.
      List<Record> records = new ArrayList<>();
      try (CloseableIterable<Record> rows = Parquet.read(t.io().newInputFile(location))
          .project(schema)
          .createReaderFunc(fs -> GenericParquetReaders.buildReader(schema, fs))
          .build()) {
        rows.forEach(records::add);
      }
      assertEquals(2, records.size());
      Record pbf = (Record) records.get(0).getField(PBF);
      assertEquals("f-s1-x", pbf.getField("frames"));
      assertEquals("x", records.get(0).getField("tag"));
      assertEquals(
          OffsetDateTime.parse("1970-01-01T00:00:00.000005Z"),
          records.get(0).getField("metaxy_updated_at"));
    }
  }

  /**
   * A table whose first file was written by Iceberg's row writer (as before this store wrote through
   * DuckDB, and as other Java writers do), before a column was added: the store reads old and new
   * files together, the new column null in the old rows, and the later commit wins equal timestamps.
   */
  @Test
  void filesOfIcebergsRowWriterAndOfDuckDbReadBackTogether() throws Exception {
    try (IcebergBackend b = backend()) {
      try (VectorSchemaRoot first = batch(List.of("s1"), "new", 1, false)) {
        b.append("t", first); // creates the table without "tag"
      }
      Table t = b.load("t");
      Schema schema = t.schema();
      var out = t.io()
          .newOutputFile(t.locationProvider()
              .newDataLocation(FileFormat.PARQUET.addExtension(UUID.randomUUID().toString())));
      DataWriter<Record> writer = Parquet.writeData(out)
          .schema(schema)
          .createWriterFunc(ms -> GenericParquetWriter.create(schema, ms))
          .overwrite()
          .withSpec(PartitionSpec.unpartitioned())
          .build();
      try (writer) {
        for (String id : List.of("s1", "s2", "s3")) {
          GenericRecord r = GenericRecord.create(schema);
          GenericRecord pbf = GenericRecord.create(schema.findField(PBF).type().asStructType());
          pbf.setField("audio", "a-" + id + "-old");
          pbf.setField("frames", "f-" + id + "-old");
          r.setField("sample_uid", id);
          r.setField(PBF, pbf);
          r.setField("metaxy_feature_version", "v1");
          r.setField("metaxy_updated_at", OffsetDateTime.parse("1970-01-01T00:00:00.000001Z"));
          writer.write(r);
        }
      }
      DataFile old = writer.toDataFile();
      t.newAppend().appendFile(old).commit();
      try (VectorSchemaRoot later = batch(List.of("s3", "s4"), "newer", 1, true)) {
        b.append("t", later); // adds "tag"
      }
      try (VectorSchemaRoot r =
          b.scan(new ScanRequest("t", "v1", List.of("sample_uid"), Map.of()), allocator)) {
        Map<String, Map<String, @Nullable Object>> rows = byId(r);
        assertEquals(List.of("s1", "s2", "s3", "s4"), List.copyOf(rows.keySet()));
        // s1: the row writer's file was committed after DuckDB's first file, so it wins the tie.
        assertEquals("a-s1-old", ((Map<?, ?>) rows.get("s1").get(PBF)).get("audio"));
        assertNull(rows.get("s1").get("tag"));
        assertNull(rows.get("s2").get("tag"));
        assertEquals("newer", rows.get("s3").get("tag"));
        assertEquals("f-s3-newer", ((Map<?, ?>) rows.get("s3").get(PBF)).get("frames"));
        assertEquals("newer", rows.get("s4").get("tag"));
      }
    }
  }

  /**
   * A column renamed by another engine after files were written (Iceberg renames are metadata only:
   * the files keep the old name and the field id): rows of old and new files read under the new name,
   * because files are read by field id.
   */
  @Test
  void aColumnRenamedByAnotherEngineReadsFromOldFilesByFieldId() throws Exception {
    try (IcebergBackend b = backend()) {
      try (VectorSchemaRoot first = batch(List.of("s1", "s2"), "old", 1, true)) {
        b.append("t", first);
      }
      b.load("t").updateSchema().renameColumn("tag", "label").commit();
      try (VectorSchemaRoot r =
          b.scan(new ScanRequest("t", "v1", List.of("sample_uid"), Map.of()), allocator)) {
        Map<String, Map<String, @Nullable Object>> rows = byId(r);
        assertEquals(List.of("s1", "s2"), List.copyOf(rows.keySet()));
        assertEquals("old", rows.get("s1").get("label"));
        assertEquals("old", rows.get("s2").get("label"));
        assertEquals(false, rows.get("s1").containsKey("tag"));
      }
    }
  }
}
