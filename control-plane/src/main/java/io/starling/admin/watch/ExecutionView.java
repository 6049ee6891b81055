package io.starling.admin.watch;

import io.starling.admin.registry.Registry;
import io.starling.admin.store.WatchStore.ExecutionRow;
import io.starling.admin.store.WatchStore.NodeRow;
import io.starling.proto.Phases;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.WorkflowExecution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a poller knows of one execution: its rows as last read, reduced to what a watch reports,
 * and the row version of each. {@link #apply} takes a new read and returns what changed, by
 * comparing versions, never timestamps: the propeller's timestamps are not in commit order, so
 * a cursor on them could skip a row that commits late, while a version read is never lost.
 *
 * <p>Pure: no I/O, no clock, no threads. Its poller calls it from one Vert.x context.
 */
final class ExecutionView {

  private record Known(int version, WatchEvent.NodeChanged event) {}

  private final int nodeCount;
  /** By node id, so that a snapshot lists the nodes in order. */
  private final Map<String, Known> nodes = new TreeMap<>();
  private final Map<String, Integer> mapVersions = new HashMap<>();
  private WatchEvent.ExecutionChanged execution;
  private long executionVersion = -1;
  private WatchProgress progress;

  ExecutionView(int nodeCount) {
    this.nodeCount = nodeCount;
    this.progress = new WatchProgress(nodeCount, 0, nodeCount, 0);
  }

  /** Whether a read has been applied: there is a snapshot to give. */
  boolean isRead() {
    return execution != null;
  }

  boolean isTerminal() {
    return execution != null && Phases.isTerminal(execution.phase());
  }

  /**
   * Whether {@code row} has the version of the last read. Every round the propeller commits
   * bumps the execution's version in the transaction that writes its node rows, so the nodes
   * have not changed either since they were last read (after that execution row).
   */
  boolean isUnchanged(ExecutionRow row) {
    return row.version() == executionVersion;
  }

  /** The map nodes seen, with the version of their row when last read. */
  Map<String, Integer> mapVersions() {
    return mapVersions;
  }

  WatchProgress progress() {
    return progress;
  }

  /**
   * Applies a read: the execution's row, then its node rows (read after it). Returns the nodes
   * whose row version moved, in node id order, then the execution if its phase changed.
   */
  List<WatchEvent> apply(ExecutionRow row, List<NodeRow> nodeRows) {
    List<NodeRow> sorted = new ArrayList<>(nodeRows);
    sorted.sort((a, b) -> a.nodeId().compareTo(b.nodeId()));
    List<WatchEvent> changes = new ArrayList<>();
    for (NodeRow node : sorted) {
      Known known = nodes.get(node.nodeId());
      if (known != null && known.version() == node.version()) {
        continue;
      }
      SubtaskTally subtasks = null;
      if (node.subtasks() != null) {
        subtasks = SubtaskTally.of(node.subtasks());
        mapVersions.put(node.nodeId(), node.version());
      } else if (node.map() && known != null) {
        subtasks = known.event().subtasks();
      }
      WatchEvent.NodeChanged event = new WatchEvent.NodeChanged(node.nodeId(),
          NodeExecution.Phase.forNumber(node.phase()), node.attempts(), error(node.error()),
          subtasks, node.updatedAt());
      nodes.put(node.nodeId(), new Known(node.version(), event));
      changes.add(event);
    }
    WorkflowExecution.Phase phase = WorkflowExecution.Phase.forNumber(row.phase());
    boolean phaseChanged = execution == null || execution.phase() != phase;
    execution = new WatchEvent.ExecutionChanged(phase, error(row.error()), row.updatedAt());
    executionVersion = row.version();
    if (phaseChanged) {
      changes.add(execution);
    }
    if (!changes.isEmpty()) {
      progress = count();
    }
    return changes;
  }

  /** Every node read so far in node id order, then the execution; empty before the first read. */
  List<WatchEvent> snapshot() {
    if (execution == null) {
      return List.of();
    }
    List<WatchEvent> all = new ArrayList<>(nodes.size() + 1);
    nodes.values().forEach(known -> all.add(known.event()));
    all.add(execution);
    return all;
  }

  private WatchProgress count() {
    int nodesEnded = 0;
    long tasks = nodeCount;
    long tasksEnded = 0;
    for (Known known : nodes.values()) {
      WatchEvent.NodeChanged node = known.event();
      boolean ended = Phases.isTerminal(node.phase());
      if (ended) {
        nodesEnded++;
      }
      if (node.subtasks() != null) {
        tasks += node.subtasks().total() - 1;
        tasksEnded += ended ? node.subtasks().total() : node.subtasks().ended();
      } else if (ended) {
        tasksEnded++;
      }
    }
    return new WatchProgress(nodeCount, nodesEnded, tasks, tasksEnded);
  }

  private static ExecutionError error(byte[] bytes) {
    return bytes == null ? null : Registry.parse(ExecutionError.parser(), bytes);
  }
}
