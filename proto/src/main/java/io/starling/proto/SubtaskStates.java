package io.starling.proto;

import io.starling.proto.admin.SubtaskCounts;
import io.starling.proto.core.NodeExecution;

/**
 * The packed form of a map node's subtask state, as stored in {@code node_executions.subtasks}:
 * two bytes per subtask. The first holds its phase ({@link NodeExecution.Phase} number) in the
 * low four bits and, in the high four, how many of its attempts were lost with the replica that
 * ran them (saturating at {@link #MAX_LOST}); the second, the number of attempts started
 * (saturating at 255).
 */
public final class SubtaskStates {

  /** Bytes per subtask. */
  public static final int STRIDE = 2;
  /** The most lost attempts the packed form counts. */
  public static final int MAX_LOST = 15;

  private SubtaskStates() {}

  /** Packs phases and attempts; {@code lost} (0 to {@link #MAX_LOST} each) may be null: none. */
  public static byte[] pack(byte[] phases, byte[] attempts, byte[] lost) {
    byte[] packed = new byte[phases.length * STRIDE];
    for (int i = 0; i < phases.length; i++) {
      packed[i * STRIDE] = (byte) (phases[i] | (lost == null ? 0 : lost[i] << 4));
      packed[i * STRIDE + 1] = attempts[i];
    }
    return packed;
  }

  public static int size(byte[] packed) {
    return packed.length / STRIDE;
  }

  public static byte phase(byte[] packed, int subtask) {
    return (byte) (packed[subtask * STRIDE] & 0x0F);
  }

  /** Attempts lost with their replica, 0 to {@link #MAX_LOST}. */
  public static int lost(byte[] packed, int subtask) {
    return (packed[subtask * STRIDE] & 0xF0) >>> 4;
  }

  /** Attempts started, 0-255. */
  public static int attempts(byte[] packed, int subtask) {
    return packed[subtask * STRIDE + 1] & 0xFF;
  }

  /** Counts the subtasks by phase. */
  public static SubtaskCounts counts(byte[] packed) {
    int[] byPhase = new int[16];
    int size = size(packed);
    for (int i = 0; i < size; i++) {
      byPhase[phase(packed, i)]++;
    }
    return SubtaskCounts.newBuilder()
        .setTotal(size)
        .setQueued(byPhase[NodeExecution.Phase.UNDEFINED_VALUE]
            + byPhase[NodeExecution.Phase.QUEUED_VALUE])
        .setRunning(byPhase[NodeExecution.Phase.RUNNING_VALUE])
        .setSucceeded(byPhase[NodeExecution.Phase.SUCCEEDED_VALUE])
        .setFailed(byPhase[NodeExecution.Phase.FAILED_VALUE]
            + byPhase[NodeExecution.Phase.TIMED_OUT_VALUE])
        .setRetrying(byPhase[NodeExecution.Phase.RETRYABLE_FAILURE_VALUE])
        .setAborted(byPhase[NodeExecution.Phase.ABORTED_VALUE])
        .build();
  }
}
