package io.metaxy.processor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The processor's layering: it runs inside javac, so it must not pull the runtime's data stack (Arrow,
 * jOOQ) into the compiler; and its stages form a line,
 * {@code validation → model → writing}, with the processors on top.
 */
class ProcessorArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.metaxy");
  }

  @Test
  void theProcessorNeverUsesArrowOrJooq() {
    // Directly; that the runtime classes it calls do not load them either is proven by running
    // javac with a processor path that lacks both jars (ProcessorPathTest), since static
    // reachability through the runtime over-approximates what the JVM loads.
    noClasses()
        .that()
        .resideInAPackage("io.metaxy.processor..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.arrow..", "org.jooq..")
        .check(classes);
  }

  @Test
  void stagesDependOnlyDownward() {
    slices().matching("io.metaxy.processor.(*)..").should().beFreeOfCycles().check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.metaxy.processor.validation")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.metaxy.processor.writing")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.metaxy.processor.model")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.metaxy.processor.writing")
        .check(classes);
  }
}
