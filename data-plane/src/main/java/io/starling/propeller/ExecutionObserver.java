package io.starling.propeller;

import io.starling.proto.core.WorkflowExecution;

/** Told when an execution's terminal phase is committed. Must not block. */
@FunctionalInterface
public interface ExecutionObserver {

  void finished(long executionId, WorkflowExecution.Phase phase);
}
