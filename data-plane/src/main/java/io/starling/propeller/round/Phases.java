package io.starling.propeller.round;

import io.starling.proto.core.WorkflowExecution;

/** Facts about execution phases. */
public final class Phases {

  private Phases() {}

  public static boolean isTerminal(WorkflowExecution.Phase phase) {
    switch (phase) {
      case SUCCEEDED:
      case FAILED:
      case ABORTED:
      case TIMED_OUT:
        return true;
      default:
        return false;
    }
  }
}
