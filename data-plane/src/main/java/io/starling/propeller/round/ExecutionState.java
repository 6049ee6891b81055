package io.starling.propeller.round;

import io.starling.proto.Phases;
import io.starling.proto.SubtaskStates;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.graph.ExecutionGraph;
import io.starling.propeller.graph.NodeSpec;
import io.starling.propeller.plugin.Errors;
import io.starling.propeller.plugin.TaskResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * What the propeller knows of one execution between rounds: the committed state of every node
 * plus the bookkeeping that keeps a round proportional to what changed.
 *
 * <p>Per node, flat arrays: phase, attempts started, row version, outputs, and the number of
 * upstream nodes that have not yet succeeded ({@code pending}). A node whose pending count
 * reaches zero enters the FIFO {@code ready} queue; running nodes are counted, not scanned; a
 * min-heap of {@link Deadline}s holds timeouts and retry times. A round therefore touches only
 * the nodes named by the events it drains, their successors, and the nodes it starts. Each
 * running map node has a {@link MapState} for its subtasks.
 *
 * <p>One round at a time owns an instance: the worker that decides the round, then the thread
 * that completes the round's write (an event loop), until the round is finished. The slot's
 * in-round status keeps every other thread out, and the hand-offs between them (the write
 * queue, the future's completion, the work queue) publish the state from one to the next. When
 * a round's write fails the propeller drops the instance and loads it again from the database,
 * so the arrays never hold state that did not commit.
 */
public final class ExecutionState {

  final long id;
  final String name;
  final int shard;
  final ExecutionGraph graph;
  final LiteralMap inputs;
  final int maxParallelism;

  long version;
  WorkflowExecution.Phase phase;
  Instant startedAt;
  boolean abortRequested;
  ExecutionError failure;

  final byte[] nodePhases;
  final int[] pending;
  final int[] attempts;
  /** Attempts lost with the replica that ran them, up to {@link SubtaskStates#MAX_LOST}. */
  final int[] lostAttempts;
  final int[] nodeVersions;
  final LiteralMap[] outputs;
  /** The number of the last round that changed each node: marks a node dirty in O(1). */
  final int[] dirtyInRound;
  int rounds;
  final IntQueue ready;
  final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();
  /** Running map nodes by node index. */
  final Map<Integer, MapState> maps = new HashMap<>();
  /** The case each started branch node took, by node index. */
  final Map<Integer, Branches.Choice> branchesTaken = new HashMap<>();
  /** Packed subtask states and stored subtask outputs of map nodes, until {@link #initialize}. */
  private final Map<Integer, byte[]> restoredSubtasks = new HashMap<>();
  private final Map<Integer, Map<Integer, LiteralMap>> restoredSubtaskOutputs = new HashMap<>();
  /** The errors of failed nodes as stored, until {@link #initialize}. */
  private final Map<Integer, ExecutionError> restoredErrors = new HashMap<>();
  /** The ends of attempts found lost by {@link #initialize}, for the first round to record. */
  final List<TaskEvent> lostOnLoad = new ArrayList<>();
  private boolean initialized;
  int running;
  int succeeded;

  /**
   * @param version the executions row's version as read
   * @param maxParallelism most task nodes running at once; 0 = unbounded
   */
  public ExecutionState(
      long id,
      String name,
      int shard,
      ExecutionGraph graph,
      LiteralMap inputs,
      int maxParallelism,
      long version,
      WorkflowExecution.Phase phase,
      Instant startedAt) {
    this.id = id;
    this.name = name;
    this.shard = shard;
    this.graph = graph;
    this.inputs = inputs;
    this.maxParallelism = maxParallelism;
    this.version = version;
    this.phase = phase;
    this.startedAt = startedAt;
    int n = graph.size();
    this.nodePhases = new byte[n];
    this.pending = new int[n];
    this.attempts = new int[n];
    this.lostAttempts = new int[n];
    this.nodeVersions = new int[n];
    this.outputs = new LiteralMap[n];
    this.dirtyInRound = new int[n];
    this.ready = new IntQueue(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      pending[i] = graph.upstreamCount(i);
    }
  }

  /**
   * Restores one node from its row ({@code subtasks}: the packed subtask state of a map node,
   * else null; {@code error}: what a failed node failed with); call {@link #initialize} after
   * the last one.
   */
  public void restoreNode(String nodeId, NodeExecution.Phase phase, int attemptCount,
      int lostCount, LiteralMap nodeOutputs, ExecutionError error, int rowVersion,
      byte[] subtasks) {
    int node = graph.indexOf(nodeId);
    nodePhases[node] = (byte) phase.getNumber();
    attempts[node] = attemptCount;
    lostAttempts[node] = lostCount;
    nodeVersions[node] = rowVersion;
    if (phase == NodeExecution.Phase.SUCCEEDED || phase == NodeExecution.Phase.RECOVERED) {
      outputs[node] = nodeOutputs;
    }
    if (error != null) {
      restoredErrors.put(node, error);
    }
    if (resumesSubtasks(phase, subtasks)) {
      restoredSubtasks.put(node, subtasks);
    }
  }

  /** Restores the stored outputs of one succeeded subtask of a running map node. */
  public void restoreSubtaskOutputs(String nodeId, int subtask, LiteralMap subtaskOutputs) {
    restoredSubtaskOutputs.computeIfAbsent(graph.indexOf(nodeId), k -> new HashMap<>())
        .put(subtask, subtaskOutputs);
  }

  /** Whether {@link #initialize} has run. */
  public boolean isInitialized() {
    return initialized;
  }

  /**
   * Builds the derived bookkeeping (pending counts, ready queue) from the node phases: all
   * undefined for an execution that never ran, or as restored from rows. Call once, before the
   * first round.
   *
   * <p>A node (or map subtask) whose row says RUNNING is, by what {@code inFlight} says of its
   * attempt: still running in this process, and it stays so (its timeout counted from when it
   * started); or of a plugin whose work outlives the process, and the same attempt is started
   * again so the plugin finds its work; or lost, and the first round records the attempt as
   * failed with {@link Errors#lost} and runs a new one. A node waiting for a retry is retried
   * now; a failed one fails the execution again, with its own error.
   */
  public void initialize(AttemptsInFlight inFlight) {
    if (initialized) {
      throw new IllegalStateException("execution " + name + " is initialized already");
    }
    initialized = true;
    for (int node = 0; node < nodePhases.length; node++) {
      if (nodePhases[node] == NodeExecution.Phase.SUCCEEDED_VALUE
          || nodePhases[node] == NodeExecution.Phase.RECOVERED_VALUE) {
        succeeded++;
        for (int next : graph.downstream(node)) {
          pending[next]--;
        }
      }
    }
    for (int node = 0; node < nodePhases.length; node++) {
      switch (nodePhases[node]) {
        case NodeExecution.Phase.UNDEFINED_VALUE:
          if (pending[node] == 0) {
            ready.add(node);
          }
          break;
        case NodeExecution.Phase.RUNNING_VALUE:
          if (!resumeMap(node, inFlight)) {
            resumeAttempt(node, inFlight);
          }
          break;
        case NodeExecution.Phase.RETRYABLE_FAILURE_VALUE:
          ready.add(node);
          break;
        case NodeExecution.Phase.FAILED_VALUE:
        case NodeExecution.Phase.TIMED_OUT_VALUE:
          if (failure == null) {
            ExecutionError error = restoredErrors.get(node);
            failure = error == null
                ? Errors.user("NodeFailed", "node " + graph.node(node).id() + " failed")
                : failureOf(node, error);
          }
          break;
        default:
          break;
      }
    }
    restoredSubtasks.clear();
    restoredSubtaskOutputs.clear();
    restoredErrors.clear();
  }

  /** A RUNNING task node after a reload. */
  private void resumeAttempt(int node, AttemptsInFlight inFlight) {
    int attempt = attempts[node] - 1;
    NodeSpec spec = spec(node);
    long since = inFlight.runningSince(node, -1, attempt);
    if (since >= 0) {
      running++;
      if (!spec.timeout().isZero()) {
        deadlines.add(new Deadline(since + spec.timeout().toMillis(), node, -1, attempt,
            Deadline.Kind.TIMEOUT));
      }
    } else if (spec.task() != null && inFlight.reattaches(spec.task().getType())) {
      attempts[node]--;
      nodePhases[node] = NodeExecution.Phase.UNDEFINED_VALUE;
      ready.add(node);
    } else {
      running++;
      lostOnLoad.add(new TaskEvent(node, attempt, new TaskResult.Failed(Errors.lost(attempt))));
    }
  }

  private boolean resumeMap(int node, AttemptsInFlight inFlight) {
    byte[] packed = restoredSubtasks.get(node);
    if (packed == null) {
      return false;
    }
    NodeSpec spec = spec(node);
    boolean reattaches = inFlight.reattaches(spec.task().getType());
    MapState map;
    try {
      map = MapState.restore(spec, BindingResolver.resolve(spec.inputs(), this), packed,
          restoredSubtaskOutputs.getOrDefault(node, Map.of()),
          (subtask, attempt) -> reattaches && inFlight.runningSince(node, subtask, attempt) < 0);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return false; // the map starts over
    }
    maps.put(node, map);
    running++;
    map.forEachRunning((subtask, attempt) -> {
      long since = inFlight.runningSince(node, subtask, attempt);
      if (since < 0) {
        lostOnLoad.add(new TaskEvent(node, subtask, attempt,
            new TaskResult.Failed(Errors.lost(attempt))));
      } else if (!spec.timeout().isZero()) {
        deadlines.add(new Deadline(since + spec.timeout().toMillis(), node, subtask, attempt,
            Deadline.Kind.TIMEOUT));
      }
    });
    return true;
  }

  /** The error the execution fails with when {@code node} failed with {@code error}. */
  ExecutionError failureOf(int node, ExecutionError error) {
    return error.toBuilder()
        .setMessage("node " + graph.node(node).id() + " failed after " + attempts[node]
            + (attempts[node] == 1 ? " attempt: " : " attempts: ") + error.getMessage())
        .build();
  }

  /** Whether a restored node is a map node that was running: its subtask outputs are needed. */
  public static boolean resumesSubtasks(NodeExecution.Phase phase, byte[] subtasks) {
    return subtasks != null && phase == NodeExecution.Phase.RUNNING;
  }

  /**
   * What node {@code node} runs: its spec, or for a branch node the case it took (chosen again
   * after a reload, with the same result).
   */
  NodeSpec spec(int node) {
    NodeSpec spec = graph.node(node);
    if (!spec.isBranch()) {
      return spec;
    }
    Branches.Choice choice = branchesTaken.get(node);
    if (choice == null) {
      choice = Branches.choose(spec, this);
      branchesTaken.put(node, choice);
    }
    return choice.spec();
  }

  public void requestAbort() {
    abortRequested = true;
  }

  /** The index of the node with this id. */
  public int nodeIndex(String nodeId) {
    return graph.indexOf(nodeId);
  }

  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public int shard() {
    return shard;
  }

  public WorkflowExecution.Phase phase() {
    return phase;
  }

  public boolean isTerminal() {
    return Phases.isTerminal(phase);
  }

  /** Called once the round's write committed. */
  public void committed() {
    version++;
  }

  /** The earliest deadline, or -1 when none is pending. */
  public long nextDeadline() {
    Deadline next = deadlines.peek();
    return next == null ? -1 : next.atMillis();
  }

  public int runningNodes() {
    return running;
  }

  public NodeExecution.Phase nodePhase(String nodeId) {
    return NodeExecution.Phase.forNumber(nodePhases[graph.indexOf(nodeId)]);
  }
}
