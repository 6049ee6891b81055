package io.starling.admin.store;

import io.starling.proto.core.ExecutionIdentifier;
import java.time.Instant;

/** What CreateExecution, RelaunchExecution and RecoverExecution insert. {@code referenceRowId} 0 means none. */
public record NewExecution(ExecutionIdentifier id, long launchPlanRowId, long workflowRowId,
    int shard, int mode, long referenceRowId, int maxParallelism, byte[] inputs, Instant now) {}
