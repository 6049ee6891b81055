package io.starling.propeller.round;

import io.starling.propeller.plugin.TaskAttempt;
import java.util.List;

/**
 * What one round decided: the rows to write (one transaction, fenced by the execution's
 * version and its shard's epoch) and the effects to apply once they are committed.
 *
 * @param execution null when the round changed nothing
 * @param wakeAtMillis when the execution must be looked at again without an event, or -1
 */
public record RoundResult(
    Rows.ExecutionRow execution,
    List<Rows.NodeRow> nodes,
    List<Rows.AttemptRow> attempts,
    List<Rows.SubtaskOutputRow> subtaskOutputs,
    List<Rows.MapEnded> mapsEnded,
    List<TaskAttempt> starts,
    List<TaskAttempt> aborts,
    long wakeAtMillis) {

  public boolean changedNothing() {
    return execution == null;
  }

  /** Rows written: the unit of the propeller's write throughput. */
  public int rowCount() {
    return changedNothing() ? 0 : 1 + nodes.size() + attempts.size() + subtaskOutputs.size();
  }
}
