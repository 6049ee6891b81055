package io.starling.propeller.round;

import io.starling.proto.SubtaskStates;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralCollection;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.NoneValue;
import io.starling.propeller.graph.NodeSpec;
import io.starling.propeller.plugin.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subtasks of one running map node. State per subtask is two bytes, its phase
 * ({@link NodeExecution.Phase} number) and attempts started, plus its outputs once it succeeds
 * (only for tasks that have outputs); counters make every decision O(1). Subtasks start in
 * item order through a cursor; retries that are due wait in a queue.
 */
final class MapState {

  private static final Literal NONE = Literal.newBuilder().setNone(NoneValue.getDefaultInstance()).build();

  private final NodeSpec spec;
  private final int size;
  private final byte[] phases;
  private final byte[] attempts;
  /** Attempts lost with their replica per subtask; null until one is. */
  private byte[] lost;
  private final LiteralMap[] outputs;
  private final Map<String, List<Literal>> mapped = new LinkedHashMap<>();
  private final Map<String, Literal> broadcast = new LinkedHashMap<>();
  private final IntQueue due = new IntQueue(16);
  private final int required;
  private int cursor;
  private int running;
  private int succeeded;
  private int failed;
  private ExecutionError firstFailure;
  private int firstFailed = -1;

  private MapState(NodeSpec spec, LiteralMap inputs, byte[] phases, byte[] attempts, byte[] lost) {
    this.spec = spec;
    this.size = bind(inputs);
    this.phases = phases == null ? new byte[size] : phases;
    this.attempts = attempts == null ? new byte[size] : attempts;
    this.lost = lost;
    this.outputs = spec.task().getInterface().getOutputsCount() == 0 ? null : new LiteralMap[size];
    this.required = spec.map().requiredSuccesses(size);
  }

  /**
   * The state of a map node that starts now over {@code inputs}. Throws
   * {@link IllegalArgumentException} when a mapped input is not a list or the lists differ in
   * length.
   */
  static MapState start(NodeSpec spec, LiteralMap inputs, int maxItems) {
    MapState map = new MapState(spec, inputs, null, null, null);
    if (map.size > maxItems) {
      throw new IllegalArgumentException("the map has " + map.size + " items; the most is "
          + maxItems + " (propeller.max-map-items)");
    }
    return map;
  }

  /** Says of a subtask's attempt that was running whether to start that same attempt again. */
  @FunctionalInterface
  interface Rerun {
    boolean test(int subtask, int attempt);
  }

  /**
   * The state of a map node as stored: subtasks that were running stay running unless
   * {@code rerun} says to start the same attempt again (see {@link #forEachRunning}), those
   * waiting for a retry are due now, and a succeeded one whose outputs were not stored runs
   * again.
   */
  static MapState restore(NodeSpec spec, LiteralMap inputs, byte[] packed,
      Map<Integer, LiteralMap> storedOutputs, Rerun rerun) {
    int size = SubtaskStates.size(packed);
    byte[] phases = new byte[size];
    byte[] attempts = new byte[size];
    byte[] lost = null;
    for (int i = 0; i < size; i++) {
      phases[i] = SubtaskStates.phase(packed, i);
      attempts[i] = (byte) SubtaskStates.attempts(packed, i);
      int lostCount = SubtaskStates.lost(packed, i);
      if (lostCount > 0) {
        lost = lost == null ? new byte[size] : lost;
        lost[i] = (byte) lostCount;
      }
    }
    MapState map = new MapState(spec, inputs, phases, attempts, lost);
    if (map.size != size) {
      throw new IllegalArgumentException("map node " + spec.id() + " stored " + size
          + " subtasks but its inputs have " + map.size + " items");
    }
    for (int i = 0; i < size; i++) {
      switch (phases[i]) {
        case NodeExecution.Phase.SUCCEEDED_VALUE -> {
          LiteralMap stored = storedOutputs.get(i);
          if (map.outputs != null && stored == null) {
            map.rerun(i);
          } else {
            if (map.outputs != null) {
              map.outputs[i] = stored;
            }
            map.succeeded++;
          }
        }
        case NodeExecution.Phase.RUNNING_VALUE -> {
          if (rerun.test(i, map.attemptsOf(i) - 1)) {
            map.rerun(i);
          } else {
            map.running++;
          }
        }
        case NodeExecution.Phase.RETRYABLE_FAILURE_VALUE -> map.due.add(i);
        case NodeExecution.Phase.FAILED_VALUE, NodeExecution.Phase.TIMED_OUT_VALUE -> map.failed++;
        default -> { }
      }
    }
    return map;
  }

