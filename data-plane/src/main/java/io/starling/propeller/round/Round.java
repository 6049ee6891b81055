package io.starling.propeller.round;

import io.starling.propeller.PropellerOptions;
import io.starling.proto.SubtaskStates;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.TaskExecution;
import io.starling.proto.core.WorkflowExecution;
import io.starling.proto.core.WorkflowMetadata.OnFailurePolicy;
import io.starling.propeller.graph.NodeSpec;
import io.starling.propeller.plugin.Errors;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One evaluation of one execution: drain the events that arrived, fire due deadlines, start
 * every ready node the parallelism bound allows, and settle the execution's phase.
 *
 * <p>Decide, then apply: a round changes only the in-memory {@link ExecutionState} and returns
 * a {@link RoundResult} naming the rows to write and the tasks to start or abort. The caller
 * writes the rows and applies the effects only after the write commits, so a task never starts
 * before its RUNNING state is durable, and a failed write leaves nothing behind but a state to
 * reload. A round costs O(events + newly ready + started), never O(nodes).
 *
 * <p>A map node is one node to the workflow (it counts once against {@code max_parallelism})
 * and runs its subtasks through its {@link MapState}, bounded by the map's own concurrency
 * ({@link MapSteps}).
 * A branch node picks its case when it starts ({@link Branches}) and then runs as that case;
 * the output node of an inlined sub-workflow succeeds as soon as it is ready.
 */
public final class Round {

  /**
   * Most attempts one round starts (nodes and map subtasks together). What is ready beyond them
   * starts in the next round, which follows at once: a round's memory and time stay bounded,
   * however wide the fan-out or the map (a map of a million items with no concurrency limit
   * starts in rounds of this many).
   */
  public static final int MAX_STARTS_PER_ROUND = 10_000;

  private final ExecutionState state;
  private final Instant now;
  private final long nowMillis;
  private final RoundWrites writes;
  private final MapSteps maps;
  private final int maxMapItems;

  private Round(ExecutionState state, Instant now, int maxMapItems) {
    this.state = state;
    this.maxMapItems = maxMapItems;
    this.now = now;
    this.nowMillis = now.toEpochMilli();
    this.writes = new RoundWrites(state, now);
    this.maps = new MapSteps(this, state, writes, nowMillis);
    state.rounds++;
  }

  /** Runs one round of {@code state} with the events that arrived since the last one. */
  public static RoundResult run(ExecutionState state, List<TaskEvent> events, Instant now) {
    return run(state, events, now, PropellerOptions.DEFAULT_MAX_MAP_ITEMS);
  }

  /** As {@link #run(ExecutionState, List, Instant)}; a map over more than {@code maxMapItems} fails. */
  public static RoundResult run(ExecutionState state, List<TaskEvent> events, Instant now,
      int maxMapItems) {
    return new Round(state, now, maxMapItems).run(events);
  }

  private RoundResult run(List<TaskEvent> events) {
    if (state.isTerminal()) {
      return writes.result();
    }
    if (state.phase == WorkflowExecution.Phase.QUEUED
        || state.phase == WorkflowExecution.Phase.UNDEFINED) {
      state.phase = WorkflowExecution.Phase.RUNNING;
      state.startedAt = now;
      writes.executionChanged();
    }
    for (TaskEvent event : state.lostOnLoad) {
      onEvent(event);
    }
    state.lostOnLoad.clear();
    for (TaskEvent event : events) {
      onEvent(event);
    }
    fireDeadlines();
    if (state.abortRequested) {
      abortRunning(NodeExecution.Phase.ABORTED, TaskExecution.Phase.ABORTED);
      finish(WorkflowExecution.Phase.ABORTED);
    } else {
      if (state.failure == null) {
        startReadyNodes();
      }
      if (state.failure != null) {
        settleFailure();
      }
      if (!state.isTerminal()) {
        maps.startSubtasks();
      }
      if (state.failure == null && state.succeeded == state.graph.size()) {
        succeed();
      }
    }
    return writes.result();
  }

  private void onEvent(TaskEvent event) {
    int node = event.node();
    if (event.subtask() >= 0) {
      maps.onEvent(event);
      return;
    }
    if (state.nodePhases[node] != NodeExecution.Phase.RUNNING_VALUE
        || state.attempts[node] - 1 != event.attempt()) {
      return; // a late report of an attempt that was already settled
    }
    if (event.result() instanceof TaskResult.Succeeded success) {
      LiteralMap outputs = success.outputs();
      String missing = missingOutput(node, outputs);
      if (missing != null) {
        attemptEnded(node, TaskExecution.Phase.FAILED, missingOutputError(missing));
        return;
      }
      attemptEnded(node, TaskExecution.Phase.SUCCEEDED, null);
      writes.cacheStatus(node, success.cacheStatus());
      nodeSucceeded(node, outputs);
    } else {
      attemptEnded(node, TaskExecution.Phase.FAILED, ((TaskResult.Failed) event.result()).error());
    }
  }

