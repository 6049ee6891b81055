package io.starling.propeller.round;

import io.starling.proto.core.CacheStatus;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.TaskExecution;
import io.starling.propeller.plugin.TaskAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@link Round} records while it decides: the nodes it changed, the attempt rows, the
 * subtask outputs and ended maps, the attempts to start and abort. {@link #result()} turns them
 * into the {@link RoundResult}, reading each changed node's state once, at the end.
 */
final class RoundWrites {

  private final ExecutionState state;
  private final Instant now;
  private final List<Rows.AttemptRow> attemptRows = new ArrayList<>();
  private final List<Rows.SubtaskOutputRow> subtaskOutputRows = new ArrayList<>();
  private final List<Rows.MapEnded> mapsEnded = new ArrayList<>();
  private final Map<Integer, byte[]> endedSubtasks = new HashMap<>();
  private final List<TaskAttempt> starts = new ArrayList<>();
  private final List<TaskAttempt> aborts = new ArrayList<>();
  private final List<Integer> dirtyNodes = new ArrayList<>();
  private final Map<Integer, LiteralMap> inputsByNode = new HashMap<>();
  private final Map<Integer, ExecutionError> errorsByNode = new HashMap<>();
  private final Map<Integer, CacheStatus> cacheStatusByNode = new HashMap<>();
  private final Map<Integer, String> branchTakenByNode = new HashMap<>();
  private boolean executionChanged;
  private boolean moreToStart;
  private LiteralMap workflowOutputs;

  RoundWrites(ExecutionState state, Instant now) {
    this.state = state;
    this.now = now;
  }

  /** The node's row is written with this round; O(1), however often it is called. */
  void nodeChanged(int node) {
    if (state.dirtyInRound[node] != state.rounds) {
      state.dirtyInRound[node] = state.rounds;
      dirtyNodes.add(node);
    }
  }

  void executionChanged() {
    executionChanged = true;
  }

  /** An attempt's row: ended now unless it is RUNNING. */
  void attempt(int node, int attempt, TaskExecution.Phase phase, ExecutionError error) {
    attemptRows.add(new Rows.AttemptRow(state.id, state.graph.node(node).id(), attempt,
        phase.getNumber(), error, now, phase == TaskExecution.Phase.RUNNING ? null : now));
  }

  void inputs(int node, LiteralMap inputs) {
    inputsByNode.put(node, inputs);
  }

  void error(int node, ExecutionError error) {
    errorsByNode.put(node, error);
  }

  void cacheStatus(int node, CacheStatus status) {
    cacheStatusByNode.put(node, status);
  }

  /** The path of case ids a branch node took. */
  void branchTaken(int node, String path) {
    branchTakenByNode.put(node, path);
  }

  /** Stores a subtask's outputs until its map ends (none to store for tasks without outputs). */
  void subtaskSucceeded(int node, int subtask, LiteralMap outputs) {
    if (outputs.getLiteralsCount() > 0) {
      subtaskOutputRows.add(new Rows.SubtaskOutputRow(
          state.id, state.graph.node(node).id(), subtask, outputs));
    }
  }

  /** A map node ended: its final subtask state goes to its row, its stored outputs go away. */
  void mapEnded(int node, MapState map) {
    endedSubtasks.put(node, map.pack());
    mapsEnded.add(new Rows.MapEnded(state.id, state.graph.node(node).id()));
  }

  void workflowOutputs(LiteralMap outputs) {
    workflowOutputs = outputs;
  }

  void start(TaskAttempt attempt) {
    starts.add(attempt);
  }

  void abort(TaskAttempt attempt) {
    aborts.add(attempt);
  }

  /** Whether the round may start another attempt ({@link Round#MAX_STARTS_PER_ROUND}). */
  boolean mayStart() {
    return starts.size() < Round.MAX_STARTS_PER_ROUND;
  }

  /** Attempts are ready beyond the round's limit: the next round is due at once. */
  void moreToStart() {
    moreToStart = true;
  }

  private long wakeAt() {
    return moreToStart ? now.toEpochMilli() : state.nextDeadline();
  }

  RoundResult result() {
    if (!executionChanged && dirtyNodes.isEmpty() && attemptRows.isEmpty()) {
      return new RoundResult(null, List.of(), List.of(), List.of(), List.of(), List.of(),
          List.of(), wakeAt());
    }
    List<Rows.NodeRow> nodeRows = new ArrayList<>(dirtyNodes.size());
    for (int node : dirtyNodes) {
      state.nodeVersions[node]++;
      byte phase = state.nodePhases[node];
      boolean ended = phase != NodeExecution.Phase.RUNNING_VALUE
          && phase != NodeExecution.Phase.RETRYABLE_FAILURE_VALUE;
      nodeRows.add(new Rows.NodeRow(state.id, state.graph.node(node).id(), phase,
          state.attempts[node], state.lostAttempts[node], inputsByNode.get(node), state.outputs[node],
          errorsByNode.get(node), state.nodeVersions[node], now, ended ? now : null,
          subtasks(node),
          cacheStatusByNode.getOrDefault(node, CacheStatus.CACHE_DISABLED).getNumber(),
          branchTakenByNode.get(node)));
    }
    boolean terminal = state.isTerminal();
    Rows.ExecutionRow execution = new Rows.ExecutionRow(state.id, state.shard, state.version,
        state.phase.getNumber(), state.startedAt, now, terminal ? now : null, workflowOutputs,
        terminal ? state.failure : null);
    return new RoundResult(execution, nodeRows, attemptRows, subtaskOutputRows, mapsEnded,
        starts, aborts, wakeAt());
  }

  private byte[] subtasks(int node) {
    byte[] ended = endedSubtasks.get(node);
    if (ended != null) {
      return ended;
    }
    MapState map = state.maps.get(node);
    return map == null ? null : map.pack();
  }
}
