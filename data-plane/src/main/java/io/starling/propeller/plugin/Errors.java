package io.starling.propeller.plugin;

import io.starling.proto.core.ExecutionError;

/** Builds {@link ExecutionError}s of the two kinds the propeller tells apart. */
public final class Errors {

  private Errors() {}

  /** A failure of the task's own code, or of what the user gave it. */
  public static ExecutionError user(String code, String message) {
    return ExecutionError.newBuilder().setCode(code).setMessage(message)
        .setKind(ExecutionError.Kind.USER).build();
  }

  /** A failure of the platform around the task. */
  public static ExecutionError system(String code, String message) {
    return ExecutionError.newBuilder().setCode(code).setMessage(message)
        .setKind(ExecutionError.Kind.SYSTEM).build();
  }

  /**
   * The end of an attempt that was running when the replica that ran it stopped (a crash, a
   * restart, a shard that moved): its result is unknown, so it is recorded as failed and the
   * node runs a new attempt, which does not count against the task's retries.
   */
  public static ExecutionError lost(int attempt) {
    return system(LOST, "attempt " + attempt + " was running on a replica that stopped; "
        + "its result is unknown and it runs again as a new attempt");
  }

  /**
   * The end of an attempt whose worker stopped holding it (the worker died, or lost its
   * connection for longer than its lease): like {@link #lost}, it runs again as a new attempt
   * that does not count against the task's retries.
   */
  public static ExecutionError leaseExpired(int attempt) {
    return system(LEASE_EXPIRED, "the lease of attempt " + attempt + " expired: its worker "
        + "stopped sending heartbeats; it runs again as a new attempt");
  }

  /** Whether {@code error} ended an attempt that was lost with its replica or its worker. */
  public static boolean isLost(ExecutionError error) {
    return error != null && error.getKind() == ExecutionError.Kind.SYSTEM
        && (LOST.equals(error.getCode()) || LEASE_EXPIRED.equals(error.getCode()));
  }

  /** Whether {@code error} is final: the node is not retried whatever its retries. */
  public static boolean isFinal(ExecutionError error) {
    return error != null && error.getNonRetryable();
  }

  private static final String LOST = "AttemptLost";
  private static final String LEASE_EXPIRED = "WorkerLeaseExpired";
}
