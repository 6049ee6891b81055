package io.starling.admin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static final JavaClasses ADMIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.starling.admin");

  @Test
  void theAdminNeverUsesThePropellerOrTheScheduler() {
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("io.starling.propeller..", "io.starling.scheduler..")
        .check(ADMIN);
  }

  @Test
  void onlyTheApiAdapterSpeaksTheAdminApiMessages() {
    noClasses().that().resideOutsideOfPackages("io.starling.admin.api..", "io.starling.admin")
        .should().dependOnClassesThat().resideInAPackage("io.starling.proto.admin..")
        .check(ADMIN);
  }
}
