package io.metaxy.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CyclesTest {
  @Test
  void findsEachCycleOnceStartingAtItsSmallestNode() {
    Map<String, List<String>> up = new LinkedHashMap<>();
    up.put("c", List.of("b"));
    up.put("b", List.of("a"));
    up.put("a", List.of("c"));
    up.put("d", List.of("d"));
    up.put("e", List.of("a", "missing"));
    assertEquals(List.of(List.of("a", "c", "b", "a"), List.of("d", "d")), Cycles.find(up));
  }

  @Test
  void acyclicGraphHasNoCycleAndAStableOrder() {
    Map<String, List<String>> up = new LinkedHashMap<>();
    up.put("stt", List.of("video"));
    up.put("face", List.of("crop"));
    up.put("crop", List.of("video"));
    up.put("video", List.of());
    assertTrue(Cycles.find(up).isEmpty());
    assertEquals(List.of("video", "crop", "face", "stt"), Cycles.topologicalOrder(up));
  }

  @Test
  void topologicalOrderRejectsCycles() {
    Map<String, List<String>> up = Map.of("a", List.of("b"), "b", List.of("a"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Cycles.topologicalOrder(up));
    assertTrue(e.getMessage().contains("[a, b, a]"), e.getMessage());
  }
}
