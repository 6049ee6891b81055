package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.replica.Replica;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.TaskExecutionList;
import io.starling.proto.admin.TaskExecutionListRequest;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.NodeExecutionIdentifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sandbox killed with {@code kill -9} mid-run, as a crash would: its PostgreSQL server
 * outlives it on the data directory. The next start on that directory stops the orphan, starts
 * on the first try, and the run resumes; the attempt that was running is recorded as lost and
 * runs again under a new attempt number.
 */
class SandboxKillIT {

  private static final ExecutionIdentifier KILLED = ExecutionIdentifier.newBuilder()
      .setProject("default").setDomain("development").setName("killed").build();
  private static final Pattern SERVING = Pattern.compile("sandbox serving gRPC on port (\\d+)");

  @TempDir Path data;

  @Test
  void aSandboxKilledMidRunRestartsAtOnceOnItsDataAndTheRunFinishes() throws Exception {
    Path pg = data.resolve("pg");
    Path spec = data.resolve("slow.yaml");
    Files.writeString(spec, """
        project: default
        domain: development
        tasks:
          - {name: pause, version: v1, type: sleep, config: {duration: 3s}}
        workflows:
          - name: slow
            version: v1
            nodes:
              - {id: a, task: pause}
        launch_plans:
          - {name: slow, version: v1}
        """);
    ProcessBuilder builder = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
        "-cp", System.getProperty("java.class.path"), "io.starling.app.Starling", "sandbox"))
        .redirectErrorStream(true);
    builder.environment().putAll(Map.of("STARLING_DATABASE_DATA_DIR", pg.toString(),
        "STARLING_GRPC_PORT", "0", "STARLING_HTTP_PORT", "0"));
    Process sandbox = builder.start();
    try {
      int port = servingPort(sandbox);
      String server = "127.0.0.1:" + port;
      assertThat(CommandLineRun.of("register", "--server", server, spec.toString()).exitCode())
          .isZero();
      assertThat(CommandLineRun.of("launch", "--server", server, "slow", "--name", "killed")
          .exitCode()).isZero();
      // Killed as soon as its node runs, from the watch stream that says so.
      try (AdminClient client = new AdminClient("127.0.0.1", port)) {
        client.watch(KILLED, event -> {
          if (event.hasNode() && event.getNode().getPhase() == NodeExecution.Phase.RUNNING) {
            sandbox.destroyForcibly(); // SIGKILL: no shutdown hook runs
          }
        });
      } catch (RuntimeException streamCut) {
        // the server went away mid-stream, as it was meant to
      }
    } finally {
      sandbox.destroyForcibly();
      assertThat(sandbox.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    long orphan = Long.parseLong(Files.readAllLines(pg.resolve("postmaster.pid")).get(0).strip());
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the orphan runs")
        .contains(true);

    try (Replica second = TestSandbox.start(pg, Map.of())) {
      String server = "127.0.0.1:" + second.grpcPort();
      CommandLineRun watch = CommandLineRun.of("watch", "--server", server, "killed");

      assertThat(watch.exitCode()).as(watch.out() + watch.err()).isZero();
      assertThat(watch.out()).contains("phase      SUCCEEDED");
      assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).isEmpty();
      try (AdminClient client = new AdminClient("127.0.0.1", second.grpcPort())) {
        TaskExecutionList attempts = client.call(AdminServiceGrpcClient.ListTaskExecutions,
            TaskExecutionListRequest.newBuilder().setNodeExecutionId(NodeExecutionIdentifier
                .newBuilder().setNodeId("a").setExecutionId(KILLED)).build());
        assertThat(attempts.getTaskExecutionsList()).extracting(
                attempt -> attempt.getId().getAttempt() + ":" + attempt.getPhase() + ":"
                    + attempt.getError().getCode())
            .containsExactly("0:FAILED:AttemptLost", "1:SUCCEEDED:");
      }
    }
  }

  /** Reads the sandbox's output until it says where it serves. */
  private static int servingPort(Process sandbox) throws Exception {
    BufferedReader out = new BufferedReader(
        new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.append(line).append('\n');
      Matcher serving = SERVING.matcher(line);
      if (serving.find()) {
        Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }));
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(serving.group(1));
      }
    }
    throw new AssertionError("the sandbox ended before it served:\n" + seen);
  }
}
