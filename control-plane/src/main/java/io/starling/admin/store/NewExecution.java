package io.starling.admin.store;

import io.starling.proto.core.ExecutionIdentifier;
import java.time.Instant;

/**
 * What CreateExecution, RelaunchExecution, RecoverExecution and launch-plan nodes insert.
 * {@code referenceRowId} and {@code parentRowId} 0 mean none; {@code parentNodeId} is the
 * launch-plan node that started a child, {@code nesting} how many parents it has;
 * {@code scheduledAt} the slot of a scheduled execution (null for the others), which is
 * inserted only while its launch plan is active.
 */
public record NewExecution(ExecutionIdentifier id, long launchPlanRowId, long workflowRowId,
    int shard, int mode, long referenceRowId, int maxParallelism, byte[] inputs, Instant now,
    long parentRowId, String parentNodeId, int nesting, Instant scheduledAt) {

  /** An execution without a parent. */
  public NewExecution(ExecutionIdentifier id, long launchPlanRowId, long workflowRowId,
      int shard, int mode, long referenceRowId, int maxParallelism, byte[] inputs, Instant now) {
    this(id, launchPlanRowId, workflowRowId, shard, mode, referenceRowId, maxParallelism, inputs,
        now, 0, null, 0, null);
  }
}
