package io.metaxy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

class KeyTableTest {
  @Test
  void findsEveryDuplicateInRowOrderAcrossPartitionsAndSkipsNullKeys() {
    int n = Parallel.MIN_CHUNK * 5;
    try (BufferAllocator allocator = new RootAllocator();
        VarCharVector build = new VarCharVector("k", allocator);
        BigIntVector probe = new BigIntVector("k", allocator);
        VarCharVector probeText = new VarCharVector("k", allocator)) {
      build.allocateNew(n);
      for (int r = 0; r < n; r++) {
        if (r % 1000 == 7) {
          build.setNull(r);
        } else {
          build.setSafe(r, ("key-" + (r % 5000)).getBytes(StandardCharsets.UTF_8));
        }
      }
      build.setValueCount(n);
      probe.allocateNew(3);
      probe.set(0, 42);
      probe.setNull(1);
      probe.set(2, 7);
      probe.setValueCount(3);
      probeText.allocateNew(2);
      probeText.setSafe(0, "key-42".getBytes(StandardCharsets.UTF_8));
      probeText.setSafe(1, "key-7".getBytes(StandardCharsets.UTF_8));
      probeText.setValueCount(2);

      List<Col> keys = List.of(Col.of("k", build));
      KeyTable table = new KeyTable(keys, n, true);
      List<Col> p = List.of(Col.of("k", probeText));
      int[] h = KeyTable.hashRows(p, 2);
      assertEquals(expectedRows(n, 42), matches(table, p, 0, h[0]));
      // Rows 7, 1007, ... have null keys and are never indexed, so key-7 matches only rows 5007,
      // 10007...
      List<Integer> sevens = new ArrayList<>();
      for (int r = 7; r < n; r += 5000) {
        if (r % 1000 != 7) {
          sevens.add(r);
        }
      }
      assertEquals(sevens, matches(table, p, 1, h[1]));
      // A string key never equals an integer key.
      List<Col> ints = List.of(Col.of("k", probe));
      int[] hi = KeyTable.hashRows(ints, 3);
      assertEquals(List.of(), matches(table, ints, 0, hi[0]));
    }
  }

  private static List<Integer> expectedRows(int n, int key) {
    List<Integer> rows = new ArrayList<>();
    for (int r = key; r < n; r += 5000) {
      rows.add(r);
    }
    return rows;
  }

  private static List<Integer> matches(KeyTable t, List<Col> probe, int r, int h) {
    List<Integer> out = new ArrayList<>();
    for (long c = t.first(probe, r, h); c >= 0; c = t.next(c, probe, r, h)) {
      out.add(KeyTable.row(c));
    }
    return out;
  }

  @Test
  void groupIdsNumberGroupsByFirstAppearanceWithNullsTogether() {
    try (BufferAllocator allocator = new RootAllocator();
        BigIntVector v = new BigIntVector("g", allocator)) {
      long[] values = {5, 3, 5, 0, 3, 9};
      v.allocateNew(values.length + 2);
      for (int i = 0; i < values.length; i++) {
        v.set(i, values[i]);
      }
      v.setNull(6);
      v.setNull(7);
      v.setValueCount(8);
      int[] ids = KeyTable.groupIds(List.of(Col.of("g", v)), 8);
      assertEquals(List.of(0, 1, 0, 2, 1, 3, 4, 4), Arrays.stream(ids).boxed().toList());
    }
  }
}
