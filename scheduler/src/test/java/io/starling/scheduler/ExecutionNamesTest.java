package io.starling.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.core.Identifier;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExecutionNamesTest {

  private static final Instant SLOT = Instant.parse("2026-12-02T03:00:00Z");

  private static Identifier plan(String name, String version) {
    return Identifier.newBuilder().setProject("p").setDomain("d").setName(name)
        .setVersion(version).build();
  }

  @Test
  void aSlotOfAPlanHasOneNameWhicheverVersionFiresIt() {
    assertThat(ExecutionNames.of(plan("nightly_ETL", "v1"), SLOT))
        .isEqualTo(ExecutionNames.of(plan("nightly_ETL", "v2"), SLOT))
        .startsWith("nightly-etl-20261202t030000-")
        .matches("[a-z][a-z0-9-]{0,62}");
  }

  @Test
  void namesDifferWherePlansOrSlotsDo() {
    assertThat(ExecutionNames.of(plan("nightly_etl", "v1"), SLOT))
        .isNotEqualTo(ExecutionNames.of(plan("nightly-etl", "v1"), SLOT))
        .isNotEqualTo(ExecutionNames.of(plan("nightly_etl", "v1"), SLOT.plusMillis(1)));
  }

  @Test
  void anyPlanNameGivesAValidExecutionName() {
    for (String name : new String[] {"9lives", "___", "x".repeat(255), "A.B-C_d"}) {
      assertThat(ExecutionNames.of(plan(name, "v1"), SLOT)).matches("[a-z][a-z0-9-]{0,62}");
    }
  }
}
