package io.starling.admin.watch;

import io.starling.proto.SubtaskStates;
import io.starling.proto.core.NodeExecution;

/** The subtasks of a map node by phase, counted from their packed state. */
public record SubtaskTally(int total, int queued, int running, int succeeded, int failed,
    int retrying, int aborted) {

  static SubtaskTally of(byte[] packed) {
    int[] byPhase = new int[16];
    int size = SubtaskStates.size(packed);
    for (int i = 0; i < size; i++) {
      byPhase[SubtaskStates.phase(packed, i)]++;
    }
    return new SubtaskTally(size,
        byPhase[NodeExecution.Phase.UNDEFINED_VALUE] + byPhase[NodeExecution.Phase.QUEUED_VALUE],
        byPhase[NodeExecution.Phase.RUNNING_VALUE],
        byPhase[NodeExecution.Phase.SUCCEEDED_VALUE],
        byPhase[NodeExecution.Phase.FAILED_VALUE] + byPhase[NodeExecution.Phase.TIMED_OUT_VALUE],
        byPhase[NodeExecution.Phase.RETRYABLE_FAILURE_VALUE],
        byPhase[NodeExecution.Phase.ABORTED_VALUE]);
  }

  /** Subtasks that will not run again. */
  int ended() {
    return succeeded + failed + aborted;
  }
}