  private void rerun(int subtask) {
    phases[subtask] = NodeExecution.Phase.UNDEFINED_VALUE;
    attempts[subtask]--;
  }

  private int bind(LiteralMap inputs) {
    int items = -1;
    String first = null;
    for (Map.Entry<String, Literal> input : inputs.getLiteralsMap().entrySet()) {
      if (spec.map().broadcast().contains(input.getKey())) {
        broadcast.put(input.getKey(), input.getValue());
        continue;
      }
      if (!input.getValue().hasCollection()) {
        throw new IllegalArgumentException("mapped input '" + input.getKey() + "' is not a list");
      }
      List<Literal> list = input.getValue().getCollection().getLiteralsList();
      if (items >= 0 && list.size() != items) {
        throw new IllegalArgumentException("mapped inputs differ in length: '" + first + "' has "
            + items + " items, '" + input.getKey() + "' has " + list.size());
      }
      items = list.size();
      first = first == null ? input.getKey() : first;
      mapped.put(input.getKey(), list);
    }
    if (items < 0) {
      throw new IllegalArgumentException("the map node has no list input to map over");
    }
    return items;
  }

  int size() {
    return size;
  }

  /** Whether a subtask may start now: one is due or not yet started, and concurrency allows. */
  boolean hasNext() {
    int concurrency = spec.map().concurrency();
    if (concurrency > 0 && running >= concurrency) {
      return false;
    }
    while (cursor < size && phases[cursor] != NodeExecution.Phase.UNDEFINED_VALUE) {
      cursor++;
    }
    return !due.isEmpty() || cursor < size;
  }

  /** The next subtask to start; call only after {@link #hasNext} said there is one. */
  int next() {
    return !due.isEmpty() ? due.poll() : cursor++;
  }

  /** Marks {@code subtask} running; returns its attempt number. */
  int started(int subtask) {
    phases[subtask] = NodeExecution.Phase.RUNNING_VALUE;
    running++;
    return attempts[subtask]++ & 0xFF;
  }

  LiteralMap inputs(int subtask) {
    LiteralMap.Builder values = LiteralMap.newBuilder().putAllLiterals(broadcast);
    mapped.forEach((name, items) -> values.putLiterals(name, items.get(subtask)));
    return values.build();
  }

  /** Whether {@code attempt} is the running attempt of {@code subtask}. */
  boolean isCurrent(int subtask, int attempt) {
    return subtask < size
        && phases[subtask] == NodeExecution.Phase.RUNNING_VALUE
        && (attempts[subtask] & 0xFF) - 1 == attempt;
  }

  boolean isAwaitingRetry(int subtask, int attempt) {
    return phases[subtask] == NodeExecution.Phase.RETRYABLE_FAILURE_VALUE
        && (attempts[subtask] & 0xFF) - 1 == attempt;
  }

  int attemptsOf(int subtask) {
    return attempts[subtask] & 0xFF;
  }

  void succeeded(int subtask, LiteralMap values) {
    phases[subtask] = NodeExecution.Phase.SUCCEEDED_VALUE;
    running--;
    succeeded++;
    if (outputs != null) {
      outputs[subtask] = values;
    }
  }

  /** Calls {@code visit} with each running subtask and its attempt. */
  void forEachRunning(RunningSubtask visit) {
    for (int i = 0; i < size; i++) {
      if (phases[i] == NodeExecution.Phase.RUNNING_VALUE) {
        visit.visit(i, attemptsOf(i) - 1);
      }
    }
  }

