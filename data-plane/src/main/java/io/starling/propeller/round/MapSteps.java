package io.starling.propeller.round;

import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.TaskExecution;
import io.starling.propeller.graph.NodeSpec;
import io.starling.propeller.plugin.Errors;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskResult;
import java.time.Duration;
import java.util.Map;

/**
 * The map-node part of a {@link Round}: subtask events and deadlines, starting the subtasks
 * each map's concurrency allows, and ending a map once its outcome is certain, which the round
 * then records as the node's success or failure.
 */
final class MapSteps {

  private final Round round;
  private final ExecutionState state;
  private final RoundWrites writes;
  private final long nowMillis;

  MapSteps(Round round, ExecutionState state, RoundWrites writes, long nowMillis) {
    this.round = round;
    this.state = state;
    this.writes = writes;
    this.nowMillis = nowMillis;
  }

  void onEvent(TaskEvent event) {
    int node = event.node();
    int subtask = event.subtask();
    MapState map = state.maps.get(node);
    if (map == null || !map.isCurrent(subtask, event.attempt())) {
      return; // a late report of an attempt that was already settled
    }
    writes.nodeChanged(node);
    if (event.result() instanceof TaskResult.Succeeded success) {
      String missing = round.missingOutput(node, success.outputs());
      if (missing != null) {
        subtaskFailed(node, map, subtask, Round.missingOutputError(missing), false);
      } else {
        map.succeeded(subtask, success.outputs());
        writes.subtaskSucceeded(node, subtask, success.outputs());
      }
    } else {
      subtaskFailed(node, map, subtask, ((TaskResult.Failed) event.result()).error(), false);
    }
    settle(node, map);
  }

  private void subtaskFailed(int node, MapState map, int subtask, ExecutionError error,
      boolean timedOut) {
    if (!map.failed(subtask, error, timedOut)) {
      return;
    }
    Duration backoff = Errors.isLost(error)
        ? Duration.ZERO : state.spec(node).retryDelay(map.attemptsOf(subtask));
    if (backoff.isZero()) {
      map.retryDue(subtask);
    } else {
      state.deadlines.add(new Deadline(nowMillis + backoff.toMillis(), node, subtask,
          map.attemptsOf(subtask) - 1, Deadline.Kind.RETRY));
    }
  }

  /** Ends the map node once its outcome is certain: every subtask done, or too many failed. */
  void settle(int node, MapState map) {
    if (map.cannotSucceed()) {
      ExecutionError error = map.failure();
      end(node, map);
      writes.attempt(node, state.attempts[node] - 1, TaskExecution.Phase.FAILED, error);
      round.nodeFailed(node, error, false, false);
    } else if (map.isDone()) {
      end(node, map);
      writes.attempt(node, state.attempts[node] - 1, TaskExecution.Phase.SUCCEEDED, null);
      round.nodeSucceeded(node, map.outputs());
    }
  }

  /**
   * Aborts the map's running subtasks, marks those that never ran ABORTED too, and records its
   * end.
   */
  void end(int node, MapState map) {
    for (int[] stopped : map.stopRunning(NodeExecution.Phase.ABORTED)) {
      writes.abort(subtaskAttempt(node, stopped[0], stopped[1], LiteralMap.getDefaultInstance()));
    }
    map.endTheRest(NodeExecution.Phase.ABORTED);
    state.maps.remove(node);
    writes.mapEnded(node, map);
  }

  void fireDeadline(Deadline deadline) {
    int node = deadline.node();
    int subtask = deadline.subtask();
    MapState map = state.maps.get(node);
    if (map == null) {
      return;
    }
    if (deadline.kind() == Deadline.Kind.TIMEOUT && map.isCurrent(subtask, deadline.attempt())) {
      writes.nodeChanged(node);
      writes.abort(subtaskAttempt(node, subtask, deadline.attempt(), LiteralMap.getDefaultInstance()));
      subtaskFailed(node, map, subtask, round.timeoutError(node, deadline.attempt()), true);
      settle(node, map);
    } else if (deadline.kind() == Deadline.Kind.RETRY
        && map.isAwaitingRetry(subtask, deadline.attempt())) {
      map.retryDue(subtask);
    }
  }

  /** Starts the subtasks of running map nodes that their concurrency allows. */
  void startSubtasks() {
    for (Map.Entry<Integer, MapState> entry : state.maps.entrySet()) {
      int node = entry.getKey();
      MapState map = entry.getValue();
      NodeSpec spec = state.spec(node);
      while (map.hasNext()) {
        if (!writes.mayStart()) {
          writes.moreToStart();
          return;
        }
        int subtask = map.next();
        int attempt = map.started(subtask);
        writes.nodeChanged(node);
        writes.start(subtaskAttempt(node, subtask, attempt, map.inputs(subtask)));
        if (!spec.timeout().isZero()) {
          state.deadlines.add(new Deadline(
              nowMillis + spec.timeout().toMillis(), node, subtask, attempt, Deadline.Kind.TIMEOUT));
        }
      }
    }
  }

  private TaskAttempt subtaskAttempt(int node, int subtask, int attempt, LiteralMap inputs) {
    NodeSpec spec = state.spec(node);
    return new TaskAttempt(state.id, state.name, spec.id(), subtask, attempt, spec.taskId(),
        spec.task(), inputs);
  }
}
