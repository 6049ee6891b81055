package io.starling.admin.store;

import java.time.Instant;

/** A task_executions row. */
public record AttemptRecord(int attempt, int phase, byte[] error, Instant startedAt,
    Instant updatedAt, Instant endedAt) {}
