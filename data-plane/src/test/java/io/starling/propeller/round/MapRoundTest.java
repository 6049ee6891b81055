package io.starling.propeller.round;

import static io.starling.propeller.Workflows.bind;
import static io.starling.propeller.Workflows.constant;
import static io.starling.propeller.Workflows.integers;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.starling.proto.SubtaskStates;
import io.starling.proto.core.CompiledTask;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.MapNode;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.TaskExecution;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.Workflows;
import io.starling.propeller.graph.GraphCompiler;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MapRoundTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Variable INTEGER = Variable.newBuilder().setType(Workflows.INTEGER).build();

  /** Task with integer inputs {@code a} (and {@code b} when asked) and integer output {@code o}. */
  private static CompiledTask task(int retries, Duration timeout, boolean twoInputs) {
    TypedInterface.Builder iface = TypedInterface.newBuilder().putInputs("a", INTEGER)
        .putOutputs("o", INTEGER);
    if (twoInputs) {
      iface.putInputs("b", INTEGER);
    }
    return Workflows.task("add", "echo", retries, timeout, iface.build(), Struct.getDefaultInstance());
  }

  /** A workflow whose only node maps {@code task} over {@code items}; its output is the list. */
  private static Workflows mapOver(CompiledTask task, MapNode.Builder options, Literal items) {
    return Workflows.named("m")
        .mapNode("map", task, options, List.of(), bind("a", constant(items)))
        .output("out", listOfIntegers(), "map", "o");
  }

  private static io.starling.proto.core.LiteralType listOfIntegers() {
    return io.starling.proto.core.LiteralType.newBuilder().setCollectionType(Workflows.INTEGER).build();
  }

  private static ExecutionState state(Workflows workflow, int maxParallelism) {
    ExecutionState state = new ExecutionState(1, "p/d/e", 3,
        GraphCompiler.compile(workflow.build()), LiteralMap.getDefaultInstance(), maxParallelism,
        0, WorkflowExecution.Phase.QUEUED, null);
    state.initialize(AttemptsInFlight.NONE);
    return state;
  }

  private static Literal integer(long value) {
    return Literal.newBuilder().setInteger(value).build();
  }

  /** The echo-like result of a subtask: o = 10 * a. */
  private static TaskEvent tenTimes(ExecutionState state, TaskAttempt attempt) {
    long a = attempt.inputs().getLiteralsOrThrow("a").getInteger();
    return new TaskEvent(state.nodeIndex(attempt.nodeId()), attempt.subtask(), attempt.attempt(),
        TaskResult.succeeded(LiteralMap.newBuilder().putLiterals("o", integer(10 * a)).build()));
  }

  private static TaskEvent failed(ExecutionState state, TaskAttempt attempt) {
    return new TaskEvent(state.nodeIndex(attempt.nodeId()), attempt.subtask(), attempt.attempt(),
        TaskResult.userError("Boom", "item broke"));
  }

  private static List<TaskEvent> tenTimes(ExecutionState state, List<TaskAttempt> attempts) {
    List<TaskEvent> events = new ArrayList<>();
    attempts.forEach(attempt -> events.add(tenTimes(state, attempt)));
    return events;
  }

  private static Rows.NodeRow row(RoundResult result, String nodeId) {
    return result.nodes().stream().filter(row -> row.nodeId().equals(nodeId)).findFirst()
        .orElseThrow();
  }

  @Test
  void runsOneSubtaskPerItemAndCollectsTheOutputsInItemOrder() {
    ExecutionState state = state(mapOver(task(0, Duration.ZERO, false), MapNode.newBuilder(),
        integers(1, 2, 3)), 0);

    RoundResult first = Round.run(state, List.of(), T0);
    assertThat(first.starts()).extracting(TaskAttempt::subtask).containsExactly(0, 1, 2);
    assertThat(first.starts()).extracting(a -> a.inputs().getLiteralsOrThrow("a").getInteger())
        .containsExactly(1L, 2L, 3L);
    assertThat(SubtaskStates.counts(row(first, "map").subtasks()).getRunning()).isEqualTo(3);

    List<TaskAttempt> reversed = new ArrayList<>(first.starts());
    java.util.Collections.reverse(reversed);
    RoundResult done = Round.run(state, tenTimes(state, reversed), T0);

    assertThat(done.execution().phase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED_VALUE);
    assertThat(done.execution().outputs().getLiteralsOrThrow("out"))
        .isEqualTo(integers(10, 20, 30));
    assertThat(row(done, "map").phase()).isEqualTo(NodeExecution.Phase.SUCCEEDED_VALUE);
    assertThat(SubtaskStates.counts(row(done, "map").subtasks()).getSucceeded()).isEqualTo(3);
    assertThat(done.attempts()).singleElement()
        .matches(row -> row.phase() == TaskExecution.Phase.SUCCEEDED_VALUE);
    assertThat(done.mapsEnded()).singleElement().matches(ended -> ended.nodeId().equals("map"));
  }

  @Test
  void concurrencyBoundsTheRunningSubtasks() {
    ExecutionState state = state(mapOver(task(0, Duration.ZERO, false),
        MapNode.newBuilder().setConcurrency(2), integers(1, 2, 3, 4, 5)), 0);

    RoundResult first = Round.run(state, List.of(), T0);
    assertThat(first.starts()).extracting(TaskAttempt::subtask).containsExactly(0, 1);

    RoundResult second = Round.run(state, List.of(tenTimes(state, first.starts().get(1))), T0);
    assertThat(second.starts()).extracting(TaskAttempt::subtask).containsExactly(2);
    assertThat(second.subtaskOutputs()).singleElement().matches(row -> row.subtask() == 1);
  }

  @Test
  void aMapCountsAsOneNodeAgainstMaxParallelism() {
    Workflows workflow = mapOver(task(0, Duration.ZERO, false), MapNode.newBuilder(),
        integers(1, 2, 3, 4)).node("other", Workflows.noop(), List.of());
    ExecutionState state = state(workflow, 1);

    RoundResult first = Round.run(state, List.of(), T0);

    assertThat(first.starts()).hasSize(4).allMatch(attempt -> attempt.nodeId().equals("map"));
  }

  @Test
  void aSubtaskIsRetriedAndItsSlotIsNoneWhenItFailsForGoodButTheRatioIsMet() {
    ExecutionState state = state(mapOver(task(1, Duration.ZERO, false),
        MapNode.newBuilder().setMinSuccessRatio(0.5f), integers(1, 2, 3, 4)), 0);
    List<TaskAttempt> first = Round.run(state, List.of(), T0).starts();

    List<TaskEvent> events = tenTimes(state, List.of(first.get(0), first.get(2), first.get(3)));
    events.add(failed(state, first.get(1)));
    RoundResult retry = Round.run(state, events, T0);
    assertThat(retry.starts()).singleElement()
        .matches(attempt -> attempt.subtask() == 1 && attempt.attempt() == 1);

    RoundResult done = Round.run(state, List.of(failed(state, retry.starts().get(0))), T0);

    assertThat(done.execution().phase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED_VALUE);
    Literal out = done.execution().outputs().getLiteralsOrThrow("out");
    assertThat(out.getCollection().getLiterals(1).hasNone()).isTrue();
    assertThat(out.getCollection().getLiterals(3).getInteger()).isEqualTo(40);
    assertThat(SubtaskStates.counts(row(done, "map").subtasks()).getFailed()).isEqualTo(1);
  }

  @Test
  void tooManyFailuresFailTheMapAtOnceAndAbortItsRunningSubtasks() {
    ExecutionState state = state(mapOver(task(0, Duration.ZERO, false), MapNode.newBuilder(),
        integers(1, 2, 3)), 0);
    List<TaskAttempt> first = Round.run(state, List.of(), T0).starts();

    RoundResult done = Round.run(state, List.of(failed(state, first.get(0))), T0);

    assertThat(done.aborts()).extracting(TaskAttempt::subtask).containsExactly(1, 2);
    assertThat(row(done, "map").phase()).isEqualTo(NodeExecution.Phase.FAILED_VALUE);
    assertThat(done.execution().phase()).isEqualTo(WorkflowExecution.Phase.FAILED_VALUE);
    assertThat(done.execution().error().getMessage())
        .contains("1 of 3 subtasks failed (3 must succeed)", "subtask 0: item broke");
  }

  @Test
  void minSuccessesCountsSubtasksNotARatio() {
    ExecutionState state = state(mapOver(task(0, Duration.ZERO, false),
        MapNode.newBuilder().setMinSuccesses(1), integers(1, 2)), 0);
    List<TaskAttempt> first = Round.run(state, List.of(), T0).starts();

    RoundResult done = Round.run(state,
        List.of(failed(state, first.get(0)), tenTimes(state, first.get(1))), T0);

    assertThat(done.execution().phase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED_VALUE);
  }

  @Test
  void aMapOverZeroItemsSucceedsAtOnceWithEmptyLists() {
    ExecutionState state = state(mapOver(task(0, Duration.ZERO, false), MapNode.newBuilder(),
        integers()), 0);

    RoundResult result = Round.run(state, List.of(), T0);

    assertThat(result.starts()).isEmpty();
    assertThat(result.execution().phase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED_VALUE);
    assertThat(result.execution().outputs().getLiteralsOrThrow("out")).isEqualTo(integers());
  }

  @Test
  void mappedListsOfDifferentLengthsFailTheNodeSayingWhy() {
    Workflows workflow = Workflows.named("m").mapNode("map", task(0, Duration.ZERO, true),
        MapNode.newBuilder(), List.of(), bind("a", constant(integers(1, 2))),
        bind("b", constant(integers(1, 2, 3))));
    ExecutionState state = state(workflow, 0);

    RoundResult result = Round.run(state, List.of(), T0);

    assertThat(result.starts()).isEmpty();
    assertThat(result.execution().phase()).isEqualTo(WorkflowExecution.Phase.FAILED_VALUE);
    assertThat(result.execution().error().getMessage()).contains("differ in length");
  }

  @Test
  void broadcastInputsGoWholeToEverySubtask() {
    Workflows workflow = Workflows.named("m").mapNode("map", task(0, Duration.ZERO, true),
        MapNode.newBuilder().addBroadcastInputs("b"), List.of(),
        bind("a", constant(integers(1, 2))), bind("b", constant(integer(7))));
    ExecutionState state = state(workflow, 0);

    RoundResult result = Round.run(state, List.of(), T0);

    assertThat(result.starts()).extracting(a -> a.inputs().getLiteralsOrThrow("b").getInteger())
        .containsExactly(7L, 7L);
  }

  @Test
  void aSubtaskThatExceedsItsTimeoutIsAbortedAndFails() {
    ExecutionState state = state(mapOver(task(0, Duration.ofSeconds(1), false),
        MapNode.newBuilder().setMinSuccesses(0), integers(1, 2)), 0);
    List<TaskAttempt> first = Round.run(state, List.of(), T0).starts();
    Round.run(state, List.of(tenTimes(state, first.get(0))), T0);

    RoundResult late = Round.run(state, List.of(), T0.plusSeconds(2));

    assertThat(late.aborts()).singleElement().matches(attempt -> attempt.subtask() == 1);
    assertThat(late.execution().phase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED_VALUE);
    assertThat(SubtaskStates.phase(row(late, "map").subtasks(), 1))
        .isEqualTo((byte) NodeExecution.Phase.TIMED_OUT_VALUE);
  }

  @Test
  void terminatingAbortsEveryRunningSubtask() {
    ExecutionState state = state(mapOver(task(0, Duration.ZERO, false), MapNode.newBuilder(),
        integers(1, 2, 3)), 0);
    Round.run(state, List.of(), T0);
    state.requestAbort();

    RoundResult aborted = Round.run(state, List.of(), T0);

    assertThat(aborted.aborts()).extracting(TaskAttempt::subtask).containsExactly(0, 1, 2);
    assertThat(row(aborted, "map").phase()).isEqualTo(NodeExecution.Phase.ABORTED_VALUE);
    assertThat(aborted.execution().phase()).isEqualTo(WorkflowExecution.Phase.ABORTED_VALUE);
  }

  @Test
  void aRestoredMapRerunsOnlyTheSubtasksThatHadNotSucceededAndLostOnesAsNewAttempts() {
    Workflows workflow = mapOver(task(0, Duration.ZERO, false),
        MapNode.newBuilder().setConcurrency(2), integers(1, 2, 3));
    ExecutionState before = state(workflow, 0);
    List<TaskAttempt> first = Round.run(before, List.of(), T0).starts();
    RoundResult committed = Round.run(before, List.of(tenTimes(before, first.get(0))), T0);
    Rows.NodeRow mapRow = row(committed, "map");
    Rows.SubtaskOutputRow stored = committed.subtaskOutputs().get(0);

    ExecutionState after = new ExecutionState(1, "p/d/e", 3, GraphCompiler.compile(workflow.build()),
        LiteralMap.getDefaultInstance(), 0, 2, WorkflowExecution.Phase.RUNNING, T0);
    after.restoreNode("map", NodeExecution.Phase.RUNNING, mapRow.attempts(), 0, null, null,
        mapRow.version(), mapRow.subtasks());
    after.restoreSubtaskOutputs("map", stored.subtask(), stored.outputs());
    after.initialize(AttemptsInFlight.NONE);
    RoundResult resumed = Round.run(after, List.of(), T0);

    // Subtasks 1 and 2 were running: lost with their replica, they run again as attempt 1.
    assertThat(resumed.starts()).extracting(TaskAttempt::subtask, TaskAttempt::attempt)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 1),
            org.assertj.core.groups.Tuple.tuple(2, 1));
    byte[] packed = row(resumed, "map").subtasks();
    assertThat(SubtaskStates.lost(packed, 0)).isZero();
    assertThat(SubtaskStates.lost(packed, 1)).isEqualTo(1);
    assertThat(SubtaskStates.lost(packed, 2)).isEqualTo(1);
    RoundResult done = Round.run(after, tenTimes(after, resumed.starts()), T0);
    assertThat(done.execution().outputs().getLiteralsOrThrow("out"))
        .isEqualTo(integers(10, 20, 30));
  }

  /** The map of {@code before} as a reload reads it back from the rows {@code committed} wrote. */
  private static ExecutionState reloaded(Workflows workflow, RoundResult committed,
      AttemptsInFlight inFlight) {
    Rows.NodeRow mapRow = row(committed, "map");
    ExecutionState after = new ExecutionState(1, "p/d/e", 3, GraphCompiler.compile(workflow.build()),
        LiteralMap.getDefaultInstance(), 0, 2, WorkflowExecution.Phase.RUNNING, T0);
    after.restoreNode("map", NodeExecution.Phase.RUNNING, mapRow.attempts(), 0, null, null,
        mapRow.version(), mapRow.subtasks());
    after.initialize(inFlight);
    return after;
  }

  @Test
  void subtasksStillRunningInThisProcessAreNotStartedAgainAfterAReload() {
    Workflows workflow = mapOver(task(0, Duration.ofSeconds(30), false), MapNode.newBuilder(),
        integers(1, 2));
    ExecutionState before = state(workflow, 0);
    RoundResult started = Round.run(before, List.of(), T0);
    ExecutionState after = reloaded(workflow, started, new AttemptsInFlight() {
      @Override
      public long runningSince(int node, int subtask, int attempt) {
        return subtask == 0 ? T0.toEpochMilli() : -1;
      }

      @Override
      public boolean reattaches(String taskType) {
        return false;
      }
    });

    RoundResult resumed = Round.run(after, List.of(), T0.plusSeconds(1));
    // Subtask 0 still runs here; subtask 1 was lost and runs again.
    assertThat(resumed.starts()).extracting(TaskAttempt::subtask, TaskAttempt::attempt)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 1));
    // Its timeout counts from when it started, not from the reload.
    assertThat(Round.run(after, List.of(), T0.plusSeconds(29)).aborts()).isEmpty();
    RoundResult timedOut = Round.run(after, List.of(), T0.plusSeconds(30));
    assertThat(timedOut.aborts()).extracting(TaskAttempt::subtask).first().isEqualTo(0);
    assertThat(timedOut.execution().error().getMessage())
        .contains("subtask 0: attempt 0 exceeded its timeout");
  }

  @Test
  void aLostSubtaskRunsAgainEvenWithoutRetriesAndTheMapSucceeds() {
    Workflows workflow = mapOver(task(0, Duration.ZERO, false), MapNode.newBuilder(),
        integers(1, 2));
    ExecutionState before = state(workflow, 0);
    RoundResult started = Round.run(before, List.of(), T0);
    ExecutionState after = reloaded(workflow, started, AttemptsInFlight.NONE);

    RoundResult resumed = Round.run(after, List.of(), T0);
    RoundResult done = Round.run(after, tenTimes(after, resumed.starts()), T0);

    assertThat(resumed.starts()).extracting(TaskAttempt::attempt).containsExactly(1, 1);
    assertThat(done.execution().phase()).isEqualTo(WorkflowExecution.Phase.SUCCEEDED_VALUE);
    assertThat(done.execution().outputs().getLiteralsOrThrow("out")).isEqualTo(integers(10, 20));
  }

  @Test
  void aLargeMapWithoutConcurrencyStartsItsSubtasksInRoundsOfAtMostTheLimit() {
    long[] items = new long[25_000];
    ExecutionState state = state(mapOver(task(0, Duration.ZERO, false), MapNode.newBuilder(),
        integers(items)), 0);

    RoundResult first = Round.run(state, List.of(), T0);
    RoundResult second = Round.run(state, List.of(), T0);
    RoundResult third = Round.run(state, List.of(), T0);

    assertThat(first.starts()).hasSize(Round.MAX_STARTS_PER_ROUND);
    assertThat(first.wakeAtMillis()).isEqualTo(T0.toEpochMilli());
    assertThat(second.starts()).extracting(TaskAttempt::subtask).startsWith(10_000);
    assertThat(third.starts()).hasSize(5_000);
    assertThat(third.wakeAtMillis()).isEqualTo(-1);
  }

  @Test
  void anAbortedMapReportsTheSubtasksThatNeverRanAsAbortedNotQueued() {
    ExecutionState state = state(mapOver(task(0, Duration.ZERO, false),
        MapNode.newBuilder().setConcurrency(1), integers(1, 2, 3)), 0);
    Round.run(state, List.of(), T0);
    state.requestAbort();

    RoundResult aborted = Round.run(state, List.of(), T0);

    io.starling.proto.admin.SubtaskCounts counts =
        SubtaskStates.counts(row(aborted, "map").subtasks());
    assertThat(counts.getAborted()).isEqualTo(3);
    assertThat(counts.getQueued()).isZero();
    assertThat(aborted.aborts()).extracting(TaskAttempt::subtask).containsExactly(0);
  }
}
