package io.starling.proto;

import io.starling.proto.core.WorkflowExecution;

/** Facts about phases that every part of the platform agrees on. */
public final class Phases {

  private Phases() {}

  /** SUCCEEDED, FAILED, ABORTED and TIMED_OUT: nothing changes after them. */
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
