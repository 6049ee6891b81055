package io.starling.propeller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static final JavaClasses PROPELLER = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.starling.propeller");

  @Test
  void thePropellerNeverUsesTheAdminOrItsApi() {
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("io.starling.admin..", "io.starling.scheduler..", "io.starling.proto.admin..")
        .check(PROPELLER);
  }

  @Test
  void roundsDecideWithoutTheDatabaseOrTheEventLoop() {
    noClasses().that().resideInAnyPackage("io.starling.propeller.round..", "io.starling.propeller.graph..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..")
        .check(PROPELLER);
  }
}
