package io.metaxy.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.graph.FeaturePlan.Join;
import io.metaxy.graph.FeaturePlan.Joined;
import io.metaxy.spec.FeatureSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one join order both engines follow: required first, then optional; inner, left, full. */
class FeaturePlanJoinOrderTest {
  private final FeaturePlan plan = new FeaturePlan(
      FeatureKey.of("t"),
      FeatureSpec.builder("t", "id").field("f", "1").build(),
      List.of(),
      List.of("id"),
      Map.of());

  /** A dependency's rows, named; optional when the name starts with "o". */
  private List<String> order(String... present) {
    return plan.joinOrder(List.of(present), p -> p.startsWith("o")).stream()
        .map(j -> j.rows() + ":" + j.how())
        .toList();
  }

  @Test
  void requiredDependenciesComeFirstInDeclarationOrderThenOptionalOnes() {
    assertEquals(
        List.of("r1:FIRST", "r2:INNER", "o1:LEFT", "o2:LEFT"), order("o1", "r1", "o2", "r2"));
    assertEquals(List.of("r1:FIRST"), order("r1"));
  }

  @Test
  void allOptionalDependenciesAreFullOuterJoined() {
    assertEquals(List.of("o2:FIRST", "o1:FULL"), order("o2", "o1"));
    List<Joined<String>> one = plan.joinOrder(List.of("o1"), p -> true);
    assertEquals(Join.FIRST, one.get(0).how());
  }

  @Test
  void noRowsAtAllIsAnErrorNamingTheFeature() {
    MetaxyException e =
        assertThrows(MetaxyException.class, () -> plan.joinOrder(List.<String>of(), p -> true));
    assertTrue(e.getMessage().contains("expected rows of t"), e.getMessage());
  }
}
