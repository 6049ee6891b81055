package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.replica.Replica;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sizes the platform produces pass through the command line: a 10,000-node workflow is
 * registered, read back to type a launch's inputs, and run.
 */
class LargeWorkflowIT {

  @TempDir Path data;

  @Test
  void aTenThousandNodeWorkflowIsRegisteredLaunchedWithAnInputAndRun() throws Exception {
    StringBuilder spec = new StringBuilder("""
        project: default
        domain: development
        tasks:
          - {name: pass, version: v1, type: echo, inputs: {x: integer}, outputs: {x: integer}}
          - {name: nothing, version: v1, type: noop}
        workflows:
          - name: wide
            version: v1
            inputs: {x: integer}
            outputs: {x: integer}
            bind_outputs: {x: '{{first.x}}'}
            nodes:
              - {id: first, task: pass, inputs: {x: '{{inputs.x}}'}}
        """);
    for (int i = 0; i < 10_000; i++) {
      spec.append("      - {id: n").append(i).append(", task: nothing}\n");
    }
    spec.append("""
        launch_plans:
          - {name: wide, version: v1}
        """);
    Path file = data.resolve("wide.yaml");
    Files.writeString(file, spec);

    try (Replica sandbox = TestSandbox.start(data.resolve("pg"),
        Map.of("STARLING_DATABASE_DURABLE", "false"))) {
      CommandLineRun register = CommandLineRun.against(sandbox, "register", file.toString());
      assertThat(register.exitCode()).as(register.err()).isZero();

      CommandLineRun launch = CommandLineRun.against(sandbox, "launch", "wide", "--input", "x=7",
          "--name", "wide-run", "--watch");

      assertThat(launch.exitCode()).as(launch.err()).isZero();
      assertThat(launch.out()).contains("phase      SUCCEEDED").contains("10001/10001");
    }
  }
}
