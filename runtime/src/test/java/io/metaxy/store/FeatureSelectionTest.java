package io.metaxy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.FeatureKey;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The selection algebra, field by field as the reference's {@code |}, {@code &} and {@code -}. */
class FeatureSelectionTest {
  private static final FeatureKey AB = FeatureKey.of("a/b");
  private static final FeatureKey CD = FeatureKey.of("c/d");

  @Test
  void orUnitesProjectsAndKeysAndAllAbsorbs() {
    assertEquals(
        FeatureSelection.projects("a", "b"),
        FeatureSelection.projects("a").or(FeatureSelection.projects("b")));
    assertEquals(FeatureSelection.all(), FeatureSelection.keys(AB).or(FeatureSelection.all()));
  }

  @Test
  void andKeepsWhatBothNameFieldByField() {
    // The reference's own examples.
    assertEquals(
        FeatureSelection.keys(CD), FeatureSelection.keys(AB, CD).and(FeatureSelection.keys(CD)));
    assertEquals(
        FeatureSelection.projects("b"),
        FeatureSelection.projects("a", "b").and(FeatureSelection.projects("b", "c")));
    assertEquals(FeatureSelection.keys(AB), FeatureSelection.all().and(FeatureSelection.keys(AB)));
    assertEquals(FeatureSelection.keys(AB), FeatureSelection.keys(AB).and(FeatureSelection.all()));
    // Field by field, not a set intersection: a project and a key share no field.
    FeatureSelection disjoint = FeatureSelection.projects("a").and(FeatureSelection.keys(AB));
    assertTrue(disjoint.isEmpty());
    assertEquals(FeatureSelection.none(), disjoint);
    assertEquals("FeatureSelection[none]", disjoint.toString());
  }

  @Test
  void minusRemovesWhatTheOtherNames() {
    assertEquals(
        FeatureSelection.projects("a", "c"),
        FeatureSelection.projects("a", "b", "c").minus(FeatureSelection.projects("b")));
    assertEquals(
        new FeatureSelection(Set.of("a"), Set.of(CD), false),
        FeatureSelection.projects("a")
            .or(FeatureSelection.keys(AB, CD))
            .minus(FeatureSelection.keys(AB)));
    assertEquals(FeatureSelection.none(), FeatureSelection.keys(AB).minus(FeatureSelection.all()));
    assertFalse(FeatureSelection.keys(AB).minus(FeatureSelection.keys(CD)).isEmpty());
  }

  @Test
  void everythingButSomeIsRefusedWithAHint() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class,
        () -> FeatureSelection.all().minus(FeatureSelection.projects("a")));
    assertTrue(e.getMessage().contains("name the projects or keys to keep"), e.getMessage());
  }

  @Test
  void emptyFactoriesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> FeatureSelection.projects(new String[0]));
    assertThrows(IllegalArgumentException.class, () -> FeatureSelection.keys(new FeatureKey[0]));
  }
}
