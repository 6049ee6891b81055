package io.starling.admin.watch;

import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.WorkflowExecution;
import java.time.Instant;

/** One thing a watch reports: the phase of the execution or of one node, as last read. */
public sealed interface WatchEvent {

  /** The execution's phase; {@code error} (may be null) once it ended without succeeding. */
  record ExecutionChanged(WorkflowExecution.Phase phase, ExecutionError error, Instant updatedAt)
      implements WatchEvent {}

  /**
   * A node's row: its phase, attempts started, the error of a failed attempt (may be null) and,
   * for a map node that started, its subtasks (else null).
   */
  record NodeChanged(String nodeId, NodeExecution.Phase phase, int attempts, ExecutionError error,
      SubtaskTally subtasks, Instant updatedAt) implements WatchEvent {}
}
