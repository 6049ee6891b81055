package io.starling.propeller.round;

import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.TaskExecution;
import io.starling.proto.core.WorkflowExecution;
import io.starling.proto.core.WorkflowMetadata.OnFailurePolicy;
import io.starling.propeller.graph.NodeSpec;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation of one execution: drain the events that arrived, fire due deadlines, start
 * every ready node the parallelism bound allows, and settle the execution's phase.
 *
 * <p>Decide, then apply: a round changes only the in-memory {@link ExecutionState} and returns
 * a {@link RoundResult} naming the rows to write and the tasks to start or abort. The caller
 * writes the rows and applies the effects only after the write commits, so a task never starts
 * before its RUNNING state is durable, and a failed write leaves nothing behind but a state to
 * reload. A round costs O(events + newly ready + started), never O(nodes).
 */
public final class Round {

  private final ExecutionState state;
  private final Instant now;
  private final long nowMillis;
  private final List<Rows.AttemptRow> attemptRows = new ArrayList<>();
  private final List<TaskAttempt> starts = new ArrayList<>();
  private final List<TaskAttempt> aborts = new ArrayList<>();
  private final List<Integer> dirtyNodes = new ArrayList<>();
  private final Map<Integer, LiteralMap> inputsByNode = new HashMap<>();
  private final Map<Integer, ExecutionError> errorsByNode = new HashMap<>();
  private boolean executionChanged;
  private LiteralMap workflowOutputs;

  private Round(ExecutionState state, Instant now) {
    this.state = state;
    this.now = now;
    this.nowMillis = now.toEpochMilli();
    state.rounds++;
  }

  /** Runs one round of {@code state} with the events that arrived since the last one. */
  public static RoundResult run(ExecutionState state, List<TaskEvent> events, Instant now) {
    return new Round(state, now).run(events);
  }

  private RoundResult run(List<TaskEvent> events) {
    if (state.isTerminal()) {
      return nothing();
    }
    if (state.phase == WorkflowExecution.Phase.QUEUED
        || state.phase == WorkflowExecution.Phase.UNDEFINED) {
      state.phase = WorkflowExecution.Phase.RUNNING;
      state.startedAt = now;
      executionChanged = true;
    }
    for (TaskEvent event : events) {
      onEvent(event);
    }
    fireDeadlines();
    if (state.abortRequested) {
      abortRunning(NodeExecution.Phase.ABORTED, TaskExecution.Phase.ABORTED);
      finish(WorkflowExecution.Phase.ABORTED);
    } else if (state.failure != null) {
      settleFailure();
    } else {
      startReadyNodes();
      if (state.succeeded == state.graph.size()) {
        succeed();
      }
    }
    return result();
  }

  private void onEvent(TaskEvent event) {
    int node = event.node();
    if (state.nodePhases[node] != NodeExecution.Phase.RUNNING_VALUE
        || state.attempts[node] - 1 != event.attempt()) {
      return; // a late report of an attempt that was already settled
    }
    if (event.result() instanceof TaskResult.Succeeded success) {
      LiteralMap outputs = success.outputs();
      String missing = missingOutput(node, outputs);
      if (missing != null) {
        attemptEnded(node, TaskExecution.Phase.FAILED, userError("MissingOutput",
            "the task did not produce its output '" + missing + "'"));
        return;
      }
      attemptEnded(node, TaskExecution.Phase.SUCCEEDED, null);
      state.running--;
      state.succeeded++;
      state.outputs[node] = outputs;
      setNodePhase(node, NodeExecution.Phase.SUCCEEDED);
      for (int next : state.graph.downstream(node)) {
        if (--state.pending[next] == 0) {
          state.ready.add(next);
        }
      }
    } else {
      attemptEnded(node, TaskExecution.Phase.FAILED, ((TaskResult.Failed) event.result()).error());
    }
  }

  private String missingOutput(int node, LiteralMap outputs) {
    for (String name : state.graph.node(node).task().getInterface().getOutputsMap().keySet()) {
      if (!outputs.containsLiterals(name)) {
        return name;
      }
    }
    return null;
  }

