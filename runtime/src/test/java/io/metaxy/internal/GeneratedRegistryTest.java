package io.metaxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.MetaxyException;
import io.metaxy.graph.FeatureRegistry;
import io.metaxy.spec.FeatureDefinition;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.Lineage;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runtime side of generated registries and companions' helpers. */
class GeneratedRegistryTest {
  /** A companion's constants, as the registry reads them. */
  public static final class MetaxyFake {
    public static final FeatureDefinition DEFINITION = FeatureDefinition.of(
        FeatureSpec.builder("a/b", "id")
            .dep("a/up")
            .field("audio", "1")
            .field("frames", "2")
            .build(),
        "p",
        Map.of());
    public static final FeatureRegistry.CompiledVersions COMPILED_VERSIONS =
        new FeatureRegistry.CompiledVersions(
            FeatureKey.of("a/b"),
            8,
            "f",
            "c",
            "s",
            "d",
            Map.of("audio", "x", "frames", "y"),
            MetaxyFake.class.getName());
  }

  static final class Registry extends GeneratedRegistry {
    Registry(String... companions) {
      super(MethodHandles.lookup(), companions);
    }
  }

  @Test
  void readsTheNamedCompanionsConstants() {
    Registry r = new Registry(MetaxyFake.class.getName());
    assertEquals(List.of(MetaxyFake.DEFINITION), r.definitions());
    assertEquals(List.of(MetaxyFake.COMPILED_VERSIONS), r.compiledVersions());
  }

  @Test
  void aMissingCompanionIsNamed() {
    Registry r = new Registry("example.MetaxyGone");
    MetaxyException e = assertThrows(MetaxyException.class, r::definitions);
    assertTrue(
        e.getMessage().contains("names example.MetaxyGone, which cannot be loaded"),
        e.getMessage());
  }

  @Test
  void companionSupportKeysValuesBySpecFieldOrder() {
    FeatureDefinition d = MetaxyFake.DEFINITION;
    assertEquals(
        List.of("audio", "frames"),
        List.copyOf(CompanionSupport.fieldVersions(d, "v1", "v2").keySet()));
    assertEquals(
        Map.of("audio", List.of("a/up.audio"), "frames", List.of("a/up.audio", "a/up.frames")),
        CompanionSupport.fieldParents(d, "a/up.audio", "a/up.audio a/up.frames"));
    assertEquals(List.of(), CompanionSupport.fieldParents(d, "", "x/y.z").get("audio"));
    assertEquals(Map.of("a/up", Lineage.IDENTITY), CompanionSupport.depLineages(d));
    MetaxyException e =
        assertThrows(MetaxyException.class, () -> CompanionSupport.fieldVersions(d, "only one"));
    assertTrue(e.getMessage().contains("passes 1 values for 2 fields"), e.getMessage());
  }
}
