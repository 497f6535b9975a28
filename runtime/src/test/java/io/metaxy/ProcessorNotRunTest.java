package io.metaxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metaxy.annotations.Feature;
import io.metaxy.graph.CompanionNotFoundException;
import io.metaxy.graph.FeatureCompanions;
import io.metaxy.graph.FeatureGraph;
import io.metaxy.store.AccessMode;
import io.metaxy.store.StoreOptions;
import io.metaxy.store.memory.InMemoryMetadataStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Records compiled without metaxy-processor (runtime's test compilation does not run it), as in a user
 * build whose compiler plugin ignores the processor path: every way in names the cause and the fix.
 */
class ProcessorNotRunTest {
  @Feature(key = "test/unprocessed", idColumns = "id")
  record Unprocessed(String id) {}

  record Plain(String id) {}

  private static final String RECORD = "io.metaxy.ProcessorNotRunTest$Unprocessed";
  private static final String COMPANION = "io.metaxy.MetaxyProcessorNotRunTest_Unprocessed";

  private static void assertProcessorNotRun(CompanionNotFoundException e) {
    String m = e.getMessage();
    assertEquals(RECORD, e.recordClass());
    assertEquals(COMPANION, e.companionClass());
    assertTrue(
        m.startsWith(RECORD + " is annotated @Feature but has no generated companion " + COMPANION
            + ": the Metaxy annotation processor did not run when " + RECORD + " was compiled."),
        m);
    assertTrue(
        m.contains("io.metaxy:metaxy-processor under maven-compiler-plugin's"
            + " <configuration><annotationProcessorPaths>"),
        m);
    assertTrue(m.contains("pin the plugin's <version> (3.5 or later"), m);
    assertTrue(
        m.contains(
            "dependencies { annotationProcessor(\"io.metaxy:metaxy-processor:<version>\") }"),
        m);
  }

  @Test
  void companionLookupSaysTheProcessorDidNotRun() {
    assertProcessorNotRun(assertThrows(
        CompanionNotFoundException.class, () -> FeatureCompanions.of(Unprocessed.class)));
  }

  @Test
  void storeCallsByClassSayTheProcessorDidNotRun() {
    try (var store = new InMemoryMetadataStore(StoreOptions.of(FeatureGraph.of(List.of())));
        var scope = store.open(AccessMode.WRITE)) {
      assertProcessorNotRun(assertThrows(
          CompanionNotFoundException.class, () -> store.resolveUpdate(Unprocessed.class)));
      assertProcessorNotRun(assertThrows(
          CompanionNotFoundException.class,
          () -> store.write(
              Unprocessed.class, List.of(new Unprocessed("a")), List.of(Map.of("default", "p")))));
    }
  }

  @Test
  void aRecordWithoutTheAnnotationIsToldToAnnotate() {
    CompanionNotFoundException e =
        assertThrows(CompanionNotFoundException.class, () -> FeatureCompanions.of(Plain.class));
    assertEquals(
        "io.metaxy.ProcessorNotRunTest$Plain is not a Metaxy feature: it is not annotated"
            + " @io.metaxy.annotations.Feature, so there is no generated companion io.metaxy.MetaxyProcessorNotRunTest_Plain;"
            + " annotate it (and compile it with metaxy-processor)",
        e.getMessage());
  }

  @Test
  void anEmptyGraphPointsAtTheProcessor() {
    FeatureKey key = FeatureKey.of("test/unprocessed");
    MetaxyException e =
        assertThrows(MetaxyException.class, () -> FeatureGraph.of(List.of()).definition(key));
    assertTrue(
        e.getMessage()
            .startsWith(
                "feature test/unprocessed is not in the graph, which has no features at all."
                    + " When the graph comes from FeatureGraph.load(), no generated FeatureRegistry is on the class path: the"
                    + " Metaxy annotation processor did not run"),
        e.getMessage());
    assertTrue(e.getMessage().contains("annotationProcessorPaths"), e.getMessage());
  }
}
