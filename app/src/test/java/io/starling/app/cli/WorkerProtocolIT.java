package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionGetDataRequest;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.ExecutionClosure;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.WorkflowExecution;
import io.starling.proto.worker.Ack;
import io.starling.proto.worker.Assignment;
import io.starling.proto.worker.Heartbeat;
import io.starling.proto.worker.Report;
import io.starling.proto.worker.Reports;
import io.starling.proto.worker.ServerMessage;
import io.starling.proto.worker.TaskFailure;
import io.starling.proto.worker.WorkerMessage;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker protocol against a whole sandbox, driven message by message by {@link TestWorker}
 * over real gRPC streams: assignments and reports, retries, final failures, a late report, a
 * worker that dies (its lease expires and the attempt runs again elsewhere) and one that
 * reconnects within its lease (its report is taken). Each test has a queue of its own.
 */
class WorkerProtocolIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  static Path data;
  private static RunningSandbox running;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    running = RunningSandbox.start(data.resolve("pg"), Map.of("STARLING_DATABASE_DURABLE", "false",
        "STARLING_PLUGINS_WORKER_LEASE_TIMEOUT", "3s"));
    port = running.sandbox.grpcPort();
    StringBuilder spec = new StringBuilder("project: default\ndomain: development\ntasks:\n");
    for (String queue : new String[] {"ok", "retry", "final", "dies", "back"}) {
      spec.append("""
            - name: double-%1$s
              version: v1
              type: worker
              queue: %1$s
              inputs: {x: integer}
              outputs: {y: integer}
              retries: 1
          """.formatted(queue));
    }
    spec.append("workflows:\n");
    for (String queue : new String[] {"ok", "retry", "final", "dies", "back"}) {
      spec.append("""
            - name: double-%1$s
              version: v1
              inputs: {x: integer}
              outputs: {y: integer}
              nodes:
                - id: double
                  task: double-%1$s
                  inputs: {x: "{{inputs.x}}"}
              bind_outputs: {y: "{{double.y}}"}
          """.formatted(queue));
    }
    spec.append("launch_plans:\n");
    for (String queue : new String[] {"ok", "retry", "final", "dies", "back"}) {
      spec.append("""
            - name: double-%1$s
              version: v1
              workflow: double-%1$s
          """.formatted(queue));
    }
    running.register(data.resolve("workers.yaml"), spec.toString());
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  @Test
  void aStreamThatDoesNotBeginWithAValidHelloIsRefused() throws Exception {
    try (TestWorker worker = TestWorker.connect(port)) {
      worker.send(WorkerMessage.newBuilder().setCapacity(3).build());
      TestWorker.End end = worker.ended(WAIT);
      assertThat(end.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
      assertThat(end.message()).contains("first message", "hello");
    }
    try (TestWorker worker = TestWorker.hello(port, "ok", 0)) {
      TestWorker.End end = worker.ended(WAIT);
      assertThat(end.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
      assertThat(end.message()).isEqualTo("hello.capacity must be within 1-10000, got 0");
    }
    try (TestWorker worker = TestWorker.hello(port, "no spaces", 1)) {
      assertThat(worker.ended(WAIT).message()).contains("hello.queues: name", "'no spaces'");
    }
  }

  @Test
  void aReportEndsTheAttemptAndASecondReportChangesNothing() throws Exception {
    ExecutionIdentifier id = launch("double-ok", "ok-run", 21);
    try (TestWorker worker = TestWorker.hello(port, "ok", 4)) {
      assertThat(worker.next(WAIT).hasWelcome()).isTrue();
      Assignment assignment = assignment(worker);
      assertThat(assignment.getAttempt().getInputs().getLiteralsOrThrow("x").getInteger())
          .isEqualTo(21);
      assertThat(assignment.getAttempt().getExecutionName())
          .isEqualTo("default/development/ok-run");
      assertThat(assignment.getAttempt().getAttempt()).isZero();
      assertThat(report(worker, succeeded(assignment, 42)).getAccepted()).isTrue();
      assertThat(report(worker, succeeded(assignment, 43)).getAccepted()).isFalse();
    }
    running.client.watch(id, event -> { });
    assertThat(closure(id).getPhase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    assertThat(output(id)).isEqualTo(42);
  }

  @Test
  void aRetryableFailureRunsAgainAndAFinalOneFailsTheNodeAtOnce() throws Exception {
    ExecutionIdentifier retried = launch("double-retry", "retry-run", 1);
    ExecutionIdentifier failed = launch("double-final", "final-run", 1);
    try (TestWorker retry = TestWorker.hello(port, "retry", 1);
        TestWorker fail = TestWorker.hello(port, "final", 1)) {
      Assignment first = assignment(retry);
      assertThat(report(retry, failed(first, true)).getAccepted()).isTrue();
      Assignment second = assignment(retry);
      assertThat(second.getAttempt().getAttempt()).isEqualTo(1);
      report(retry, succeeded(second, 2));

      Assignment only = assignment(fail);
      report(fail, failed(only, false));
      running.client.watch(failed, event -> { });
    }
    running.client.watch(retried, event -> { });
    assertThat(closure(retried).getPhase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED);
    ExecutionClosure closure = closure(failed);
    assertThat(closure.getPhase()).isEqualTo(WorkflowExecution.Phase.FAILED);
    assertThat(closure.getError().getCode()).isEqualTo("ValueError");
    assertThat(closure.getError().getMessage()).contains("x must be even",
        "Traceback (most recent call last)");
  }

  @Test
  void aWorkerThatDiesLosesItsLeaseAndTheAttemptRunsAgainOnAnother() throws Exception {
    ExecutionIdentifier id = launch("double-dies", "dies-run", 5);
    Assignment lost;
    try (TestWorker dying = TestWorker.hello(port, "dies", 1)) {
      lost = assignment(dying);
      dying.reset();
    }
    try (TestWorker next = TestWorker.hello(port, "dies", 1)) {
      Assignment again = assignment(next);
      assertThat(again.getAttempt().getAttempt()).isEqualTo(1);
      assertThat(again.getLease().getAttemptId()).isNotEqualTo(lost.getLease().getAttemptId());
      assertThat(report(next, succeeded(lost, 99)).getAccepted()).isFalse();
      assertThat(report(next, succeeded(again, 10)).getAccepted()).isTrue();
    }
    running.client.watch(id, event -> { });
    assertThat(output(id)).isEqualTo(10);
  }

  @Test
  void aWorkerThatReconnectsWithinItsLeaseReportsOnTheNewStream() throws Exception {
    ExecutionIdentifier id = launch("double-back", "back-run", 7);
    Assignment held;
    try (TestWorker before = TestWorker.hello(port, "back", 1)) {
      held = assignment(before);
      before.reset();
    }
    try (TestWorker after = TestWorker.hello(port, "back", 1)) {
      after.next(ServerMessage.KindCase.WELCOME, WAIT);
      after.send(WorkerMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
          .addLeases(held.getLease())).build());
      assertThat(report(after, succeeded(held, 14)).getAccepted()).isTrue();
    }
    running.client.watch(id, event -> { });
    assertThat(output(id)).isEqualTo(14);
  }

  private static ExecutionIdentifier launch(String plan, String name, long x) {
    CommandLineRun launch = running.cli("launch", plan, "--name", name, "--input", "x=" + x);
    assertThat(launch.exitCode()).as(launch.err()).isZero();
    return RunningSandbox.execution(name);
  }

  private static Assignment assignment(TestWorker worker) throws InterruptedException {
    ServerMessage message = worker.next(ServerMessage.KindCase.ASSIGNMENTS, WAIT);
    assertThat(message.getAssignments().getAssignmentsList()).hasSize(1);
    return message.getAssignments().getAssignments(0);
  }

  private static Ack report(TestWorker worker, Report report) throws InterruptedException {
    worker.send(WorkerMessage.newBuilder().setReports(Reports.newBuilder().addReports(report))
        .build());
    Ack ack = worker.next(ServerMessage.KindCase.ACKS, WAIT).getAcks().getAcks(0);
    assertThat(ack.getLease()).isEqualTo(report.getLease());
    return ack;
  }

  private static Report succeeded(Assignment assignment, long y) {
    return Report.newBuilder().setLease(assignment.getLease()).setOutputs(LiteralMap.newBuilder()
        .putLiterals("y", Literal.newBuilder().setInteger(y).build())).build();
  }

  private static Report failed(Assignment assignment, boolean retryable) {
    return Report.newBuilder().setLease(assignment.getLease()).setFailure(TaskFailure.newBuilder()
        .setCode("ValueError").setMessage("x must be even").setRetryable(retryable)
        .setTraceback("Traceback (most recent call last):\n  File \"tasks.py\", line 3")).build();
  }

  private static ExecutionClosure closure(ExecutionIdentifier id) {
    return running.client.call(AdminServiceGrpcClient.GetExecution,
        ExecutionGetRequest.newBuilder().setId(id).build()).getClosure();
  }

  private static long output(ExecutionIdentifier id) {
    return running.client.call(AdminServiceGrpcClient.GetExecutionData,
        ExecutionGetDataRequest.newBuilder().setId(id).build()).getOutputs()
        .getLiteralsOrThrow("y").getInteger();
  }
}
