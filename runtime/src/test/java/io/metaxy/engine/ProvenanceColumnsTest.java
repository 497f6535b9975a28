package io.metaxy.engine;

import static io.metaxy.engine.Batches.row;
import static io.metaxy.engine.Batches.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.MetaxyException;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.versioning.HashAlgorithm;
import io.metaxy.versioning.Truncation;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProvenanceColumnsTest {
  private static final FeatureSpec SPEC = FeatureSpec.builder("video/raw", "id")
      .field("frames", "1")
      .field("audio", "1")
      .build();
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    allocator.close();
  }

  private static String h(String s) {
    return Truncation.DEFAULT.apply(HashAlgorithm.XXHASH32.hash(s));
  }

  private VectorSchemaRoot write(List<Map<String, Object>> rows) {
    try (VectorSchemaRoot in = Batches.of(allocator, rows)) {
      return ProvenanceColumns.completeForWrite(
          in, SPEC, HashAlgorithm.XXHASH32, Truncation.DEFAULT, allocator);
    }
  }

  @Test
  void provenanceIsHashedOverSortedStructKeysWhenAbsent() {
    try (VectorSchemaRoot out = write(List.of(row(
        "id",
        1L,
        "metaxy_provenance_by_field",
        struct("frames", "F", "audio", "A", "extra", "E"))))) {
      String p = h("A|F");
      assertEquals(
          List.of(
              "id",
              "metaxy_provenance_by_field",
              "metaxy_provenance",
              "metaxy_data_version_by_field",
              "metaxy_data_version"),
          ProvenanceColumns.columnNames(out));
      assertEquals(List.of(p), Batches.column(out, "metaxy_provenance"));
      assertEquals(List.of(p), Batches.column(out, "metaxy_data_version"));
      assertEquals(
          List.of(struct("frames", "F", "audio", "A", "extra", "E")),
          Batches.column(out, "metaxy_data_version_by_field"));
    }
  }

  @Test
  void suppliedValuesWinAndNullDataVersionsAreFilled() {
    try (VectorSchemaRoot out = write(List.of(
        row(
            "id",
            1L,
            "metaxy_provenance_by_field",
            struct("frames", "F", "audio", "A"),
            "metaxy_provenance",
            "given",
            "metaxy_data_version_by_field",
            struct("frames", "f", "audio", "a"),
            "metaxy_data_version",
            null),
        row(
            "id",
            2L,
            "metaxy_provenance_by_field",
            struct("frames", "F", "audio", "A"),
            "metaxy_provenance",
            "given2",
            "metaxy_data_version_by_field",
            null,
            "metaxy_data_version",
            "dv2")))) {
      assertEquals(List.of("given", "given2"), Batches.column(out, "metaxy_provenance"));
      assertEquals(
          List.of(struct("frames", "f", "audio", "a"), struct("frames", "F", "audio", "A")),
          Batches.column(out, "metaxy_data_version_by_field"));
      assertEquals(List.of("given", "dv2"), Batches.column(out, "metaxy_data_version"));
    }
  }

  @Test
  void absentDataVersionIsHashedFromDataVersionsByField() {
    try (VectorSchemaRoot out = write(List.of(row(
        "id",
        1L,
        "metaxy_provenance_by_field",
        struct("frames", "F", "audio", "A"),
        "metaxy_data_version_by_field",
        struct("frames", "f", "audio", "a"))))) {
      assertEquals(List.of(h("A|F")), Batches.column(out, "metaxy_provenance"));
      assertEquals(List.of(h("a|f")), Batches.column(out, "metaxy_data_version"));
    }
  }

  @Test
  void nullFieldValueGivesNullProvenance() {
    try (VectorSchemaRoot out = write(List.of(
        row("id", 1L, "metaxy_provenance_by_field", struct("frames", "F", "audio", null))))) {
      assertEquals(Arrays.asList((Object) null), Batches.column(out, "metaxy_provenance"));
    }
  }

  @Test
  void samplesAlwaysRecomputeProvenance() {
    try (VectorSchemaRoot in = Batches.of(
            allocator,
            List.of(row(
                "id",
                1L,
                "metaxy_provenance_by_field",
                struct("frames", "F", "audio", "A"),
                "metaxy_provenance",
                "stale-user-value")));
        VectorSchemaRoot out = ProvenanceColumns.completeSamples(
            in, SPEC, HashAlgorithm.XXHASH32, Truncation.DEFAULT, allocator)) {
      assertEquals(List.of(h("A|F")), Batches.column(out, "metaxy_provenance"));
    }
  }

  @Test
  void missingOrIncompleteProvenanceByFieldIsNamed() {
    MetaxyException none = assertThrows(MetaxyException.class, () -> write(List.of(row("id", 1L))));
    assertTrue(
        none.getMessage().contains("metaxy_provenance_by_field")
            && none.getMessage().contains("video/raw"),
        none.getMessage());
    MetaxyException partial = assertThrows(
        MetaxyException.class,
        () -> write(List.of(row("id", 1L, "metaxy_provenance_by_field", struct("frames", "F")))));
    assertTrue(partial.getMessage().contains("'audio'"), partial.getMessage());
  }
}