  @FunctionalInterface
  interface RunningSubtask {
    void visit(int subtask, int attempt);
  }

  /**
   * The running attempt of {@code subtask} failed: it waits for a retry while it has retries
   * left (and the 255-attempt ceiling of the packed form allows), else it has failed for good.
   * An attempt lost with its replica does not count against the retries, up to
   * {@link SubtaskStates#MAX_LOST} of them. Returns whether it will be retried.
   */
  boolean failed(int subtask, ExecutionError error, boolean timedOut) {
    running--;
    if (Errors.isLost(error)) {
      lost = lost == null ? new byte[size] : lost;
      if (lost[subtask] < SubtaskStates.MAX_LOST) {
        lost[subtask]++;
      }
    }
    int counted = attemptsOf(subtask) - (lost == null ? 0 : lost[subtask]);
    if (!Errors.isFinal(error) && counted <= spec.retries() && attemptsOf(subtask) < 255) {
      phases[subtask] = NodeExecution.Phase.RETRYABLE_FAILURE_VALUE;
      return true;
    }
    phases[subtask] = (byte) (timedOut
        ? NodeExecution.Phase.TIMED_OUT_VALUE
        : NodeExecution.Phase.FAILED_VALUE);
    failed++;
    if (firstFailure == null) {
      firstFailure = error;
      firstFailed = subtask;
    }
    return false;
  }

  void retryDue(int subtask) {
    due.add(subtask);
  }

  /** Every subtask has succeeded or failed for good. */
  boolean isDone() {
    return succeeded + failed == size;
  }

  /** Too many subtasks failed for the map to reach its required successes. */
  boolean cannotSucceed() {
    return failed > size - required;
  }

  /** Why the map failed, naming the first subtask that did. */
  ExecutionError failure() {
    String what = failed + " of " + size + " subtasks failed (" + required + " must succeed)";
    if (firstFailure == null) {
      return Errors.user("MapFailed", what);
    }
    return firstFailure.toBuilder()
        .setMessage(what + "; subtask " + firstFailed + ": " + firstFailure.getMessage())
        .build();
  }

  /** The node's outputs: per task output, the list of subtask outputs, none where one failed. */
  LiteralMap outputs() {
    LiteralMap.Builder values = LiteralMap.newBuilder();
    for (String name : spec.task().getInterface().getOutputsMap().keySet()) {
      LiteralCollection.Builder list = LiteralCollection.newBuilder();
      for (int i = 0; i < size; i++) {
        Literal value = outputs[i] == null ? null : outputs[i].getLiteralsMap().get(name);
        list.addLiterals(value == null ? NONE : value);
      }
      values.putLiterals(name, Literal.newBuilder().setCollection(list).build());
    }
    return values.build();
  }

  /** Marks every running subtask with {@code phase} and returns them with their attempts. */
  List<int[]> stopRunning(NodeExecution.Phase phase) {
    List<int[]> stopped = new ArrayList<>(running);
    for (int i = 0; i < size && running > 0; i++) {
      if (phases[i] == NodeExecution.Phase.RUNNING_VALUE) {
        phases[i] = (byte) phase.getNumber();
        running--;
        stopped.add(new int[] {i, attemptsOf(i) - 1});
      }
    }
    return stopped;
  }

  /**
   * Marks every subtask that has not ended (never started, or waiting for a retry) with
   * {@code phase}: the map ended before they ran, and they never will.
   */
  void endTheRest(NodeExecution.Phase phase) {
    for (int i = 0; i < size; i++) {
      if (phases[i] == NodeExecution.Phase.UNDEFINED_VALUE
          || phases[i] == NodeExecution.Phase.RETRYABLE_FAILURE_VALUE) {
        phases[i] = (byte) phase.getNumber();
      }
    }
    cursor = size;
    due.clear();
  }

  byte[] pack() {
    return SubtaskStates.pack(phases, attempts, lost);
  }
}
