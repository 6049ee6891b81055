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
}