  void nodeSucceeded(int node, LiteralMap outputs) {
    state.succeeded++;
    state.outputs[node] = outputs;
    setNodePhase(node, NodeExecution.Phase.SUCCEEDED);
    for (int next : state.graph.downstream(node)) {
      if (--state.pending[next] == 0) {
        state.ready.add(next);
      }
    }
  }

  String missingOutput(int node, LiteralMap outputs) {
    for (String name : state.spec(node).task().getInterface().getOutputsMap().keySet()) {
      if (!outputs.containsLiterals(name)) {
        return name;
      }
    }
    return null;
  }

  /** Records the end of the current attempt; a failure then retries or fails the node. */
  private void attemptEnded(int node, TaskExecution.Phase phase, ExecutionError error) {
    writes.attempt(node, state.attempts[node] - 1, phase, error);
    if (phase != TaskExecution.Phase.SUCCEEDED) {
      nodeFailed(node, error, phase == TaskExecution.Phase.TIMED_OUT, true);
    }
  }

  /**
   * The node's attempt failed: it is retried while it has retries left, else it fails. An
   * attempt lost with its replica does not count against the retries, up to
   * {@link SubtaskStates#MAX_LOST} of them, and is retried at once.
   */
  void nodeFailed(int node, ExecutionError error, boolean timedOut, boolean retryable) {
    boolean lost = Errors.isLost(error);
    if (lost && state.lostAttempts[node] < SubtaskStates.MAX_LOST) {
      state.lostAttempts[node]++;
    }
    int counted = state.attempts[node] - state.lostAttempts[node];
    if (retryable && !Errors.isFinal(error) && counted <= state.spec(node).retries()
        && !state.abortRequested) {
      setNodePhase(node, NodeExecution.Phase.RETRYABLE_FAILURE);
      Duration backoff = lost ? Duration.ZERO : state.spec(node).retryDelay(state.attempts[node]);
      if (backoff.isZero()) {
        state.ready.add(node);
      } else {
        state.deadlines.add(new Deadline(nowMillis + backoff.toMillis(), node, -1,
            state.attempts[node] - 1, Deadline.Kind.RETRY));
      }
      return;
    }
    setNodePhase(node, timedOut ? NodeExecution.Phase.TIMED_OUT : NodeExecution.Phase.FAILED);
    writes.error(node, error);
    if (state.failure == null) {
      state.failure = state.failureOf(node, error);
      writes.executionChanged();
    }
  }

  private void fireDeadlines() {
    while (!state.deadlines.isEmpty() && state.deadlines.peek().atMillis() <= nowMillis) {
      Deadline deadline = state.deadlines.poll();
      int node = deadline.node();
      if (deadline.subtask() >= 0) {
        maps.fireDeadline(deadline);
        continue;
      }
      boolean current = state.attempts[node] - 1 == deadline.attempt();
      if (!current) {
        continue;
      }
      if (deadline.kind() == Deadline.Kind.TIMEOUT
          && state.nodePhases[node] == NodeExecution.Phase.RUNNING_VALUE) {
        writes.abort(attempt(node, LiteralMap.getDefaultInstance()));
        attemptEnded(node, TaskExecution.Phase.TIMED_OUT, timeoutError(node, deadline.attempt()));
      } else if (deadline.kind() == Deadline.Kind.RETRY
          && state.nodePhases[node] == NodeExecution.Phase.RETRYABLE_FAILURE_VALUE) {
        state.ready.add(node);
      }
    }
  }

  ExecutionError timeoutError(int node, int attempt) {
    return Errors.system("Timeout", "attempt " + attempt + " exceeded its timeout of "
        + state.spec(node).timeout());
  }

  private void startReadyNodes() {
    while (!state.ready.isEmpty()
        && (state.maxParallelism == 0 || state.running < state.maxParallelism)) {
      if (!writes.mayStart()) {
        writes.moreToStart();
        return;
      }
      start(state.ready.poll());
    }
  }

