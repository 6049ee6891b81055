package io.starling.propeller.graph;

import io.starling.proto.core.Identifier;
import io.starling.proto.core.TaskTemplate;
import java.time.Duration;
import java.util.Map;

/**
 * One node of an execution graph as the propeller runs it: the task, its input bindings and
 * its effective retry and timeout settings (node overrides applied).
 *
 * @param retries attempts after the first one
 * @param timeout per attempt; {@link Duration#ZERO} means none
 * @param backoff delay before the first retry, doubled for each further one
 */
public record NodeSpec(
    int index,
    String id,
    Identifier taskId,
    TaskTemplate task,
    Map<String, CompiledBinding> inputs,
    int retries,
    Duration timeout,
    Duration backoff) {}