  /** Records the end of the current attempt; a failure then retries or fails the node. */
  private void attemptEnded(int node, TaskExecution.Phase phase, ExecutionError error) {
    int attempt = state.attempts[node] - 1;
    attemptRows.add(new Rows.AttemptRow(
        state.id, state.graph.node(node).id(), attempt, phase.getNumber(), error, now, now));
    if (phase != TaskExecution.Phase.SUCCEEDED) {
      nodeFailed(node, error, phase == TaskExecution.Phase.TIMED_OUT, true);
    }
  }

  private void nodeFailed(int node, ExecutionError error, boolean timedOut, boolean retryable) {
    NodeSpec spec = state.graph.node(node);
    state.running--;
    if (retryable && state.attempts[node] <= spec.retries() && !state.abortRequested) {
      setNodePhase(node, NodeExecution.Phase.RETRYABLE_FAILURE);
      Duration backoff = backoff(spec, state.attempts[node]);
      if (backoff.isZero()) {
        state.ready.add(node);
      } else {
        state.deadlines.add(new Deadline(nowMillis + backoff.toMillis(), node,
            state.attempts[node] - 1, Deadline.Kind.RETRY));
      }
      return;
    }
    setNodePhase(node, timedOut ? NodeExecution.Phase.TIMED_OUT : NodeExecution.Phase.FAILED);
    errorsByNode.put(node, error);
    if (state.failure == null) {
      state.failure = error.toBuilder()
          .setMessage("node " + spec.id() + " failed after " + state.attempts[node]
              + (state.attempts[node] == 1 ? " attempt: " : " attempts: ") + error.getMessage())
          .build();
      executionChanged = true;
    }
  }

  /** Doubles per retry from the task's backoff, capped at ten minutes. */
  private static Duration backoff(NodeSpec spec, int attemptsSoFar) {
    if (spec.backoff().isZero()) {
      return Duration.ZERO;
    }
    long factor = 1L << Math.min(20, attemptsSoFar - 1);
    return Duration.ofMillis(Math.min(spec.backoff().toMillis() * factor, 600_000));
  }

  private void fireDeadlines() {
    while (!state.deadlines.isEmpty() && state.deadlines.peek().atMillis() <= nowMillis) {
      Deadline deadline = state.deadlines.poll();
      int node = deadline.node();
      boolean current = state.attempts[node] - 1 == deadline.attempt();
      if (!current) {
        continue;
      }
      if (deadline.kind() == Deadline.Kind.TIMEOUT
          && state.nodePhases[node] == NodeExecution.Phase.RUNNING_VALUE) {
        aborts.add(attempt(node, LiteralMap.getDefaultInstance()));
        attemptEnded(node, TaskExecution.Phase.TIMED_OUT, ExecutionError.newBuilder()
            .setCode("Timeout")
            .setMessage("attempt " + deadline.attempt() + " exceeded its timeout of "
                + state.graph.node(node).timeout())
            .setKind(ExecutionError.Kind.SYSTEM)
            .build());
      } else if (deadline.kind() == Deadline.Kind.RETRY
          && state.nodePhases[node] == NodeExecution.Phase.RETRYABLE_FAILURE_VALUE) {
        state.ready.add(node);
      }
    }
  }

  private void startReadyNodes() {
    while (!state.ready.isEmpty()
        && (state.maxParallelism == 0 || state.running < state.maxParallelism)) {
      start(state.ready.poll());
    }
  }

  private void start(int node) {
    NodeSpec spec = state.graph.node(node);
    LiteralMap inputs;
    try {
      inputs = BindingResolver.resolve(spec.inputs(), state);
    } catch (IllegalStateException e) {
      // A binding that cannot be resolved will not resolve on a retry either.
      state.running++;
      state.attempts[node]++;
      nodeFailed(node, systemError("InputResolution", e.getMessage()), false, false);
      return;
    }
    int attempt = state.attempts[node]++;
    state.running++;
    setNodePhase(node, NodeExecution.Phase.RUNNING);
    inputsByNode.put(node, inputs);
    attemptRows.add(new Rows.AttemptRow(state.id, spec.id(), attempt,
        TaskExecution.Phase.RUNNING_VALUE, null, now, null));
    starts.add(attempt(node, inputs));
    if (!spec.timeout().isZero()) {
      state.deadlines.add(new Deadline(
          nowMillis + spec.timeout().toMillis(), node, attempt, Deadline.Kind.TIMEOUT));
    }
  }