  private void start(int node) {
    NodeSpec spec = state.graph.node(node);
    if (spec.isBranch()) {
      spec = takeBranch(node, spec);
      if (spec == null) {
        return;
      }
    }
    LiteralMap inputs;
    try {
      inputs = BindingResolver.resolve(spec.inputs(), state);
    } catch (IllegalStateException e) {
      // A binding that cannot be resolved will not resolve on a retry either.
      failAtStart(node, Errors.system("InputResolution", e.getMessage()));
      return;
    }
    if (spec.isSubWorkflowOutputs()) {
      nodeSucceeded(node, inputs);
      return;
    }
    MapState map = null;
    if (spec.isMap()) {
      try {
        map = MapState.start(spec, inputs, maxMapItems);
      } catch (IllegalArgumentException e) {
        failAtStart(node, Errors.user("InvalidMapInputs", e.getMessage()));
        return;
      }
    }
    int attempt = state.attempts[node]++;
    setNodePhase(node, NodeExecution.Phase.RUNNING);
    writes.inputs(node, inputs);
    writes.attempt(node, attempt, TaskExecution.Phase.RUNNING, null);
    if (map != null) {
      state.maps.put(node, map);
      maps.settle(node, map); // a map over zero items succeeds at once
      return;
    }
    writes.start(attempt(node, inputs));
    if (!spec.timeout().isZero()) {
      state.deadlines.add(new Deadline(
          nowMillis + spec.timeout().toMillis(), node, -1, attempt, Deadline.Kind.TIMEOUT));
    }
  }

  /** The case a branch node runs from now on; null when none can run (the node failed). */
  private NodeSpec takeBranch(int node, NodeSpec branch) {
    Branches.Choice choice;
    try {
      choice = Branches.choose(branch, state);
    } catch (Branches.NoMatch e) {
      failAtStart(node, Errors.user("BranchNoMatch", e.getMessage()));
      return null;
    } catch (IllegalStateException e) {
      failAtStart(node, Errors.system("InputResolution", e.getMessage()));
      return null;
    }
    state.branchesTaken.put(node, choice);
    writes.branchTaken(node, choice.path());
    return choice.spec();
  }

  /** Fails a node that could not start, for a reason a retry would not change. */
  private void failAtStart(int node, ExecutionError error) {
    state.attempts[node]++;
    nodeFailed(node, error, false, false);
  }

  private void settleFailure() {
    if (state.graph.onFailure() == OnFailurePolicy.FAIL_IMMEDIATELY || state.running == 0) {
      abortRunning(NodeExecution.Phase.ABORTED, TaskExecution.Phase.ABORTED);
      finish(WorkflowExecution.Phase.FAILED);
    } else if (state.phase != WorkflowExecution.Phase.FAILING) {
      state.phase = WorkflowExecution.Phase.FAILING;
      writes.executionChanged();
    }
  }

  /**
   * Aborts every running node, and every node waiting for a retry. Scans the nodes once: this
   * happens at most once per execution.
   */
  private void abortRunning(NodeExecution.Phase nodePhase, TaskExecution.Phase attemptPhase) {
    for (int node = 0; node < state.nodePhases.length; node++) {
      if (state.nodePhases[node] == NodeExecution.Phase.RUNNING_VALUE) {
        MapState map = state.maps.get(node);
        if (map != null) {
          maps.end(node, map);
        } else {
          writes.abort(attempt(node, LiteralMap.getDefaultInstance()));
        }
        writes.attempt(node, state.attempts[node] - 1, attemptPhase, null);
        setNodePhase(node, nodePhase);
      } else if (state.nodePhases[node] == NodeExecution.Phase.RETRYABLE_FAILURE_VALUE) {
        setNodePhase(node, nodePhase);
      }
    }
  }

  private void succeed() {
    try {
      writes.workflowOutputs(BindingResolver.resolve(state.graph.outputs(), state));
      finish(WorkflowExecution.Phase.SUCCEEDED);
    } catch (IllegalStateException e) {
      state.failure = Errors.system("OutputResolution", e.getMessage());
      finish(WorkflowExecution.Phase.FAILED);
    }
  }

  private void finish(WorkflowExecution.Phase phase) {
    state.phase = phase;
    state.deadlines.clear();
    writes.executionChanged();
  }

  /**
   * Every change of a node's phase goes through here: it is checked against
   * {@link NodeTransitions}, and it keeps {@code running} equal to the number of RUNNING nodes.
   */
  private void setNodePhase(int node, NodeExecution.Phase phase) {
    byte from = state.nodePhases[node];
    NodeTransitions.check(state.graph.node(node).id(), from, phase);
    if (from == NodeExecution.Phase.RUNNING_VALUE) {
      state.running--;
    }
    if (phase == NodeExecution.Phase.RUNNING) {
      state.running++;
    }
    state.nodePhases[node] = (byte) phase.getNumber();
    writes.nodeChanged(node);
  }

  private TaskAttempt attempt(int node, LiteralMap inputs) {
    NodeSpec spec = state.spec(node);
    return new TaskAttempt(state.id, state.name, spec.id(), state.attempts[node] - 1,
        spec.taskId(), spec.task(), inputs);
  }

  static ExecutionError missingOutputError(String missing) {
    return Errors.user("MissingOutput", "the task did not produce its output '" + missing + "'");
  }
}
