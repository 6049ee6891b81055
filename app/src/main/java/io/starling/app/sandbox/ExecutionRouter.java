package io.starling.app.sandbox;

import io.starling.admin.ExecutionListener;
import io.starling.propeller.Propeller;

/**
 * Carries the admin's notifications (an execution created, a termination requested) to the
 * propeller of this replica. The admin is created before the propeller (the propeller's
 * launch-plan plugin needs the admin), so the propeller is bound afterwards; a notification
 * that comes before the binding is dropped on purpose, since the propeller's first scan, when
 * it takes its shards, finds every execution committed before it.
 */
final class ExecutionRouter implements ExecutionListener {

  private volatile Propeller propeller;

  /** Delivers notifications to {@code target} from now on. */
  void bind(Propeller target) {
    this.propeller = target;
  }

  @Override
  public void executionCreated(long executionId, int shard) {
    Propeller target = propeller;
    if (target != null) {
      target.executionCreated(executionId, shard);
    }
  }

  @Override
  public void abortRequested(long executionId, int shard) {
    Propeller target = propeller;
    if (target != null) {
      target.abortRequested(executionId, shard);
    }
  }
}
