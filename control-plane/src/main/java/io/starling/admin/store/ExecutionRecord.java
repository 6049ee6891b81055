package io.starling.admin.store;

import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import java.time.Instant;

/**
 * An execution row with the ids of its launch plan, workflow and reference execution; a child
 * started by a launch-plan node names its parent's row and node ({@code parentRowId} 0: none);
 * a scheduled one, its slot ({@code scheduledAt}, else null).
 */
public record ExecutionRecord(
    long rowId,
    ExecutionIdentifier id,
    Identifier launchPlan,
    Identifier workflow,
    long launchPlanRowId,
    long workflowRowId,
    int shard,
    int mode,
    ExecutionIdentifier reference,
    int maxParallelism,
    byte[] inputs,
    int phase,
    byte[] outputs,
    byte[] error,
    String abortCause,
    Instant createdAt,
    Instant startedAt,
    Instant updatedAt,
    Instant endedAt,
    long parentRowId,
    ExecutionIdentifier parent,
    String parentNodeId,
    int nesting,
    Instant scheduledAt) {}
