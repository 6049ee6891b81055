package io.starling.propeller.round;

import io.starling.proto.core.NodeExecution.Phase;

/**
 * The node phase changes a round may make, in one table. Anything else is a bug of the round
 * and fails it, naming the node and both phases, before a row of it is written.
 *
 * <pre>
 *   UNDEFINED         → RUNNING, SUCCEEDED (an inlined sub-workflow's output node),
 *                       FAILED (it could not start: inputs, branch)
 *   RUNNING           → SUCCEEDED, FAILED, TIMED_OUT, RETRYABLE_FAILURE, ABORTED
 *   RETRYABLE_FAILURE → RUNNING, FAILED (it could not start again), ABORTED
 * </pre>
 */
final class NodeTransitions {

  /** Per phase number, a bit per phase number it may change to. */
  private static final int[] ALLOWED = new int[16];

  static {
    allow(Phase.UNDEFINED, Phase.RUNNING, Phase.SUCCEEDED, Phase.FAILED);
    allow(Phase.RUNNING, Phase.SUCCEEDED, Phase.FAILED, Phase.TIMED_OUT,
        Phase.RETRYABLE_FAILURE, Phase.ABORTED);
    allow(Phase.RETRYABLE_FAILURE, Phase.RUNNING, Phase.FAILED, Phase.ABORTED);
  }

  private NodeTransitions() {}

  private static void allow(Phase from, Phase... to) {
    for (Phase phase : to) {
      ALLOWED[from.getNumber()] |= 1 << phase.getNumber();
    }
  }

  /** Throws {@link IllegalStateException} unless a node may go from {@code from} to {@code to}. */
  static void check(String nodeId, int from, Phase to) {
    if ((ALLOWED[from] & (1 << to.getNumber())) == 0) {
      throw new IllegalStateException("node " + nodeId + " cannot go from "
          + Phase.forNumber(from) + " to " + to);
    }
  }
}
