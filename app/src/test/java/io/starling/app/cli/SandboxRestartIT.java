package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.replica.Replica;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the sandbox mid-run and starting it again on the same data resumes the run. */
class SandboxRestartIT {

  @TempDir Path data;

  private Replica start() {
    return TestSandbox.start(data.resolve("pg"), Map.of());
  }

  @Test
  void anExecutionInFlightWhenTheSandboxStopsFinishesAfterARestart() throws Exception {
    Path spec = data.resolve("slow.yaml");
    Files.writeString(spec, """
        project: default
        domain: development
        tasks:
          - {name: pause, version: v1, type: sleep, config: {duration: PT1S}}
        workflows:
          - name: slow
            version: v1
            nodes:
              - {id: a, task: pause}
              - {id: b, task: pause, after: [a]}
        launch_plans:
          - {name: slow, version: v1}
        """);
    try (Replica first = start()) {
      String server = "127.0.0.1:" + first.grpcPort();
      assertThat(CommandLineRun.of("register", "--server", server, spec.toString()).exitCode()).isZero();
      assertThat(CommandLineRun.of("launch", "--server", server, "slow", "--name", "interrupted")
          .exitCode()).isZero();
    }

    try (Replica second = start()) {
      CommandLineRun watch = CommandLineRun.of(
          "watch", "--server", "127.0.0.1:" + second.grpcPort(), "interrupted");

      assertThat(watch.exitCode()).as(watch.out() + watch.err()).isZero();
      assertThat(watch.out()).contains("phase      SUCCEEDED");
    }
  }
}
