package io.starling.admin.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.admin.ExecutionSpec;
import org.junit.jupiter.api.Test;

/** The modes the execution service stores are the contract's. */
class ExecutionModesTest {

  @Test
  void storedModesAreTheNumbersOfTheContract() {
    assertThat(ExecutionService.MANUAL).isEqualTo(ExecutionSpec.Mode.MANUAL_VALUE);
    assertThat(ExecutionService.RELAUNCH).isEqualTo(ExecutionSpec.Mode.RELAUNCH_VALUE);
    assertThat(ExecutionService.RECOVERED).isEqualTo(ExecutionSpec.Mode.RECOVERED_VALUE);
    assertThat(ExecutionService.CHILD).isEqualTo(ExecutionSpec.Mode.CHILD_VALUE);
  }
}
