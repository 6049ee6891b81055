package io.starling.proto;

import io.starling.proto.core.NodeExecution;
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

  /** SUCCEEDED, RECOVERED, FAILED, ABORTED, SKIPPED and TIMED_OUT: the node has ended. */
  public static boolean isTerminal(NodeExecution.Phase phase) {
    switch (phase) {
      case SUCCEEDED:
      case RECOVERED:
      case FAILED:
      case ABORTED:
      case SKIPPED:
      case TIMED_OUT:
        return true;
      default:
        return false;
    }
  }

  /** SUCCEEDED and RECOVERED: the node has its outputs and does not run again. */
  public static boolean isSuccessful(NodeExecution.Phase phase) {
    return phase == NodeExecution.Phase.SUCCEEDED || phase == NodeExecution.Phase.RECOVERED;
  }
}
