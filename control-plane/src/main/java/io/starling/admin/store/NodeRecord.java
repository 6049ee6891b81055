package io.starling.admin.store;

import java.time.Instant;

/**
 * A node_executions row; {@code subtasks} is the packed subtask state of a map node,
 * {@code cacheStatus} a starling.core.CacheStatus number, {@code branchTaken} the case a branch
 * node took (null otherwise).
 */
public record NodeRecord(String nodeId, int phase, int attempts, byte[] outputs, byte[] error,
    Instant startedAt, Instant updatedAt, Instant endedAt, byte[] subtasks, int cacheStatus,
    String branchTaken) {}
