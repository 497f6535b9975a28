package io.metaxy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime's layering, checked on its compiled classes so that it cannot erode one import at a time:
 * no package cycles, an adapter SPI that is only the contract, and support code below the store.
 */
class ArchitectureTest {
  private static JavaClasses runtime;

  @BeforeAll
  static void importRuntime() {
    runtime = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("io.metaxy");
  }

  /** Every package is its own slice, so a cycle between any two packages (not only siblings) fails. */
  private static final SliceAssignment PACKAGES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      return c.getPackageName().startsWith("io.metaxy")
          ? SliceIdentifier.of(c.getPackageName())
          : SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "packages of io.metaxy";
    }
  };

  @Test
  void noPackageCycles() {
    slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(runtime);
  }

  @Test
  void theAdapterSpiIsOnlyTheContract() {
    // An adapter implements spi against Arrow; it may read its configuration, the hash algorithms
    // and the filter expressions pushed down to it, and nothing of the store's implementation leaks
    // into what it implements. JSpecify only annotates nullness (@NullMarked on every package).
    classes()
        .that()
        .resideInAPackage("io.metaxy.store.spi")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.metaxy",
            "io.metaxy.store.spi",
            "io.metaxy.config",
            "io.metaxy.versioning",
            "io.metaxy.filter",
            "java..",
            "org.apache.arrow..",
            "org.jspecify..")
        .check(runtime);
  }

  @Test
  void supportCodeSitsBelowTheStore() {
    classes()
        .that()
        .resideInAPackage("io.metaxy.store.support")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.metaxy",
            "io.metaxy.store.spi",
            "io.metaxy.store.support",
            "java..",
            "org.apache.arrow..",
            "org.jooq..",
            "org.slf4j..",
            "org.jspecify..")
        .check(runtime);
  }
}
