package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionGetDataRequest;
import io.starling.proto.admin.ExecutionListRequest;
import io.starling.proto.admin.NodeExecutionListRequest;
import io.starling.proto.admin.NodeExecutionRecord;
import io.starling.proto.core.NodeExecution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RecoverExecution end to end: a workflow whose second task fails until a file exists fails,
 * the file is created, and the recovered execution succeeds without running the first task
 * again. Each task appends to a file of its own on every run, so the runs can be counted.
 */
class RecoverIT {

  @TempDir static Path data;
  private static RunningSandbox running;
  private static AdminClient client;
  private static Path work;

  @BeforeAll
  static void start() throws Exception {
    running = RunningSandbox.start(data.resolve("pg"), Map.of("STARLING_DATABASE_DURABLE", "false"));
    client = running.client;
    work = Files.createDirectories(data.resolve("work"));
    running.register(data.resolve("flaky.yaml"), """
        project: default
        domain: development
        tasks:
          - name: count
            version: v1
            type: process
            outputs: {n: integer}
            command: [sh, -c, 'echo run >> "$WORK/count-runs"; printf "{\\"n\\": %%d}" $(wc -l < "$WORK/count-runs")']
            env: {WORK: "%1$s"}
          - name: check
            version: v1
            type: process
            inputs: {n: integer}
            outputs: {n: integer}
            command: [sh, -c, 'read -r in; echo run >> "$WORK/check-runs"; [ -f "$WORK/fixed" ] || { echo "not fixed yet" >&2; exit 3; }; echo "$in"']
            env: {WORK: "%1$s"}
          - {name: pause, version: v1, type: sleep, config: {duration: PT1H}}
        workflows:
          - name: flaky
            version: v1
            outputs: {n: integer}
            nodes:
              - {id: a, task: count}
              - {id: b, task: check, inputs: {n: "{{a.n}}"}}
            bind_outputs: {n: "{{b.n}}"}
          - name: long
            version: v1
            nodes: [{id: a, task: pause}]
        launch_plans:
          - {name: flaky, version: v1}
          - {name: long, version: v1}
        """.formatted(work));
  }

  @AfterAll
  static void stop() {
    running.close();
  }


  private static int executions() {
    return client.call(AdminServiceGrpcClient.ListExecutions, ExecutionListRequest.newBuilder()
        .setProject("default").setDomain("development").setLimit(1000).build()).getExecutionsCount();
  }

  @Test
  void aRecoveredExecutionReusesTheSucceededNodeAndRunsOnlyTheFailedOne() throws Exception {
    CommandLineRun first = running.cli("launch", "flaky", "--name", "flaky-1", "--watch");
    assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(1);
    assertThat(first.out()).contains("phase      FAILED").contains("not fixed yet");
    Files.createFile(work.resolve("fixed"));

    CommandLineRun recover = running.cli("recover", "flaky-1", "--name", "flaky-2", "--watch");

    assertThat(recover.exitCode()).as(recover.out() + recover.err()).isZero();
    assertThat(recover.out()).contains("recovering default/development/flaky-1 as default/development/flaky-2")
        .contains("phase      SUCCEEDED")
        .contains("mode       RECOVERED from default/development/flaky-1");
    List<NodeExecutionRecord> nodes = client.call(AdminServiceGrpcClient.ListNodeExecutions,
        NodeExecutionListRequest.newBuilder().setExecutionId(RunningSandbox.execution("flaky-2")).build()).getNodeExecutionsList();
    assertThat(nodes).extracting(node -> node.getId().getNodeId() + ":" + node.getPhase())
        .containsExactly("a:RECOVERED", "b:SUCCEEDED");
    assertThat(nodes.get(0).getOutputs().getLiteralsOrThrow("n").getInteger()).isEqualTo(1);
    assertThat(client.call(AdminServiceGrpcClient.GetExecutionData, ExecutionGetDataRequest.newBuilder()
        .setId(RunningSandbox.execution("flaky-2")).build()).getOutputs().getLiteralsOrThrow("n").getInteger()).isEqualTo(1);
    assertThat(Files.readAllLines(work.resolve("count-runs"))).hasSize(1);
    assertThat(Files.readAllLines(work.resolve("check-runs"))).hasSize(2);

    int before = executions();
    CommandLineRun again = running.cli("recover", "flaky-2");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("error: FAILED_PRECONDITION: execution default/development/flaky-2 is SUCCEEDED");
    assertThat(executions()).isEqualTo(before);
  }

  @Test
  void aRunningExecutionCannotBeRecoveredAndNothingIsWritten() {
    assertThat(running.cli("launch", "long", "--name", "long-1").exitCode()).isZero();
    int before = executions();

    CommandLineRun recover = running.cli("recover", "long-1");

    assertThat(recover.exitCode()).isEqualTo(1);
    assertThat(recover.err()).contains("error: FAILED_PRECONDITION").contains("long-1 is ");
    assertThat(executions()).isEqualTo(before);
    assertThat(running.cli("terminate", "long-1").exitCode()).isZero();
  }

  @Test
  void recoveringAnUnknownExecutionIsNotFound() {
    CommandLineRun recover = running.cli("recover", "no-such-run");

    assertThat(recover.exitCode()).isEqualTo(1);
    assertThat(recover.err()).contains("error: NOT_FOUND: execution default/development/no-such-run not found");
  }
}
