package io.starling.admin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static final JavaClasses ADMIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.starling.admin");

  /**
   * Except for the scheduler's slot arithmetic: the admin checks a schedule with the code the
   * scheduler fires with, so one definition of a slot holds, but it never touches the
   * scheduler's runtime.
   */
  @Test
  void theAdminNeverUsesThePropellerOrTheScheduler() {
    noClasses().should().dependOnClassesThat(
            JavaClass.Predicates.resideInAnyPackage("io.starling.propeller..",
                    "io.starling.scheduler..")
                .and(JavaClass.Predicates.resideOutsideOfPackage("io.starling.scheduler.slot")))
        .check(ADMIN);
  }

  @Test
  void onlyTheApiAdapterSpeaksTheAdminApiMessages() {
    noClasses().that().resideOutsideOfPackages("io.starling.admin.api..", "io.starling.admin")
        .should().dependOnClassesThat().resideInAPackage("io.starling.proto.admin..")
        .check(ADMIN);
  }
}
