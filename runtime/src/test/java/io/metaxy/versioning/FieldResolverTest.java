package io.metaxy.versioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import io.metaxy.FieldKey;
import io.metaxy.MetaxyException;
import io.metaxy.spec.FeatureDep;
import io.metaxy.spec.FeatureSpec;
import io.metaxy.spec.FieldDep;
import io.metaxy.spec.FieldDeps;
import io.metaxy.spec.FieldSpec;
import io.metaxy.spec.FieldsMapping;
import io.metaxy.spec.Lineage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldResolverTest {
  private static final List<FieldKey> UP = List.of(
      FieldKey.of("audio"),
      FieldKey.of("audio/french"),
      FieldKey.of("frames"),
      FieldKey.of("meta/frames"));

  private static Set<FieldKey> keys(String... k) {
    return Set.of(Arrays.stream(k).map(FieldKey::of).toArray(FieldKey[]::new));
  }

  @Test
  void defaultMappingTakesTheNamesakeElseEverything() {
    assertEquals(keys("audio"), FieldResolver.map(FieldsMapping.DEFAULT, FieldKey.of("audio"), UP));
    assertEquals(
        Set.copyOf(UP), FieldResolver.map(FieldsMapping.DEFAULT, FieldKey.of("caption"), UP));
  }

  @Test
  void suffixMatchingAndExclusions() {
    FieldsMapping suffix = new FieldsMapping.Default(true, List.of());
    assertEquals(
        keys("frames", "meta/frames"), FieldResolver.map(suffix, FieldKey.of("frames"), UP));
    assertEquals(keys("audio/french"), FieldResolver.map(suffix, FieldKey.of("french"), UP));
    FieldsMapping excluding = new FieldsMapping.Default(false, List.of(FieldKey.of("meta/frames")));
    assertEquals(
        keys("audio", "audio/french", "frames"),
        FieldResolver.map(excluding, FieldKey.of("caption"), UP));
  }

  @Test
  void allNoneAndSpecific() {
    assertEquals(Set.copyOf(UP), FieldResolver.map(new FieldsMapping.All(), FieldKey.of("x"), UP));
    assertTrue(
        FieldResolver.map(new FieldsMapping.None(), FieldKey.of("audio"), UP).isEmpty());
    FieldsMapping specific = new FieldsMapping.Specific(
        Map.of(FieldKey.of("x"), List.of(FieldKey.of("frames"), FieldKey.of("gone"))));
    assertEquals(keys("frames"), FieldResolver.map(specific, FieldKey.of("x"), UP));
  }

  @Test
  void explicitDependencyOnAMissingFieldNamesIt() {
    FeatureSpec up = FeatureSpec.builder("up", "id").field("audio", "1").build();
    FeatureSpec down = FeatureSpec.builder("down", "id")
        .dep("up")
        .field(new FieldSpec(
            FieldKey.of("x"),
            "1",
            new FieldDeps.Explicit(
                List.of(new FieldDep(FeatureKey.of("up"), List.of(FieldKey.of("video")))))))
        .build();
    MetaxyException e = assertThrows(
        MetaxyException.class,
        () -> FieldResolver.parents(down, down.fields().get(0), k -> Optional.of(up)));
    assertTrue(e.getMessage().contains("down.x depends on up.video"), e.getMessage());
  }

  @Test
  void noneMappingEverywhereIsAnError() {
    FeatureSpec up = FeatureSpec.builder("up", "id").field("audio", "1").build();
    FeatureSpec down = FeatureSpec.builder("down", "id")
        .dep(new FeatureDep(
            FeatureKey.of("up"),
            null,
            null,
            new FieldsMapping.None(),
            null,
            Lineage.IDENTITY,
            false))
        .build();
    MetaxyException e = assertThrows(
        MetaxyException.class,
        () -> FieldResolver.parents(down, down.fields().get(0), k -> Optional.of(up)));
    assertTrue(
        e.getMessage().startsWith("no upstream fields found for field down.default"),
        e.getMessage());
  }
}
