package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoIT {

  @TempDir Path data;

  @Test
  void theDemoRunsTheSeedWorkflowToTheRightResult() {
    CommandLineRun demo = CommandLineRun.of("demo", "--width", "30", "--data-dir", data.toString());

    assertThat(demo.exitCode()).as(demo.out() + demo.err()).isZero();
    assertThat(demo.out()).contains("Execution SUCCEEDED")
        .contains("The result is the concatenation of a + 2 for every a, in order.");
  }
}
