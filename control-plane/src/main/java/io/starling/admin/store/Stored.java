package io.starling.admin.store;

import io.starling.proto.core.Identifier;
import java.time.Instant;

/**
 * One stored version of a task, workflow or launch plan. {@code spec} is the serialized
 * template or launch plan spec; {@code closure} the compiled workflow (workflows only);
 * {@code state} the launch plan state and {@code activatedAt} when it was last activated
 * (launch plans only; null if never).
 */
public record Stored(
    long rowId,
    Identifier id,
    byte[] spec,
    byte[] closure,
    long workflowRowId,
    int state,
    Instant createdAt,
    Instant updatedAt,
    Instant activatedAt) {}
