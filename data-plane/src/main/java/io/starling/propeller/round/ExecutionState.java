package io.starling.propeller.round;

import io.starling.proto.Phases;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.graph.ExecutionGraph;
import io.starling.propeller.graph.NodeSpec;
import io.starling.propeller.plugin.Errors;
import java.time.Instant;
import java.util.HashMap;
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
 * <p>Only the worker running a round touches an instance, and only between committed rounds:
 * when a round's write fails the propeller drops the instance and loads it again from the
 * database, so the arrays never hold state that did not commit.
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
   * else null); call {@link #initialize()} after the last one.
   */
  public void restoreNode(String nodeId, NodeExecution.Phase phase, int attemptCount,
      LiteralMap nodeOutputs, int rowVersion, byte[] subtasks) {
    int node = graph.indexOf(nodeId);
    nodePhases[node] = (byte) phase.getNumber();
    attempts[node] = attemptCount;
    nodeVersions[node] = rowVersion;
    if (phase == NodeExecution.Phase.SUCCEEDED || phase == NodeExecution.Phase.RECOVERED) {
      outputs[node] = nodeOutputs;
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

  /**
   * Builds the derived bookkeeping (pending counts, ready queue) from the node phases: all
   * undefined for an execution that never ran, or as restored from rows. Call once, before the
   * first round. A node that was RUNNING is started again
   * with the same attempt number (plugins are idempotent per attempt), except a map node, which
   * resumes its subtasks (see {@link MapState#restore}); one that was waiting for a retry is
   * retried now; a failed one fails the execution again.
   */
  public void initialize() {
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
          if (!resumeMap(node)) {
            attempts[node]--;
            nodePhases[node] = NodeExecution.Phase.UNDEFINED_VALUE;
            ready.add(node);
          }
          break;
        case NodeExecution.Phase.RETRYABLE_FAILURE_VALUE:
          ready.add(node);
          break;
        case NodeExecution.Phase.FAILED_VALUE:
        case NodeExecution.Phase.TIMED_OUT_VALUE:
          if (failure == null) {
            failure = Errors.user("NodeFailed", "node " + graph.node(node).id() + " failed");
          }
          break;
        default:
          break;
      }
    }
    restoredSubtasks.clear();
    restoredSubtaskOutputs.clear();
  }

  private boolean resumeMap(int node) {
    byte[] packed = restoredSubtasks.get(node);
    if (packed == null) {
      return false;
    }
    try {
      NodeSpec spec = spec(node);
      maps.put(node, MapState.restore(spec, BindingResolver.resolve(spec.inputs(), this), packed,
          restoredSubtaskOutputs.getOrDefault(node, Map.of())));
      running++;
      return true;
    } catch (IllegalArgumentException | IllegalStateException e) {
      return false; // the map starts over
    }
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