  private void settleFailure() {
    if (state.graph.onFailure() == OnFailurePolicy.FAIL_IMMEDIATELY || state.running == 0) {
      abortRunning(NodeExecution.Phase.ABORTED, TaskExecution.Phase.ABORTED);
      finish(WorkflowExecution.Phase.FAILED);
    } else if (state.phase != WorkflowExecution.Phase.FAILING) {
      state.phase = WorkflowExecution.Phase.FAILING;
      executionChanged = true;
    }
  }

  /** Aborts every running node. Scans the nodes once: this happens at most once per execution. */
  private void abortRunning(NodeExecution.Phase nodePhase, TaskExecution.Phase attemptPhase) {
    for (int node = 0; node < state.nodePhases.length && state.running > 0; node++) {
      if (state.nodePhases[node] == NodeExecution.Phase.RUNNING_VALUE) {
        aborts.add(attempt(node, LiteralMap.getDefaultInstance()));
        attemptRows.add(new Rows.AttemptRow(state.id, state.graph.node(node).id(),
            state.attempts[node] - 1, attemptPhase.getNumber(), null, now, now));
        state.running--;
        setNodePhase(node, nodePhase);
      }
    }
  }

  private void succeed() {
    try {
      workflowOutputs = BindingResolver.resolve(state.graph.outputs(), state);
      finish(WorkflowExecution.Phase.SUCCEEDED);
    } catch (IllegalStateException e) {
      state.failure = systemError("OutputResolution", e.getMessage());
      finish(WorkflowExecution.Phase.FAILED);
    }
  }

  private void finish(WorkflowExecution.Phase phase) {
    state.phase = phase;
    state.deadlines.clear();
    executionChanged = true;
  }

  private void setNodePhase(int node, NodeExecution.Phase phase) {
    state.nodePhases[node] = (byte) phase.getNumber();
    if (state.dirtyInRound[node] != state.rounds) {
      state.dirtyInRound[node] = state.rounds;
      dirtyNodes.add(node);
    }
  }

  private TaskAttempt attempt(int node, LiteralMap inputs) {
    NodeSpec spec = state.graph.node(node);
    return new TaskAttempt(state.id, state.name, spec.id(), state.attempts[node] - 1,
        spec.taskId(), spec.task(), inputs);
  }

  private RoundResult result() {
    if (!executionChanged && dirtyNodes.isEmpty() && attemptRows.isEmpty()) {
      return nothing();
    }
    List<Rows.NodeRow> nodeRows = new ArrayList<>(dirtyNodes.size());
    for (int node : dirtyNodes) {
      state.nodeVersions[node]++;
      byte phase = state.nodePhases[node];
      boolean ended = phase != NodeExecution.Phase.RUNNING_VALUE
          && phase != NodeExecution.Phase.RETRYABLE_FAILURE_VALUE;
      nodeRows.add(new Rows.NodeRow(state.id, state.graph.node(node).id(), phase,
          state.attempts[node], inputsByNode.get(node), state.outputs[node],
          errorsByNode.get(node), state.nodeVersions[node], now, ended ? now : null));
    }
    boolean terminal = state.isTerminal();
    Rows.ExecutionRow execution = new Rows.ExecutionRow(state.id, state.shard, state.version,
        state.phase.getNumber(), state.startedAt, now, terminal ? now : null, workflowOutputs,
        terminal ? state.failure : null);
    return new RoundResult(execution, nodeRows, attemptRows, starts, aborts,
        state.nextDeadline());
  }

  private RoundResult nothing() {
    return new RoundResult(null, List.of(), List.of(), List.of(), List.of(), state.nextDeadline());
  }

  private static ExecutionError userError(String code, String message) {
    return ExecutionError.newBuilder().setCode(code).setMessage(message)
        .setKind(ExecutionError.Kind.USER).build();
  }

  private static ExecutionError systemError(String code, String message) {
    return ExecutionError.newBuilder().setCode(code).setMessage(message)
        .setKind(ExecutionError.Kind.SYSTEM).build();
  }
}
