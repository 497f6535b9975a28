package io.metaxy.store.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.store.TestRows;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ArrowBatchesConcatTest {
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void close() {
    assertEquals(0, allocator.getAllocatedMemory(), "every buffer is released");
    allocator.close();
  }

  private VarCharVector strings(String name, String... values) {
    return TestRows.strings(allocator, name, values);
  }

  private BigIntVector longs(String name, long... values) {
    BigIntVector v = new BigIntVector(name, allocator);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      v.set(i, values[i]);
    }
    v.setValueCount(values.length);
    return v;
  }

  /** A column named {@code name} on the buffers of {@code source}, the way the engine hands out data versions. */
  private FieldVector sharing(FieldVector source, String name) {
    TransferPair tp = source.getTransferPair(name, allocator);
    tp.splitAndTransfer(0, source.getValueCount());
    return (FieldVector) tp.getTo();
  }

  private VectorSchemaRoot part(long[] ids, String[] prov, boolean shareVersion) {
    VarCharVector p = strings("prov", prov);
    FieldVector dv = shareVersion ? sharing(p, "version") : strings("version", prov);
    return ArrowBatches.of(new ArrayList<>(List.of(longs("id", ids), p, dv)), ids.length);
  }

  private static List<String> texts(VarCharVector v) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.getValueCount(); i++) {
      out.add(v.isNull(i) ? null : new String(v.get(i), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void columnsSharingBuffersInEveryPartStaySharedAfterConcatenation() {
    List<VectorSchemaRoot> parts = List.of(
        part(new long[] {1, 2}, new String[] {"a", null}, true),
        part(new long[] {3}, new String[] {"ccc"}, true));
    try (VectorSchemaRoot all = ArrowBatches.concat(parts, allocator)) {
      parts.forEach(VectorSchemaRoot::close);
      VarCharVector prov = (VarCharVector) all.getVector("prov");
      VarCharVector version = (VarCharVector) all.getVector("version");
      assertEquals(Arrays.asList("a", null, "ccc"), texts(prov));
      assertEquals(texts(prov), texts(version));
      assertEquals(
          prov.getDataBuffer().memoryAddress(),
          version.getDataBuffer().memoryAddress(),
          "one copy of the data");
      assertEquals(
          List.of(1L, 2L, 3L),
          List.of(
              ((BigIntVector) all.getVector("id")).get(0),
              ((BigIntVector) all.getVector("id")).get(1),
              ((BigIntVector) all.getVector("id")).get(2)));
    }
  }

  @Test
  void equalValuesInSeparateBuffersAreCopiedSeparately() {
    List<VectorSchemaRoot> parts = List.of(
        part(new long[] {1, 2}, new String[] {"a", "b"}, false),
        part(new long[] {3}, new String[] {"c"}, false));
    try (VectorSchemaRoot all = ArrowBatches.concat(parts, allocator)) {
      parts.forEach(VectorSchemaRoot::close);
      VarCharVector prov = (VarCharVector) all.getVector("prov");
      VarCharVector version = (VarCharVector) all.getVector("version");
      assertEquals(List.of("a", "b", "c"), texts(version));
      assertNotEquals(
          prov.getDataBuffer().memoryAddress(), version.getDataBuffer().memoryAddress());
    }
  }

  @Test
  void sharingInOnlySomePartsIsCopied() {
    List<VectorSchemaRoot> parts = List.of(
        part(new long[] {1}, new String[] {"a"}, true),
        part(new long[] {2}, new String[] {"b"}, false));
    try (VectorSchemaRoot all = ArrowBatches.concat(parts, allocator)) {
      parts.forEach(VectorSchemaRoot::close);
      VarCharVector prov = (VarCharVector) all.getVector("prov");
      VarCharVector version = (VarCharVector) all.getVector("version");
      assertEquals(List.of("a", "b"), texts(version));
      assertNotEquals(
          prov.getDataBuffer().memoryAddress(), version.getDataBuffer().memoryAddress());
    }
  }

  @Test
  void aColumnMissingFromAPartIsNullThere() {
    VectorSchemaRoot first =
        ArrowBatches.of(new ArrayList<>(List.of(longs("id", 1), strings("extra", "x"))), 1);
    VectorSchemaRoot second = ArrowBatches.of(new ArrayList<>(List.of(longs("id", 2))), 1);
    try (VectorSchemaRoot all = ArrowBatches.concat(List.of(first, second), allocator)) {
      VarCharVector extra = (VarCharVector) all.getVector("extra");
      assertEquals("x", new String(extra.get(0), StandardCharsets.UTF_8));
      assertTrue(extra.isNull(1));
      assertNull(texts(extra).get(1));
    } finally {
      first.close();
      second.close();
    }
  }
}
