package io.starling.propeller.round;

import static io.starling.propeller.Workflows.bind;
import static io.starling.propeller.Workflows.promise;
import static io.starling.propeller.Workflows.workflowInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.core.CompiledTask;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.RetryStrategy;
import io.starling.proto.core.TaskExecution;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.Workflows;
import io.starling.propeller.graph.GraphCompiler;
import io.starling.propeller.plugin.Errors;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static ExecutionState state(Workflows workflow, int maxParallelism, LiteralMap inputs) {
    ExecutionState state = new ExecutionState(1, "p/d/e", 3,
        GraphCompiler.compile(workflow.build()), inputs, maxParallelism, 0,
        WorkflowExecution.Phase.QUEUED, null);
    state.initialize(AttemptsInFlight.NONE);
    return state;
  }

  private static ExecutionState fanOutWithJoin(int width, int maxParallelism) {
    Workflows workflow = Workflows.named("fan").fanOut(width, Workflows.noop());
    List<String> all = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      all.add("n" + i);
    }
    workflow.node("join", Workflows.noop(), all);
    return state(workflow, maxParallelism, LiteralMap.getDefaultInstance());
  }

  private static List<TaskEvent> succeed(List<TaskAttempt> attempts, ExecutionState state) {
    List<TaskEvent> events = new ArrayList<>();
    for (TaskAttempt attempt : attempts) {
      events.add(new TaskEvent(state.nodeIndex(attempt.nodeId()), attempt.attempt(),
          TaskResult.succeeded(LiteralMap.getDefaultInstance())));
    }
    return events;
  }

  private static TaskEvent failure(ExecutionState state, String node, int attempt) {
    return new TaskEvent(state.nodeIndex(node), attempt, TaskResult.userError("Boom", "it broke"));
  }

  @Test
  void firstRoundStartsEveryNodeWithoutUpstreamAndWritesTheirRows() {
    ExecutionState state = fanOutWithJoin(100, 0);

    RoundResult result = Round.run(state, List.of(), T0);

    assertThat(result.starts()).hasSize(100);
    assertThat(result.nodes()).hasSize(100)
        .allMatch(row -> row.phase() == NodeExecution.Phase.RUNNING_VALUE && row.attempts() == 1);
    assertThat(result.attempts()).hasSize(100)
        .allMatch(row -> row.phase() == TaskExecution.Phase.RUNNING_VALUE && row.attempt() == 0);
    assertThat(result.execution().phase()).isEqualTo(WorkflowExecution.Phase.RUNNING_VALUE);
    assertThat(result.execution().expectedVersion()).isZero();
  }

  @Test
  void joinStartsOnlyAfterEveryUpstreamNodeSucceeded() {
    ExecutionState state = fanOutWithJoin(3, 0);
    List<TaskAttempt> first = Round.run(state, List.of(), T0).starts();

    RoundResult partial = Round.run(state, succeed(first.subList(0, 2), state), T0);
    assertThat(partial.starts()).isEmpty();

    RoundResult last = Round.run(state, succeed(first.subList(2, 3), state), T0);
    assertThat(last.starts()).extracting(TaskAttempt::nodeId).containsExactly("join");

    RoundResult done = Round.run(state, succeed(last.starts(), state), T0);
    assertThat(done.execution().phase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED_VALUE);
    assertThat(done.execution().endedAt()).isEqualTo(T0);
  }

  @Test
  void maxParallelismBoundsTheRunningTaskNodes() {
    ExecutionState state = fanOutWithJoin(50, 10);

    RoundResult first = Round.run(state, List.of(), T0);
    assertThat(first.starts()).hasSize(10);

    RoundResult second = Round.run(state, succeed(first.starts().subList(0, 3), state), T0);
    assertThat(second.starts()).hasSize(3);
    assertThat(state.runningNodes()).isEqualTo(10);
  }

  @Test
  void outputsFlowToDownstreamInputsAndWorkflowOutputs() {
    Workflows workflow = Workflows.named("chain")
        .input("x", Workflows.INTEGER)
        .node("a", Workflows.echo(), List.of(), bind("a", workflowInput("x")))
        .node("b", Workflows.echo(), List.of("a"), bind("a", promise("a", "o")))
        .output("result", Workflows.INTEGER, "b", "o");
    Literal seven = Literal.newBuilder().setInteger(7).build();
    ExecutionState state = state(workflow, 0, LiteralMap.newBuilder().putLiterals("x", seven).build());

    TaskAttempt a = Round.run(state, List.of(), T0).starts().get(0);
    assertThat(a.inputs().getLiteralsOrThrow("a")).isEqualTo(seven);
    LiteralMap aOut = LiteralMap.newBuilder().putLiterals("o", seven).build();
    TaskAttempt b = Round.run(state,
        List.of(new TaskEvent(state.nodeIndex("a"), 0, TaskResult.succeeded(aOut))), T0)
        .starts().get(0);
    assertThat(b.inputs().getLiteralsOrThrow("a")).isEqualTo(seven);
    RoundResult done = Round.run(state,
        List.of(new TaskEvent(state.nodeIndex("b"), 0, TaskResult.succeeded(aOut))), T0);

    assertThat(done.execution().outputs().getLiteralsOrThrow("result")).isEqualTo(seven);
  }

  @Test
  void aFailedAttemptIsRetriedThenFailsTheExecutionNamingTheNode() {
    Workflows workflow = Workflows.named("f").node("flaky", Workflows.fail(1), List.of());
    ExecutionState state = state(workflow, 0, LiteralMap.getDefaultInstance());
    Round.run(state, List.of(), T0);

    RoundResult retry = Round.run(state, List.of(failure(state, "flaky", 0)), T0);
    assertThat(retry.starts()).singleElement().extracting(TaskAttempt::attempt).isEqualTo(1);
    assertThat(retry.attempts()).extracting(Rows.AttemptRow::phase)
        .containsExactly(TaskExecution.Phase.FAILED_VALUE, TaskExecution.Phase.RUNNING_VALUE);

    RoundResult failed = Round.run(state, List.of(failure(state, "flaky", 1)), T0);
    assertThat(failed.execution().phase()).isEqualTo(WorkflowExecution.Phase.FAILED_VALUE);
    ExecutionError error = failed.execution().error();
    assertThat(error.getMessage()).contains("node flaky failed after 2 attempts").contains("it broke");
  }

  @Test
  void failImmediatelyAbortsTheNodesStillRunning() {
    Workflows workflow = Workflows.named("f")
        .node("bad", Workflows.fail(0), List.of())
        .node("slow", Workflows.sleep(Duration.ofMinutes(1), Duration.ZERO), List.of());
    ExecutionState state = state(workflow, 0, LiteralMap.getDefaultInstance());
    Round.run(state, List.of(), T0);

    RoundResult result = Round.run(state, List.of(failure(state, "bad", 0)), T0);

    assertThat(result.aborts()).extracting(TaskAttempt::nodeId).containsExactly("slow");
    assertThat(result.execution().phase()).isEqualTo(WorkflowExecution.Phase.FAILED_VALUE);
    assertThat(state.nodePhase("slow")).isEqualTo(NodeExecution.Phase.ABORTED);
  }

  @Test
  void aFailingExecutionAbortsTheNodesWaitingForARetry() {
    CompiledTask patient = Workflows.fail(3).toBuilder().setTemplate(Workflows.fail(3)
        .getTemplate().toBuilder().setMetadata(Workflows.fail(3).getTemplate().getMetadata()
            .toBuilder().setRetries(RetryStrategy.newBuilder().setRetries(3)
                .setBackoff(com.google.protobuf.util.Durations.fromSeconds(60))))).build();
    Workflows workflow = Workflows.named("f")
        .node("waits", patient, List.of())
        .node("bad", Workflows.noop(), List.of());
    ExecutionState state = state(workflow, 0, LiteralMap.getDefaultInstance());
    Round.run(state, List.of(), T0);
    Round.run(state, List.of(failure(state, "waits", 0)), T0);
    assertThat(state.nodePhase("waits")).isEqualTo(NodeExecution.Phase.RETRYABLE_FAILURE);

    RoundResult failed = Round.run(state, List.of(failure(state, "bad", 0)), T0);

    assertThat(failed.execution().phase()).isEqualTo(WorkflowExecution.Phase.FAILED_VALUE);
    assertThat(state.nodePhase("waits")).isEqualTo(NodeExecution.Phase.ABORTED);
    assertThat(failed.nodes()).extracting(Rows.NodeRow::nodeId).contains("waits");
    assertThat(state.nextDeadline()).isEqualTo(-1);
  }

  @Test
  void aNodeCannotMakeAPhaseChangeOutsideTheTable() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeTransitions.check("n",
            NodeExecution.Phase.SUCCEEDED_VALUE, NodeExecution.Phase.RUNNING))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("node n cannot go from SUCCEEDED to RUNNING");
    NodeTransitions.check("n", NodeExecution.Phase.RETRYABLE_FAILURE_VALUE,
        NodeExecution.Phase.RUNNING);
  }

  @Test
  void failAfterRunningNodesCompleteWaitsForThemAndStartsNothingNew() {
    Workflows workflow = Workflows.named("f").failAfterRunningNodesComplete()
        .node("bad", Workflows.fail(0), List.of())
        .node("slow", Workflows.noop(), List.of())
        .node("after", Workflows.noop(), List.of("slow"));
    ExecutionState state = state(workflow, 0, LiteralMap.getDefaultInstance());
    List<TaskAttempt> first = Round.run(state, List.of(), T0).starts();

    RoundResult failing = Round.run(state, List.of(failure(state, "bad", 0)), T0);
    assertThat(failing.execution().phase()).isEqualTo(WorkflowExecution.Phase.FAILING_VALUE);
    assertThat(failing.aborts()).isEmpty();

    TaskAttempt slow = first.stream().filter(a -> a.nodeId().equals("slow")).findFirst().orElseThrow();
    RoundResult failed = Round.run(state, succeed(List.of(slow), state), T0);
    assertThat(failed.starts()).isEmpty();
    assertThat(failed.execution().phase()).isEqualTo(WorkflowExecution.Phase.FAILED_VALUE);
  }

  @Test
  void anAbortRequestAbortsRunningNodesAndEndsTheExecutionAborted() {
    ExecutionState state = fanOutWithJoin(5, 0);
    Round.run(state, List.of(), T0);
    state.requestAbort();

    RoundResult result = Round.run(state, List.of(), T0);

    assertThat(result.aborts()).hasSize(5);
    assertThat(result.attempts()).allMatch(row -> row.phase() == TaskExecution.Phase.ABORTED_VALUE);
    assertThat(result.execution().phase()).isEqualTo(WorkflowExecution.Phase.ABORTED_VALUE);
  }

  @Test
  void anAttemptPastItsTimeoutIsAbortedAndFailsTheNode() {
    Workflows workflow = Workflows.named("t")
        .node("slow", Workflows.sleep(Duration.ofMinutes(1), Duration.ofSeconds(5)), List.of());
    ExecutionState state = state(workflow, 0, LiteralMap.getDefaultInstance());
    RoundResult first = Round.run(state, List.of(), T0);
    assertThat(first.wakeAtMillis()).isEqualTo(T0.plusSeconds(5).toEpochMilli());

    assertThat(Round.run(state, List.of(), T0.plusSeconds(4)).changedNothing()).isTrue();
    RoundResult late = Round.run(state, List.of(), T0.plusSeconds(5));

    assertThat(late.aborts()).extracting(TaskAttempt::nodeId).containsExactly("slow");
    assertThat(late.attempts()).extracting(Rows.AttemptRow::phase)
        .containsExactly(TaskExecution.Phase.TIMED_OUT_VALUE);
    assertThat(state.nodePhase("slow")).isEqualTo(NodeExecution.Phase.TIMED_OUT);
    assertThat(late.execution().phase()).isEqualTo(WorkflowExecution.Phase.FAILED_VALUE);
  }

  @Test
  void aLateReportOfASettledAttemptChangesNothing() {
    Workflows workflow = Workflows.named("f").node("flaky", Workflows.fail(2), List.of());
    ExecutionState state = state(workflow, 0, LiteralMap.getDefaultInstance());
    Round.run(state, List.of(), T0);
    Round.run(state, List.of(failure(state, "flaky", 0)), T0);

    RoundResult result = Round.run(state, List.of(failure(state, "flaky", 0)), T0);

    assertThat(result.changedNothing()).isTrue();
  }

  @Test
  void aTaskThatOmitsADeclaredOutputFails() {
    Workflows workflow = Workflows.named("e").node("a", Workflows.echo(), List.of(),
        bind("a", io.starling.proto.core.BindingData.newBuilder()
            .setLiteral(Literal.newBuilder().setInteger(1)).build()));
    ExecutionState state = state(workflow, 0, LiteralMap.getDefaultInstance());
    Round.run(state, List.of(), T0);

    RoundResult result = Round.run(state, List.of(new TaskEvent(0, 0,
        TaskResult.succeeded(LiteralMap.getDefaultInstance()))), T0);

    assertThat(result.execution().error().getMessage()).contains("did not produce its output 'o'");
  }

  /** n0 succeeded, n1 was running its first attempt, n2 never started. */
  private static ExecutionState reloaded() {
    Workflows workflow = Workflows.named("fan").fanOut(3, Workflows.noop());
    ExecutionState state = new ExecutionState(1, "p/d/e", 3,
        GraphCompiler.compile(workflow.build()), LiteralMap.getDefaultInstance(), 0, 4,
        WorkflowExecution.Phase.RUNNING, T0);
    state.restoreNode("n0", NodeExecution.Phase.SUCCEEDED, 1, 0, LiteralMap.getDefaultInstance(),
        null, 2, null);
    state.restoreNode("n1", NodeExecution.Phase.RUNNING, 1, 0, null, null, 3, null);
    return state;
  }

  private static AttemptsInFlight inFlight(long runningSince, boolean reattaches) {
    return new AttemptsInFlight() {
      @Override
      public long runningSince(int node, int subtask, int attempt) {
        return node == 1 && attempt == 0 ? runningSince : -1;
      }

      @Override
      public boolean reattaches(String taskType) {
        return reattaches;
      }
    };
  }

  @Test
  void anAttemptLostWithItsReplicaIsRecordedAndRunsAgainAsANewAttemptOutsideTheRetries() {
    ExecutionState state = reloaded();
    state.initialize(AttemptsInFlight.NONE);

    RoundResult result = Round.run(state, List.of(), T0);

    assertThat(result.starts()).extracting(TaskAttempt::nodeId, TaskAttempt::attempt)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("n1", 1),
            org.assertj.core.groups.Tuple.tuple("n2", 0));
    assertThat(result.attempts()).filteredOn(row -> row.nodeId().equals("n1"))
        .extracting(Rows.AttemptRow::attempt, Rows.AttemptRow::phase, row -> row.error() == null
            ? null : row.error().getCode())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, TaskExecution.Phase.FAILED_VALUE,
                "AttemptLost"),
            org.assertj.core.groups.Tuple.tuple(1, TaskExecution.Phase.RUNNING_VALUE, null));
    assertThat(result.nodes()).filteredOn(row -> row.nodeId().equals("n1")).singleElement()
        .satisfies(row -> {
          assertThat(row.attempts()).isEqualTo(2);
          assertThat(row.lostAttempts()).isEqualTo(1);
        });
    assertThat(result.execution().expectedVersion()).isEqualTo(4);
  }

  @Test
  void anAttemptStillRunningInThisProcessIsNotStartedAgainAfterAReload() {
    ExecutionState state = reloaded();
    state.initialize(inFlight(T0.toEpochMilli(), false));

    RoundResult result = Round.run(state, List.of(), T0);

    assertThat(result.starts()).extracting(TaskAttempt::nodeId).containsExactly("n2");
    assertThat(result.attempts()).extracting(Rows.AttemptRow::nodeId).containsExactly("n2");
    RoundResult ended = Round.run(state, List.of(new TaskEvent(1, 0,
        TaskResult.succeeded(LiteralMap.getDefaultInstance()))), T0);
    assertThat(ended.nodes()).extracting(Rows.NodeRow::nodeId, Rows.NodeRow::phase)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("n1", NodeExecution.Phase.SUCCEEDED_VALUE));
  }

  @Test
  void anAttemptOfAPluginThatReattachesIsStartedAgainUnderItsOwnNumber() {
    ExecutionState state = reloaded();
    state.initialize(inFlight(-1, true));

    RoundResult result = Round.run(state, List.of(), T0);

    assertThat(result.starts()).extracting(TaskAttempt::nodeId, TaskAttempt::attempt)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("n1", 0),
            org.assertj.core.groups.Tuple.tuple("n2", 0));
  }

  @Test
  void aLiveAttemptKeepsTheTimeoutCountedFromItsStart() {
    Workflows workflow = Workflows.named("slow")
        .node("s", Workflows.sleep(Duration.ofMinutes(10), Duration.ofSeconds(30)), List.of());
    ExecutionState state = new ExecutionState(1, "p/d/e", 3,
        GraphCompiler.compile(workflow.build()), LiteralMap.getDefaultInstance(), 0, 4,
        WorkflowExecution.Phase.RUNNING, T0);
    state.restoreNode("s", NodeExecution.Phase.RUNNING, 1, 0, null, null, 2, null);
    state.initialize(new AttemptsInFlight() {
      @Override
      public long runningSince(int node, int subtask, int attempt) {
        return T0.toEpochMilli();
      }

      @Override
      public boolean reattaches(String taskType) {
        return false;
      }
    });

    assertThat(Round.run(state, List.of(), T0.plusSeconds(29)).changedNothing()).isTrue();
    RoundResult timedOut = Round.run(state, List.of(), T0.plusSeconds(30));

    assertThat(timedOut.aborts()).extracting(TaskAttempt::nodeId).containsExactly("s");
    assertThat(timedOut.execution().phase()).isEqualTo(WorkflowExecution.Phase.FAILED_VALUE);
  }

  @Test
  void aNodeLostFifteenTimesStopsBeingRetriedForFree() {
    Workflows workflow = Workflows.named("one").node("n", Workflows.noop(), List.of());
    ExecutionState state = new ExecutionState(1, "p/d/e", 3,
        GraphCompiler.compile(workflow.build()), LiteralMap.getDefaultInstance(), 0, 4,
        WorkflowExecution.Phase.RUNNING, T0);
    state.restoreNode("n", NodeExecution.Phase.RUNNING, 16, 15, null, null, 2, null);
    state.initialize(AttemptsInFlight.NONE);

    RoundResult result = Round.run(state, List.of(), T0);

    assertThat(result.starts()).isEmpty();
    assertThat(result.execution().phase()).isEqualTo(WorkflowExecution.Phase.FAILED_VALUE);
    assertThat(result.execution().error().getCode()).isEqualTo("AttemptLost");
  }

  @Test
  void aFailedNodeRestoredAfterARestartFailsTheExecutionWithItsOwnError() {
    Workflows workflow = Workflows.named("pair")
        .node("a", Workflows.noop(), List.of())
        .node("b", Workflows.noop(), List.of());
    ExecutionState state = new ExecutionState(1, "p/d/e", 3,
        GraphCompiler.compile(workflow.build()), LiteralMap.getDefaultInstance(), 0, 4,
        WorkflowExecution.Phase.FAILING, T0);
    state.restoreNode("a", NodeExecution.Phase.FAILED, 1, 0, null,
        Errors.user("ProcessExit", "exited with code 3: disk full"), 2, null);
    state.restoreNode("b", NodeExecution.Phase.SUCCEEDED, 1, 0, LiteralMap.getDefaultInstance(),
        null, 2, null);
    state.initialize(AttemptsInFlight.NONE);

    RoundResult result = Round.run(state, List.of(), T0);

    assertThat(result.execution().phase()).isEqualTo(WorkflowExecution.Phase.FAILED_VALUE);
    assertThat(result.execution().error().getCode()).isEqualTo("ProcessExit");
    assertThat(result.execution().error().getMessage())
        .isEqualTo("node a failed after 1 attempt: exited with code 3: disk full");
  }

  @Test
  void aWideFanOutStartsInRoundsOfAtMostTheLimitEachDueAtOnce() {
    Workflows workflow = Workflows.named("wide").fanOut(25_000, Workflows.noop());
    ExecutionState state = state(workflow, 0, LiteralMap.getDefaultInstance());

    RoundResult first = Round.run(state, List.of(), T0);
    RoundResult second = Round.run(state, List.of(), T0);
    RoundResult third = Round.run(state, List.of(), T0);

    assertThat(first.starts()).hasSize(Round.MAX_STARTS_PER_ROUND);
    assertThat(first.wakeAtMillis()).isEqualTo(T0.toEpochMilli());
    assertThat(second.starts()).hasSize(Round.MAX_STARTS_PER_ROUND);
    assertThat(third.starts()).hasSize(5_000);
    assertThat(third.wakeAtMillis()).isEqualTo(-1);
    assertThat(state.runningNodes()).isEqualTo(25_000);
  }
}
