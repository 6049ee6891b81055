package io.starling.admin.store;

import java.time.Instant;

/** A node_executions row. */
public record NodeRecord(String nodeId, int phase, int attempts, byte[] outputs, byte[] error,
    Instant startedAt, Instant updatedAt, Instant endedAt) {}
