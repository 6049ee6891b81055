package io.starling.propeller.round;

import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.LiteralMap;
import java.time.Instant;

/** The rows a round writes: plain values that the store turns into batched statements. */
public final class Rows {

  private Rows() {}

  /**
   * The execution's row. {@code expectedVersion} is the version the round started from; the
   * store writes only if the row still has it, and sets it to {@code expectedVersion + 1}.
   */
  public record ExecutionRow(
      long executionId,
      int shard,
      long expectedVersion,
      int phase,
      Instant startedAt,
      Instant updatedAt,
      Instant endedAt,
      LiteralMap outputs,
      ExecutionError error) {}

  /**
   * A node's row; {@code inputs} is set only when an attempt starts, {@code subtasks} (the
   * packed subtask state) only for a map node, {@code branchTaken} (the path of case ids) only
   * when a branch node picks its case. {@code lostAttempts} of {@code attempts} were lost with
   * the replica that ran them.
   */
  public record NodeRow(
      long executionId,
      String nodeId,
      int phase,
      int attempts,
      int lostAttempts,
      LiteralMap inputs,
      LiteralMap outputs,
      ExecutionError error,
      int version,
      Instant updatedAt,
      Instant endedAt,
      byte[] subtasks,
      int cacheStatus,
      String branchTaken) {}

  /** The outputs of a subtask that succeeded while its map node runs. */
  public record SubtaskOutputRow(long executionId, String nodeId, int subtask, LiteralMap outputs) {}

  /** A map node that ended: its subtask outputs are in its node row now. */
  public record MapEnded(long executionId, String nodeId) {}

  /** One attempt's row. */
  public record AttemptRow(
      long executionId,
      String nodeId,
      int attempt,
      int phase,
      ExecutionError error,
      Instant updatedAt,
      Instant endedAt) {}
}
